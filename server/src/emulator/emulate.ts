/**
 * The emulator's entry point: replay the file with the whole system attached, and collect one
 * result every view reads (CLI report and JSON, language server, preview, debugger).
 */
import type { Diagnostic } from '../language/diagnostics';
import { parse } from '../language/parser';
import type { Analysis } from '../language/validate';
import { analyzeDocument } from '../language/validate';
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

export function emulate(text: string): Emulation {
  const doc = parse(text);
  const host = readHostConfig(doc);
  const system = new EndpointSystem(doc, host);
  const analysis = analyzeDocument(doc, (platform) => system.hooks(platform));
  const diagnostics = [...analysis.diagnostics, ...system.diagnostics];
  for (const t of system.transfers) {
    const range = doc.statements.find((s) => s.line === t.line)?.range ?? { start: { line: t.line, character: 0 }, end: { line: t.line, character: 0 } };
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
  // Edge cases E21/E24: aligned windows expose more EP memory than the resources they carry.
  for (const f of analysis.replay.state.functions.values()) {
    const plan = dmaPlans.get(f);
    const link = f.links.primary ?? f.links.secondary;
    if (!plan || !link || plan.layout.notes.length === 0) continue;
    diagnostics.push({
      range: link.origin.range, severity: 'info', code: 'window-exposes-more',
      message: `the DMA window exposes more endpoint memory than described: ${[...new Set(plan.layout.notes)].join('; ')}`,
      ref: 'seed-series 1.7, 7 E21/E24',
    });
  }
  diagnostics.sort(byPosition);
  return { analysis, system, diagnostics };
}

