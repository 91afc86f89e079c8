/**
 * The invariants every fuzzed input must keep, as assertion helpers: ranges inside the document,
 * semantic tokens sorted and disjoint, formatting idempotent and statement-preserving, the emulate
 * JSON serialisable and shaped like CONTRACTS.md schema 1, and a time bound linear in the input.
 */
import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import type { Position, Range, Statement } from '../../server/src/language/ast';
import { parse } from '../../server/src/language/parser';

// ---------------------------------------------------------------------------------------------
// Time bound

/**
 * A robustness (hang) check, NOT a performance test: an input must finish within a bound linear
 * in its size, generous enough that a loaded CI machine never trips it, tight enough that a
 * quadratic or exponential path (which is what hangs an editor) does at the sizes the long run
 * uses. Base + per line + per byte. The base covers the emulator's bounded per-run work (at most
 * 64 MiB of emulated DMA, TRANSFER_LIMITS); the per-line rate covers a line that triggers a whole
 * bring-up (`start = 1`: link training, enumeration, host probe). A 1 MiB single line gets ~6.7 s,
 * a 100,000-line file 26.5 s plus its bytes; measured figures are far below (docs/robustness.md).
 */
export const TIME_BOUND = { baseMs: 1500, perLineMs: 0.25, perByteMs: 0.005 };

export function boundMs(text: string | Uint8Array): number {
  const bytes = text.length;
  let lines = 1;
  if (typeof text === 'string') {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  }
  return TIME_BOUND.baseMs + lines * TIME_BOUND.perLineMs + bytes * TIME_BOUND.perByteMs;
}

/** Slowest measured call per label (ms), with the size of its input, for the report. */
export const slowest = new Map<string, { ms: number; bytes: number; boundMs: number }>();

/** Runs `fn` and asserts it finished within the linear bound of `input`. */
export function timed<T>(label: string, input: string | Uint8Array, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  const bound = boundMs(input);
  const prev = slowest.get(label);
  if (!prev || ms > prev.ms) slowest.set(label, { ms, bytes: input.length, boundMs: bound });
  assert.ok(ms <= bound, `${label} took ${ms.toFixed(0)} ms on ${input.length} bytes (bound ${bound.toFixed(0)} ms): a hang or a super-linear path`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ranges

/** The document's lines as the parser (and so every feature) sees them. */
export function linesOf(text: string): string[] {
  return parse(text).lines;
}

export function checkPosition(lines: readonly string[], p: Position, what: string): void {
  assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character), `${what}: integer position ${JSON.stringify(p)}`);
  assert.ok(p.line >= 0 && p.line < lines.length, `${what}: line ${p.line} outside 0..${lines.length - 1}`);
  assert.ok(p.character >= 0 && p.character <= lines[p.line].length, `${what}: character ${p.character} outside line ${p.line} (length ${lines[p.line].length})`);
}

export function checkRange(lines: readonly string[], r: Range, what: string): void {
  checkPosition(lines, r.start, `${what} start`);
  checkPosition(lines, r.end, `${what} end`);
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  assert.ok(ordered, `${what}: start after end ${JSON.stringify(r)}`);
}

export function contains(outer: Range, inner: Range): boolean {
  const le = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

/** Edits of one response must not overlap (LSP: "text edits must never overlap"). */
export function checkEdits(lines: readonly string[], edits: readonly { range: Range; newText: string }[], what: string): void {
  const key = (p: Position) => p.line * 1e9 + p.character;
  edits.forEach((e, i) => {
    checkRange(lines, e.range, `${what} edit ${i}`);
    assert.equal(typeof e.newText, 'string', `${what} edit ${i}: newText is a string`);
  });
  const sorted = [...edits].sort((a, b) => key(a.range.start) - key(b.range.start) || key(a.range.end) - key(b.range.end));
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(key(sorted[i - 1].range.end) <= key(sorted[i].range.start), `${what}: edits ${JSON.stringify(sorted[i - 1].range)} and ${JSON.stringify(sorted[i].range)} overlap`);
  }
}

/** Semantic tokens: single-line, non-empty, inside their line, sorted, non-overlapping (the LSP encoding needs it). */
export function checkTokens(lines: readonly string[], tokens: readonly { line: number; char: number; length: number; type: number; modifiers: number }[], typeCount: number): void {
  let prevLine = -1;
  let prevEnd = 0;
  tokens.forEach((t, i) => {
    assert.ok(t.line >= 0 && t.line < lines.length, `token ${i}: line ${t.line} outside the document`);
    assert.ok(t.length > 0, `token ${i}: empty`);
    assert.ok(t.char >= 0 && t.char + t.length <= lines[t.line].length, `token ${i}: ${t.char}+${t.length} outside line ${t.line} (length ${lines[t.line].length})`);
    assert.ok(Number.isInteger(t.type) && t.type >= 0 && t.type < typeCount, `token ${i}: type ${t.type}`);
    assert.ok(Number.isInteger(t.modifiers) && t.modifiers >= 0, `token ${i}: modifiers ${t.modifiers}`);
    if (t.line === prevLine) assert.ok(t.char >= prevEnd, `token ${i} at ${t.line}:${t.char} overlaps or precedes the previous one (ends at ${prevEnd})`);
    else assert.ok(t.line > prevLine, `token ${i}: line ${t.line} before line ${prevLine}: not sorted`);
    prevLine = t.line;
    prevEnd = t.char + t.length;
  });
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** What a statement means, positions left out (the formatter may move text, never meaning). */
export function meaning(s: Statement): string {
  switch (s.kind) {
    case 'section': return `section|${s.path.text}|${s.normPath}`;
    case 'assign': return `assign|${s.name.text}|${s.value.text}|${s.quote}`;
    case 'link': return `link|${s.name.text}||${s.target.text}`;
    case 'unlink': return `unlink|${s.name.text}`;
    case 'rmdir': return `rmdir||${s.target?.text ?? ''}`;
  }
}

export function statementSequence(text: string): string[] {
  return parse(text).statements.map(meaning);
}

// ---------------------------------------------------------------------------------------------
// JSON (CONTRACTS.md `pciep emulate --json`, schema 1)

/** The server's serialisation of the emulate JSON (bigints as "0x…"). */
export function serialise(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObj(x: unknown): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function field(o: Record<string, Json>, key: string, type: 'string' | 'number' | 'boolean' | 'array' | 'object', where: string, opts: { optional?: boolean; nullable?: boolean } = {}): void {
  const v = o[key];
  if (v === undefined) {
    assert.ok(opts.optional, `${where}.${key} is missing`);
    return;
  }
  if (v === null) {
    assert.ok(opts.nullable, `${where}.${key} is null`);
    return;
  }
  const actual = Array.isArray(v) ? 'array' : typeof v;
  assert.equal(actual, type, `${where}.${key} is ${actual}, expected ${type}`);
  if (type === 'number') assert.ok(Number.isFinite(v), `${where}.${key} is not finite`);
}

const HEX = /^0x[0-9a-f]+$/;

/** A minimal structural check of schema 1: every key CONTRACTS.md lists, with its type. */
export function checkEmulateJson(text: string, lineCount: number): void {
  const j: unknown = JSON.parse(text);
  assert.ok(isObj(j), 'the result is an object');
  assert.equal(j.schema, 1, 'schema 1');
  for (const k of ['diagnostics', 'operations', 'functions', 'transfers', 'timeline']) field(j, k, 'array', 'result');
  const inDoc = (line: Json, where: string) => {
    assert.ok(typeof line === 'number' && Number.isInteger(line) && line >= 1 && line <= lineCount, `${where}: line ${String(line)} outside 1..${lineCount}`);
  };
  for (const [i, d] of (j.diagnostics as Json[]).entries()) {
    const w = `diagnostics[${i}]`;
    assert.ok(isObj(d), w);
    field(d, 'line', 'number', w); field(d, 'column', 'number', w);
    field(d, 'endLine', 'number', w, { optional: true }); field(d, 'endColumn', 'number', w, { optional: true });
    field(d, 'severity', 'string', w); field(d, 'code', 'string', w); field(d, 'errno', 'string', w, { nullable: true }); field(d, 'message', 'string', w);
    inDoc(d.line, w);
    if (d.endLine !== undefined) inDoc(d.endLine, w);
    assert.ok(['error', 'warning', 'info'].includes(d.severity as string), `${w}.severity ${String(d.severity)}`);
    assert.ok((d.column as number) >= 1, `${w}.column ≥ 1`);
  }
  for (const [i, o] of (j.operations as Json[]).entries()) {
    const w = `operations[${i}]`;
    assert.ok(isObj(o), w);
    field(o, 'line', 'number', w); field(o, 'op', 'string', w); field(o, 'path', 'string', w); field(o, 'result', 'string', w); field(o, 'log', 'array', w);
    inDoc(o.line, w);
    assert.ok(['mkdir', 'write', 'link', 'unlink', 'rmdir'].includes(o.op as string), `${w}.op ${String(o.op)}`);
  }
  for (const [i, f] of (j.functions as Json[]).entries()) {
    const w = `functions[${i}]`;
    assert.ok(isObj(f), w);
    for (const k of ['path', 'driver', 'device']) field(f, k, 'string', w);
    field(f, 'controller', 'string', w, { nullable: true }); field(f, 'funcNo', 'number', w, { nullable: true });
    field(f, 'bound', 'boolean', w); field(f, 'bars', 'array', w); field(f, 'metadata', 'object', w, { nullable: true }); field(f, 'channels', 'array', w);
    for (const [k, b] of (f.bars as Json[]).entries()) {
      const wb = `${w}.bars[${k}]`;
      assert.ok(isObj(b), wb);
      field(b, 'bar', 'number', wb); field(b, 'type', 'string', wb); field(b, 'size', 'number', wb); field(b, 'is64', 'boolean', wb); field(b, 'regions', 'array', wb);
      for (const [m, r] of (b.regions as Json[]).entries()) {
        const wr = `${wb}.regions[${m}]`;
        assert.ok(isObj(r), wr);
        field(r, 'offset', 'number', wr); field(r, 'size', 'number', wr); field(r, 'kind', 'string', wr); field(r, 'phys', 'string', wr, { optional: true });
        if (r.phys !== undefined) assert.match(r.phys as string, HEX, `${wr}.phys`);
      }
    }
    if (isObj(f.metadata)) {
      field(f.metadata, 'bar', 'number', `${w}.metadata`); field(f.metadata, 'offset', 'number', `${w}.metadata`); field(f.metadata, 'hex', 'string', `${w}.metadata`);
      assert.match(f.metadata.hex as string, /^(?:[0-9a-f]{2})*$/, `${w}.metadata.hex is lowercase hex bytes`);
    }
    for (const [k, c] of (f.channels as Json[]).entries()) {
      const wc = `${w}.channels[${k}]`;
      assert.ok(isObj(c), wc);
      field(c, 'dir', 'string', wc); field(c, 'hwCh', 'number', wc); field(c, 'state', 'string', wc); field(c, 'errno', 'string', wc, { nullable: true });
    }
  }
  if (j.host !== null) {
    assert.ok(isObj(j.host), 'host is an object or null');
    field(j.host, 'driver', 'string', 'host'); field(j.host, 'probe', 'string', 'host'); field(j.host, 'bars', 'array', 'host');
    for (const [k, b] of (j.host.bars as Json[]).entries()) {
      assert.ok(isObj(b), `host.bars[${k}]`);
      field(b, 'bar', 'number', `host.bars[${k}]`); field(b, 'address', 'string', `host.bars[${k}]`); field(b, 'size', 'number', `host.bars[${k}]`);
      assert.match(b.address as string, HEX, `host.bars[${k}].address`);
    }
  }
  for (const [i, t] of (j.transfers as Json[]).entries()) {
    const w = `transfers[${i}]`;
    assert.ok(isObj(t), w);
    field(t, 'name', 'string', w); field(t, 'direction', 'string', w); field(t, 'channel', 'number', w); field(t, 'bytes', 'number', w);
    field(t, 'status', 'string', w); field(t, 'verified', 'boolean', w);
    // CONTRACTS.md lists done|abort|not-run; the emulator adds `timeout` (a bounded stop).
    assert.ok(['done', 'abort', 'not-run', 'timeout'].includes(t.status as string), `${w}.status ${String(t.status)}`);
  }
  for (const [i, e] of (j.timeline as Json[]).entries()) {
    const w = `timeline[${i}]`;
    assert.ok(isObj(e), w);
    field(e, 't', 'number', w); field(e, 'side', 'string', w); field(e, 'phase', 'string', w); field(e, 'text', 'string', w); field(e, 'line', 'number', w, { optional: true });
    if (e.line !== undefined) inDoc(e.line, w);
  }
}
