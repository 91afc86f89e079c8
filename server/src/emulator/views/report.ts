/**
 * The readable `pciep emulate` report: diagnostics, each function's BAR table, metadata bytes
 * beside their decoded fields, channels, host, transfers and the timeline. Used by the CLI and
 * by the editor's "Emulate" command.
 */
import type { Emulation } from '../emulate';
import { collectResult } from './result';
import { decodeFields } from '../metadata/codec';
import { formatSize } from '../../language/units';
import { stamp } from '../system/clock';
import { formatLine } from '../../language/diagnostic-json';

const hex = (v: bigint | number, w = 0) => `0x${v.toString(16).padStart(w, '0')}`;

export function renderReport(file: string, e: Emulation): string {
  const r = collectResult(e);
  const out: string[] = [`# pciep emulate ${file}`, ''];
  out.push('## Diagnostics', '');
  if (e.diagnostics.length === 0) out.push('none');
  for (const d of e.diagnostics) {
    out.push(formatLine(file, d));
    for (const l of d.log ?? []) out.push(`    dmesg: ${l}`);
  }
  for (const f of r.functions) {
    out.push('', `## ${f.path} (${f.device})`, '');
    out.push(`controller ${f.controller ?? '—'}, function ${f.funcNo ?? '—'}, ${f.bound ? 'bound' : 'not bound'}`);
    if (f.bars.length) {
      out.push('', 'BAR  type          size       64-bit  role / regions');
      for (const b of f.bars) {
        const regions = b.regions.map((g) => `${g.kind}@${hex(g.offset)}+${formatSize(g.size)}${g.phys !== undefined ? `→${hex(g.phys)}` : ''}`).join(', ');
        out.push(`${String(b.bar).padEnd(4)} ${b.type.padEnd(13)} ${(b.size ? formatSize(b.size) : '—').padEnd(10)} ${(b.is64 ? 'yes' : 'no').padEnd(7)} ${[b.role, regions].filter(Boolean).join(': ')}`);
      }
    }
    if (f.metadata) {
      out.push('', `PEDM metadata in BAR${f.metadata.bar} (${f.metadata.bytes.length} bytes)`, '');
      for (const row of decodeFields(f.metadata.bytes).rows) {
        if (row.section === 'reserved' || row.meaning.includes('(ignored, A=0)')) continue;
        out.push(`  ${hex(row.offset, 3)}  ${row.hex.padEnd(12)} ${row.name.padEnd(18)} ${row.meaning}`);
      }
    }
    if (f.channels.length) {
      out.push('', 'channel       hw  state');
      for (const c of f.channels) out.push(`  ${c.dir.padEnd(10)}  ${String(c.hwCh).padEnd(3)} ${c.state}${c.errno ? ` (${c.errno})` : ''}`);
    }
  }
  if (r.host) {
    out.push('', '## Host', '', `driver ${r.host.driver}, probe ${r.host.probe}${r.host.reason ? ` (${r.host.reason})` : ''}${r.host.bdf ? `, device ${r.host.bdf}` : ''}`);
    for (const b of r.host.bars) out.push(`  BAR${b.bar} ${hex(b.address)} ${formatSize(b.size)}`);
  }
  if (e.system.transfers.length) {
    out.push('', '## Transfers', '');
    for (const t of e.system.transfers) {
      out.push(`  ${t.name.padEnd(12)} ${t.direction} ch${t.channel} ${formatSize(t.bytes).padEnd(9)} ${t.status}${t.status === 'done' ? (t.verified ? ', verified' : ', MISMATCH') : ''}${t.reason ? ` (${t.reason})` : ''}`);
    }
  }
  if (r.timeline.length) {
    out.push('', '## Timeline (virtual time)', '');
    for (const ev of r.timeline) out.push(`${stamp(ev.t)} ${ev.side === 'ep' ? 'EP  ' : 'HOST'} ${ev.text}`);
  }
  return out.join('\n');
}
