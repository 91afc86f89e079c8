/**
 * Hovers on the emulated host side: the root complex and its probe of the endpoint, each
 * `[host/transfer/…]` and how it ended, each injected fault and what the run logged for it, and
 * the keys of these sections.
 */
import type { Assignment } from '../language/ast';
import { HOST_KEYS, type HostKeySpec, type HostSectionKind } from '../language/host-schema';
import { hex } from '../language/units';
import type { FeatureContext } from './context';
import type { FeatureIndex } from './feature-index';
import { stamp } from './hover-outcomes';
import { sizeValue } from './hover-platform';
import { code, codeBlock, escapeMarkdown, join, sizeText, table } from './markdown';

export function hostMarkdown(ctx: FeatureContext): string {
  const host = ctx.result().host;
  const cfg = ctx.emulation.system.host;
  const title = '### Host — the emulated root complex';
  if (!host) return join([title, 'No `[host]` section: the host side is not emulated.']);
  const dev = [...ctx.emulation.system.devices].reverse().find((d) => d.probe);
  const probe = dev?.probe;
  const status = host.probe === 'ok' ? '**probe ok**' : host.probe === 'not-run' ? '**probe not run**' : `**probe failed with \`-${host.probe}\`**`;
  const bars = host.bars.length > 0
    ? table(['BAR', 'bus address', 'size'], host.bars.map((b) => [`BAR${b.bar}`, `${hex(b.address)}–${hex(b.address + BigInt(b.size))}`, sizeText(b.size)]))
    : undefined;
  const handshake = probe && probe.hostReqAt !== undefined
    ? `Metadata found in BAR${probe.bar ?? '?'}; HOST_REQ set at ${stamp(probe.hostReqAt)}` + (probe.readyAt !== undefined ? `, READY seen at ${stamp(probe.readyAt)}.` : ', READY never seen.')
    : undefined;
  const vectors = probe
    ? `IRQ vectors: ${probe.parsed ? `${probe.parsed.irqs} requested (wr + rd), ` : ''}${probe.vectors} granted; the host grants up to ${cfg.msiVectors} MSI (\`msi-vectors\`).`
    : `The host grants up to ${cfg.msiVectors} MSI vectors (\`msi-vectors\`).`;
  const edma = probe?.parsed ? `eDMA: ${escapeMarkdown(probe.parsed.mapFormatName)}, ${probe.parsed.wrCount} write + ${probe.parsed.rdCount} read channels.` : undefined;
  return join([
    title,
    `Driver ${code(host.driver)} (driver_override + drivers_probe)${host.bdf ? ` · device ${code(host.bdf)}` : ''} · ${status}${host.reason ? `: ${escapeMarkdown(host.reason)}` : ''}`,
    bars,
    handshake,
    vectors,
    edma,
    'Reference: seed-series 6.5, kernel-background D.8',
  ]);
}

export function transferMarkdown(ix: FeatureIndex, line: number, name: string): string {
  const t = ix.transferAt.get(line);
  const title = `### Transfer ${code(name)}`;
  if (!t) return join([title, 'This transfer is not part of the run.']);
  const channel = t.direction === 'rc-to-ep' ? 'read' : 'write';
  const status = t.status === 'done' ? (t.verified ? 'done ✓ (destination verified)' : 'done ✗ (destination does NOT hold the source bytes)') : t.status === 'not-run' ? 'not run' : t.status;
  const rows: string[][] = [
    ['status', status],
    ['direction', `${t.direction} on ${channel} channel ${t.channel} (${t.direction === 'rc-to-ep' ? 'host → endpoint' : 'endpoint → host'})`],
    ['bytes', sizeText(t.bytes)],
  ];
  if (t.src !== undefined) rows.push(['source', `${hex(t.src)} (${t.direction === 'rc-to-ep' ? 'host' : 'EP-local'})`]);
  if (t.dst !== undefined) rows.push(['destination', `${hex(t.dst)} (${t.direction === 'rc-to-ep' ? 'EP-local' : 'host'})`]);
  rows.push(['LL elements / chunks', `${t.elements} / ${t.chunks}`]);
  if (t.startUs !== undefined && t.endUs !== undefined) rows.push(['virtual time', `${stamp(t.startUs)} → ${stamp(t.endUs)} (${t.endUs - t.startUs} µs)`]);
  if (t.reason) rows.push(['reason', escapeMarkdown(t.reason)]);
  return join([title, table(['', ''], rows), 'Reference: kernel-background D.3, D.4, D.6; seed-series 4.2']);
}

export function faultMarkdown(ctx: FeatureContext, line: number, name: string): string {
  const f = ctx.emulation.system.host.faults.find((x) => x.line === line);
  const events = ctx.emulation.system.clock.trace.filter((e) => e.line === line).map((e) => `${stamp(e.t)} ${e.text}`);
  return join([
    `### Injected fault ${code(name)}`,
    f ? `Kind ${code(f.kind || '(none)')}${f.at ? ` at ${code(f.at)}` : ''}${f.field ? `, field ${code(f.field)}` : ''}${f.value !== undefined ? ` = ${hex(f.value)}` : ''}.` : undefined,
    events.length > 0 ? codeBlock(events) : 'The run logged nothing for this fault.',
  ]);
}

// ---- host keys ------------------------------------------------------------------------------

function hostValue(spec: HostKeySpec, text: string): string | undefined {
  const v = spec.value;
  if (v.kind === 'size' || v.kind === 'address') return sizeValue(text);
  if (v.kind === 'int') return `an integer ${v.min}..${v.max}`;
  if (v.kind === 'enum') return `one of ${v.values.map((x) => code(x)).join(', ')}`;
  return undefined;
}

export function hostKeyMarkdown(ctx: FeatureContext, ix: FeatureIndex, kind: HostSectionKind, path: string, stmt: Assignment, onValue: boolean): string | undefined {
  const spec = HOST_KEYS[kind].find((k) => k.key === stmt.name.text.trim());
  if (!spec) return undefined;
  const header = ix.sectionAt[stmt.line]?.header;
  const name = path.split('/')[2] ?? '';
  const status = kind === 'host' ? hostMarkdown(ctx) : kind === 'transfer' && header ? transferMarkdown(ix, header.line, name) : header ? faultMarkdown(ctx, header.line, name) : undefined;
  const parsed = hostValue(spec, stmt.value.text);
  const value = parsed ? `${code(stmt.value.text)}: ${parsed}` : undefined;
  if (onValue) return join([`${code(stmt.value.text)} → ${code(spec.key)}`, value, status]);
  return join([`### ${code(spec.key)} — ${kind === 'host' ? 'host' : kind} setting`, spec.doc, value, status]);
}
