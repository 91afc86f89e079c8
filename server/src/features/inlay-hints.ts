/**
 * Inlay hints: computed facts at the end of a statement (DESIGN.md section 4) — the function
 * number a link got or the errno it failed with, the BAR sizes of a function, what a write
 * really stored when it reads back differently, the errno of any failing operation, and how a
 * host transfer ended. Short labels; hovers carry the detail.
 */
import type { Assignment, Position, Range, SectionHeader, Statement } from '../language/ast';
import { describeErrno } from '../emulator/errno';
import { formatSize } from '../language/units';
import type { FeatureContext } from './context';
import { attributeAt, featureIndex, functionResultOf, readBackOf, type FeatureIndex } from './hover';

export interface InlayHint {
  position: Position;
  label: string;
  kind: 'type' | 'parameter';
  tooltip?: string;
  paddingLeft?: boolean;
}

/** Hints go after the statement (before any trailing comment), so they read as part of the code. */
function at(stmt: Statement): Position {
  return stmt.range.end;
}

function hint(stmt: Statement, label: string, kind: InlayHint['kind'], tooltip?: string): InlayHint {
  return { position: at(stmt), label, kind, paddingLeft: true, ...(tooltip ? { tooltip } : {}) };
}

/** `= 8` when `cat` would show something other than the text written (`010`, `0x1D87`, `yes`). */
function readBack(ctx: FeatureContext, stmt: Assignment): InlayHint | undefined {
  const dir = ctx.emulation.analysis.replay.dirAt(stmt.line);
  const spec = dir === undefined ? undefined : attributeAt(dir, stmt.name.text)?.spec;
  if (!spec) return undefined;
  const r = readBackOf(spec, stmt.value.text);
  if (!r || r.shown === stmt.value.text.trim()) return undefined;
  return hint(stmt, `= ${r.shown}`, 'parameter', `the kernel stores ${typeof r.value === 'boolean' ? (r.value ? 1 : 0) : r.value}; reading ${spec.name} shows ${r.shown} (${spec.show})`);
}

function functionHeader(ctx: FeatureContext, header: SectionHeader): InlayHint | undefined {
  const fn = header.normPath;
  if (!fn) return undefined;
  // Only the directory this header created, not a later one at the same path after an rmdir.
  if (ctx.emulation.analysis.replay.state.functions.get(fn)?.created.line !== header.line) return undefined;
  const f = functionResultOf(ctx, fn);
  if (!f) return undefined;
  const bars = f.bars.filter((b) => b.size > 0 && b.type !== '64bit-upper').map((b) => `BAR${b.bar} ${formatSize(b.size)}${b.is64 ? ' (64-bit)' : ''}`);
  const label = bars.length > 0 ? `${f.device}: ${bars.join(', ')}` : f.device;
  const tooltip = bars.length > 0 ? f.bars.filter((b) => b.size > 0 && b.type !== '64bit-upper').map((b) => `BAR${b.bar}: ${b.role ?? b.type}`).join('\n') : undefined;
  return hint(header, label, 'type', tooltip);
}

function statementHints(ctx: FeatureContext, ix: FeatureIndex, stmt: Statement): InlayHint | undefined {
  const op = ix.opAt.get(stmt.line);
  const failed = op && op.result !== 'ok' ? hint(stmt, `-${op.result}`, 'type', describeErrno(op.result)) : undefined;
  switch (stmt.kind) {
    case 'section': {
      if (failed) return failed;
      // Entering a directory that does not exist (a cd that fails): the error carries the errno.
      const missing = op ? undefined : ix.diagnosticsAt.get(stmt.line)?.find((d) => d.severity === 'error' && d.errno);
      if (missing?.errno) return hint(stmt, `-${missing.errno}`, 'type', describeErrno(missing.errno));
      if (op?.op === 'mkdir') return functionHeader(ctx, stmt);
      const t = ix.transferAt.get(stmt.line);
      if (!t) return undefined;
      const label = t.status === 'done' ? `done ${formatSize(t.bytes)} ${t.verified ? '✓' : '✗ mismatch'}` : t.status === 'not-run' ? 'not run' : t.status;
      return hint(stmt, label, 'type', t.reason);
    }
    case 'link': {
      if (failed) return failed;
      const facts = ix.linkAt.get(stmt.line);
      if (op?.result === 'ok' && facts?.kind === 'bind' && facts.funcNo !== undefined) {
        // epc_init failing after a successful bind does not fail the ln -s, but the function is unusable.
        const init = ix.diagnosticsAt.get(stmt.line)?.find((d) => d.code === 'epc-init-failed');
        return hint(stmt, `→ function ${facts.funcNo}${init?.errno ? `, epc_init -${init.errno}` : ''}`, 'type',
          `pci_epc_add_epf gave function number ${facts.funcNo} on ${facts.epc ?? '?'}${init ? `; ${init.message}` : ''}`);
      }
      if (op?.result === 'ok' && facts?.kind === 'vf' && facts.fn) {
        const vf = ctx.emulation.analysis.replay.state.functions.get(facts.fn);
        return vf?.pf ? hint(stmt, `→ VF ${vf.pf.vfuncNo}`, 'type') : undefined;
      }
      return undefined;
    }
    case 'assign':
      return failed ?? (op?.result === 'ok' ? readBack(ctx, stmt) : undefined);
    default:
      return failed;
  }
}

/** Hints for the statements on lines `range.start.line`..`range.end.line`. */
export function inlayHints(ctx: FeatureContext, range: Range): InlayHint[] {
  const ix = featureIndex(ctx);
  const out: InlayHint[] = [];
  const last = Math.min(range.end.line, ix.statementAt.length - 1);
  for (let line = Math.max(0, range.start.line); line <= last; line++) {
    const stmt = ix.statementAt[line];
    if (!stmt) continue;
    const h = statementHints(ctx, ix, stmt);
    if (h) out.push(h);
  }
  return out;
}
