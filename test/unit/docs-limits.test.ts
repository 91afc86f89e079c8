/**
 * docs/language.md's "Emulator limits" section is generated from the constants the emulator uses
 * (scripts/gen-docs.ts); docs.test.ts keeps the file equal to the generator's output. This checks
 * the section is there and shows each constant's current value, so a limit cannot change without
 * the reference saying so.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TRANSFER_LIMITS } from '../../server/src/emulator/host/transfers';
import { MAX_REGION_BYTES } from '../../server/src/emulator/memory';
import { MAX_MODELLED_REG_WINDOW } from '../../server/src/emulator/system/ep-bus';
import { formatSize } from '../../server/src/language/units';

const LANGUAGE_MD = path.resolve(__dirname, '../../..', 'docs', 'language.md');

describe('docs/language.md: emulator limits', () => {
  const md = fs.readFileSync(LANGUAGE_MD, 'utf8');
  const section = md.slice(md.indexOf('\n## Emulator limits\n'));

  it('has the section, listed in the contents', () => {
    assert.ok(md.includes('\n## Emulator limits\n'), 'no "## Emulator limits" section');
    assert.ok(md.includes('- [Emulator limits](#emulator-limits)'));
  });

  it('shows the value of every limit constant', () => {
    const rows = section.split('\n').filter((l) => l.startsWith('| '));
    const row = (what: RegExp): string => rows.find((r) => what.test(r)) ?? assert.fail(`no row matching ${what}`);
    const bytes = (n: number): string => `${formatSize(n)} (${n.toLocaleString('en-US')} bytes)`;
    assert.ok(row(/^\| Bytes in one transfer/).includes(bytes(TRANSFER_LIMITS.bytesPerTransfer)));
    assert.ok(row(/^\| Bytes moved by all transfers/).includes(bytes(TRANSFER_LIMITS.bytesPerRun)));
    assert.ok(row(/^\| Linked-list data elements/).includes(`| ${TRANSFER_LIMITS.elementsPerRun.toLocaleString('en-US')} |`));
    assert.ok(row(/^\| Bytes backing one memory region/).includes(bytes(MAX_REGION_BYTES)));
    assert.ok(row(/^\| eDMA register window/).includes(bytes(MAX_MODELLED_REG_WINDOW)));
  });
});
