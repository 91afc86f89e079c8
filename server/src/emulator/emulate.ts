/**
 * The emulator's entry point: replay the file with the whole system attached, and collect one
 * result every view reads (CLI report and JSON, language server, preview, debugger).
 */
import type { Diagnostic } from '../language/diagnostics';
import { parse } from '../language/parser';
import type { Analysis } from '../language/validate';
import { diagnose } from '../language/validate';
import type { PlatformModel, PlatformOptions } from '../language/platform';
import { resolvePlatforms } from '../language/platform';
import type { Document } from '../language/ast';
import { replaySteps, type ReplayResult } from './configfs/replay';
import type { StepInfo } from './system/steps';
import { dmaPlans } from './epf/dma';
import { readHostConfig } from './system/config';
import { EndpointSystem } from './system/endpoint-system';

export interface Emulation {
  analysis: Analysis;
  system: EndpointSystem;
  /** Validator diagnostics plus what only the run can tell (probe, handshake, transfers). */
  diagnostics: Diagnostic[];
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** A run in progress, one step at a time (the debugger's runtime). */
export interface SteppedEmulation {
  doc: Document;
  platform: PlatformModel;
  system: EndpointSystem;
  /** Live replay state: operations and configfs state so far. */
  replay: ReplayResult;
  /** Yields before each statement and phase; exhausted when the run is over. */
  steps: Generator<StepInfo>;
  /** The result once `steps` is exhausted (runs the rest if it is not). */
  finish(): Emulation;
}

/**
 * `describe = false` skips building statement step descriptions (nobody is stepping). `previous`,
 * an earlier parse of the same file, lets the parser reuse the lines an edit did not touch.
 */
export function emulateSteps(text: string, opts?: PlatformOptions, describe = true, previous?: Document): SteppedEmulation {
  const doc = parse(text, previous);
  const system = new EndpointSystem(doc, readHostConfig(doc));
  const platform = resolvePlatforms(doc, opts);
  const { steps, result } = replaySteps(doc, platform, system.hooks(platform), () => system.clock.now, describe);
  let done: Emulation | undefined;
  return {
    doc, platform, system, replay: result, steps,
    finish() {
      if (done) return done;
      for (const s of steps) void s;
      done = complete({ doc, platform, replay: result, diagnostics: diagnose(doc, platform, result) }, system);
      return done;
    },
  };
}

export function emulate(text: string, opts?: PlatformOptions, previous?: Document): Emulation {
  return emulateSteps(text, opts, false, previous).finish();
}

/** Adds what only the run can tell to the validator's diagnostics. */
function complete(analysis: Analysis, system: EndpointSystem): Emulation {
  const doc = analysis.doc;
  if (system.transfers.length === 0 && system.host.transfers.length > 0) {
    system.transfersNotRun(system.host.present ? 'the host never saw the endpoint: no controller with a bound function was started' : 'there is no [host] section');
  }
  const diagnostics = [...analysis.diagnostics, ...system.diagnostics];
  // Statement ranges by line, for transfers (a search per transfer was quadratic in big files).
  const rangeAt = system.transfers.length ? new Map(doc.statements.map((s) => [s.line, s.range])) : undefined;
  for (const t of system.transfers) {
    const range = rangeAt?.get(t.line) ?? { start: { line: t.line, character: 0 }, end: { line: t.line, character: 0 } };
    if (t.status === 'done' && !t.verified) {
      diagnostics.push({ range, severity: 'error', code: 'transfer-mismatch', message: `transfer ${t.name} completed but the destination does not hold the source bytes` });
    } else if (t.status === 'abort' || t.status === 'timeout') {
      diagnostics.push({
        range, severity: 'error', code: t.status === 'abort' ? 'transfer-aborted' : 'transfer-timeout',
        message: `transfer ${t.name} ${t.status === 'abort' ? 'aborted' : 'never completed'}: ${t.reason ?? ''}`, ref: 'kernel-background D.3, D.4',
      });
    } else if (t.status === 'not-run') {
      diagnostics.push({ range, severity: 'warning', code: 'transfer-not-run', message: `transfer ${t.name} did not run: ${t.reason ?? ''}` });
    }
  }
  for (const f of analysis.replay.state.functions.values()) {
    const plan = dmaPlans.get(f);
    const link = f.links.primary ?? f.links.secondary;
    if (!plan || !link) continue;
    // DWC subranges must be multiples of the iATU minimum region (kernel-background C.1): with a
    // smaller `align` the worker's set_bar fails after HOST_REQ and READY never comes (E20).
    const regionAlign = analysis.platform.controllers.get(link.epc)?.profile.iatu.regionAlign ?? 0;
    const bad = plan.layout.window?.submaps.filter((sm) => regionAlign && sm.size % regionAlign !== 0) ?? [];
    if (bad.length) {
      diagnostics.push({
        range: link.origin.range, severity: 'warning', code: 'submap-misaligned',
        message: `DMA window subrange(s) of ${bad.map((sm) => `0x${sm.size.toString(16)}`).join(', ')} bytes are not multiples of the ${regionAlign / 1024} KiB iATU region: programming the submaps will fail after HOST_REQ and the host will time out (set the platform's align to at least the iATU region)`,
        ref: 'kernel-background C.1; seed-series 7 E20',
      });
    }
    // Edge cases E21/E24: aligned windows expose more EP memory than the resources they carry.
    if (plan.layout.notes.length === 0) continue;
    diagnostics.push({
      range: link.origin.range, severity: 'info', code: 'window-exposes-more',
      message: `the DMA window exposes more endpoint memory than described: ${[...new Set(plan.layout.notes)].join('; ')}`,
      ref: 'seed-series 1.7, 7 E21/E24',
    });
  }
  diagnostics.sort(byPosition);
  return { analysis, system, diagnostics };
}

