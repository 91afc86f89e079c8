/** `pciep profiles [--json]`: the built-in platform profiles. */
import { listProfiles } from '../language/profiles';
import type { Profile } from '../language/profiles/types';
import type { Io } from './io';

function jsonable(p: Profile): unknown {
  return JSON.parse(JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)));
}

export function runProfiles(json: boolean, io: Io): number {
  const profiles = listProfiles();
  if (json) {
    io.out(JSON.stringify(profiles.map(jsonable), null, 2));
    return 0;
  }
  const width = Math.max(...profiles.map((p) => p.compatible.length));
  for (const p of profiles) {
    const e = p.edma;
    const dma = e.present ? `${e.mapFormat} ${e.wrChannels}wr+${e.rdChannels}rd` : 'no eDMA';
    const bars = p.features.bars.map((b, i) => `${i}:${b.type}${b.fixedSize ? `(${b.fixedSize})` : ''}${b.only64bit ? '/64' : ''}`).join(' ');
    io.out(`${p.compatible.padEnd(width)}  ${p.name}; ${dma}; align ${p.features.align}; ${bars}`);
  }
  return 0;
}
