/**
 * Generates docs/language.md, the `.pciep` language reference, from the data the product runs
 * on: the attribute schema, the platform profiles and their override keys, the host keys, the
 * kernel parsers (examples are computed by calling them) and the errno table. Hand-written
 * prose is limited to the statement forms, the diagnostic code meanings and the list of places
 * where the emulator makes a choice the reference sheets leave open.
 *
 * `npm run docs` (node out/scripts/gen-docs.js) rewrites docs/language.md; test/unit/docs.test.ts
 * fails when the committed file differs from `generateLanguageDoc()`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTROLLER_ATTRIBUTES, DRIVERS, STANDARD_ATTRIBUTES } from '../server/src/language/schema';
import type { AttributeSpec, DriverSpec, StoreCheck } from '../server/src/language/schema/types';
import { PROFILES } from '../server/src/language/profiles';
import { PLATFORM_KEYS } from '../server/src/language/profiles/overrides';
import type { BarDesc, Profile } from '../server/src/language/profiles/types';
import { MAP_FORMAT_VALUE } from '../server/src/language/profiles/types';
import { HOST_KEYS } from '../server/src/language/host-schema';
import type { HostSectionKind, HostValue } from '../server/src/language/host-schema';
import { explainParse, formatShow, kernelParserName, kstrtobool, parseInt as kstrtoInt } from '../server/src/language/kstrto';
import type { IntType } from '../server/src/language/schema/types';
import { formatSize, hex, parseSize } from '../server/src/language/units';
import { DEFAULT_COMPATIBLE, KERNEL_REVISIONS } from '../server/src/language/platform';
import { CONFIGFS_ROOT } from '../server/src/language/paths';
import { ERRNO } from '../server/src/emulator/errno';
import { LL_POOL_BASE } from '../server/src/emulator/epc/dwc-aux';
import { TRANSFER_LIMITS } from '../server/src/emulator/host/transfers';
import { MAX_REGION_BYTES } from '../server/src/emulator/memory';
import { MAX_MODELLED_REG_WINDOW } from '../server/src/emulator/system/ep-bus';

// ---------------------------------------------------------------------------------------------
// Markdown helpers

/** Inline code that survives backticks inside the text. */
function code(text: string): string {
  if (!text.includes('`')) return `\`${text}\``;
  return `\`\` ${text} \`\``;
}

/** A table cell: no line breaks, pipes escaped (GFM applies the escape inside code spans too). */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [
    `| ${head.map(cell).join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Statement forms (fixed text)

const STATEMENTS = `## Statements

A \`.pciep\` file describes one endpoint system. It mirrors the configfs tree under
\`${CONFIGFS_ROOT}/\` and is **replayed top to bottom**, exactly like the shell script it stands
for: every configfs statement is one \`mkdir\`, \`echo\`, \`ln -s\`, \`rm\` or \`rmdir\`, and gets the
kernel's answer (errno and kernel log lines) at its own line. Order is meaning: writing
\`wr_chans\` after the function is linked fails with \`EOPNOTSUPP\` in the kernel, and fails at that
line here. Later statements see the state earlier ones left, failures included.

One statement per line. Blank lines are ignored; CRLF, LF and CR line ends and a leading BOM are
accepted; a line containing a NUL byte is ignored (\`nul-byte\`).

| Form | Meaning | Shell equivalent |
| --- | --- | --- |
| \`[path]\` | Enter a directory; the statements below it run there. For \`functions/<driver>/<name>\` the first mention is the \`mkdir\`; a later section with the same path re-enters it. Any other configfs directory must already exist (\`no-such-directory\`, ENOENT). | \`mkdir functions/<driver>/<name>\` / \`cd\` |
| \`name = value\` | Write an attribute. \`name\` may contain a sub-path relative to the section (\`pci_epf_dma.0/wr_chans\`). | \`echo value > name\` |
| \`name -> target\` | Create a symlink \`name\` (relative to the section) pointing at \`target\`, a path from the \`pci_ep\` root. Linking a function to a controller **binds** it. | \`ln -s <pci_ep>/target name\` |
| \`unlink name\` | Remove a symlink (unbinds a function from its controller). | \`rm name\` |
| \`rmdir\` / \`rmdir path\` | Remove the section's function directory, or the one named. | \`rmdir …\` |
| \`# comment\` | A comment, to the end of the line. | \`# comment\` |

**Sections.** \`[functions/<driver>/<name>]\` creates (first mention) and enters a function;
\`[functions/<driver>/<name>/primary]\`, \`[controllers/<epc>]\` and the driver's attribute group
\`[functions/<driver>/<name>/<driver>.<N>]\` enter existing directories. Statements before the
first section run in the \`pci_ep\` root. Three kinds of section are not configfs:
\`[platform/<epc>]\` (what the kernel probed, see [Platform override keys](#platform-override-keys)),
\`[host]\`, \`[host/transfer/NAME]\` and \`[host/fault/NAME]\` (the emulated root complex, see
[Host sections](#host-sections)). They only hold \`key = value\` lines.

**Values.** The value is exactly what \`echo\` would write, without its newline; the kernel sees it
followed by one \`\\n\`, which every kernel parser accepts. A bare value runs to the end of the line
or to a comment, with surrounding blanks removed. A value may be quoted with \`'…'\` or \`"…"\`
when it must keep blanks or a \`#\`; inside double quotes only \`\\"\` and \`\\\\\` are escapes, as in
the shell. Text after the closing quote is an error (\`text-after-quote\`), as is a missing one
(\`unterminated-quote\`).

**Comments.** \`#\` starts a comment at the start of a line or after a blank, outside quotes:
\`a#b\` stays a value, as it would in the shell.

**Paths.** Section paths, attribute names and link targets are relative to the \`pci_ep\` root
(section paths and targets) or to the section's directory (names, \`unlink\`, \`rmdir PATH\`).
\`.\` and \`..\` are resolved, \`//\` folds and a trailing \`/\` is dropped. A path may carry the
absolute \`${CONFIGFS_ROOT}/\` prefix so that lines pasted from a script work; any other absolute
path, or one that leaves the tree, is an error (\`bad-path\`). Paths cannot contain blanks.

**Replay order.** \`[platform/<epc>]\` sections are gathered **before** the replay, wherever they
stand in the file: a controller exists from boot on, so \`controllers/<epc>\` can be used above its
platform section. Every other statement runs in file order: \`mkdir\` on the first mention of a
function, each write through the attribute's store checks, each link through
\`pci_epc_add_epf\` and the driver's \`bind\`, then \`epc_init\` (at once for controllers
initialised at probe, after \`start = 1\` for controllers initialised on PERST# deassert).
\`[host…]\` sections describe what the emulated host does after the configfs replay.

Example:

\`\`\`
[platform/a40000000.pcie-ep]            # the controller as probed (not configfs)
compatible = rockchip,rk3588-pcie-ep

[functions/pci_epf_dma/dma0]            # mkdir functions/pci_epf_dma/dma0
vendorid = 0x1d87                       # echo 0x1d87 > functions/pci_epf_dma/dma0/vendorid
msi_interrupts = 8
pci_epf_dma.0/wr_chans = 2              # the driver's own attribute group
pci_epf_dma.0/rd_chans = 2
primary/ep -> controllers/a40000000.pcie-ep   # ln -s … (binds)

[controllers/a40000000.pcie-ep]
start = 1
\`\`\`

A step-by-step walk through a complete file is in the [tutorial](tutorial.md).`;

// ---------------------------------------------------------------------------------------------
// Values

function intResult(type: IntType, text: string): string {
  const r = kstrtoInt(type, text + '\n');
  return r.ok ? String(r.value) : r.errno;
}

function valuesSection(): string {
  const intRows: [string, IntType][] = [
    ['32', 'u8'],
    ['0x20', 'u8'],
    ['0X1f', 'u8'],
    ['040', 'u8'],
    ['010', 'u16'],
    ['08', 'u8'],
    ['+5', 'u8'],
    ['-1', 'u8'],
    ['-1', 's32'],
    ['256', 'u8'],
    ['70000', 'u16'],
    ['0x', 'u8'],
    ['4K', 'u32'],
    ['1_000', 'u32'],
  ];
  const ints = table(
    ['Written', 'Parser', 'Result', 'Why'],
    intRows.map(([text, type]) => [code(text), code(kernelParserName(type)), intResult(type, text), explainParse(type, text + '\n')]),
  );

  const boolRows = ['1', '0', 'y', 'N', 'yes', 'on', 'off', 'true', '1abc', '10', 'ox', '2', 'maybe'];
  const bools = table(
    ['Written', 'Result', 'Why'],
    boolRows.map((text) => {
      const r = kstrtobool(text + '\n');
      return [code(text), r.ok ? (r.value ? 'true (1)' : 'false (0)') : r.errno, explainParse('bool', text + '\n')];
    }),
  );

  const sizeRows = ['4096', '0x1000', '4K', '64 KiB', '1M', '1_048_576', '0x4_1000_0000', '1G', '1.5M', '-4K', '4X'];
  const sizes = table(
    ['Written', 'Value', 'Note'],
    sizeRows.map((text) => {
      const r = parseSize(text);
      return r.ok ? [code(text), `${hex(r.value)} (${formatSize(r.value)})`, ''] : [code(text), 'error', r.message];
    }),
  );

  const all = [...STANDARD_ATTRIBUTES, ...CONTROLLER_ATTRIBUTES, ...DRIVERS.flatMap((d) => d.groupAttributes)];
  const showRows: [string, bigint][] = [
    ['0x%04x', 1n],
    ['%d', -1n],
    ['%d', 0xffff_ffffn],
    ['%u', 2n],
    ['%lld', 1048576n],
    ['%zu', 512n],
  ];
  const shows = table(
    ['Format', 'Value', 'Shows', 'Used by'],
    showRows.map(([fmt, v], i) => {
      const users = [...new Set(all.filter((a) => a.show === fmt).map((a) => a.name))];
      const seen = showRows.slice(0, i).some(([f]) => f === fmt);
      return [code(fmt), String(v), code(formatShow(fmt, v)), seen ? '(as above)' : users.map(code).join(', ')];
    }),
  );

  const scopes: { label: string; attrs: readonly AttributeSpec[] }[] = [
    { label: 'the standard function attributes', attrs: STANDARD_ATTRIBUTES },
    { label: 'the controller attribute', attrs: CONTROLLER_ATTRIBUTES },
    ...DRIVERS.filter((d) => d.groupAttributes.length > 0).map((d) => ({ label: d.name, attrs: d.groupAttributes })),
  ];
  const byErrno = (errno: 'EINVAL' | 'passthrough'): string =>
    scopes
      .map((s) => ({ label: s.label, names: s.attrs.filter((a) => parseCheck(a)?.errno === errno).map((a) => code(a.name)) }))
      .filter((s) => s.names.length > 0)
      .map((s) => `  - ${s.label}: ${s.names.join(', ')}`)
      .join('\n');

  return `## Values

### configfs values: the kernel's parsers

configfs attribute values are parsed by the kernel's own \`kstrto*\` functions (\`lib/kstrtox.c\`),
always with **base 0** and on the exact bytes \`echo\` writes (the value plus one \`\\n\`):

- \`0x\` or \`0X\` followed by a hex digit selects hexadecimal;
- any other leading \`0\` selects **octal**: \`010\` is 8, and \`08\` is an error;
- otherwise decimal; one leading \`+\` is accepted, \`-\` only by the signed parsers;
- no blanks, no \`_\` separators, no K/M/G suffixes; one trailing newline is accepted;
- a number that does not fit the type is \`ERANGE\`, anything else that is not a number is \`EINVAL\`.

The table is computed by the emulator's parsers (the same code the validator and hovers use):

${ints}

What the write returns depends on the attribute: some store callbacks turn every parse failure
into \`EINVAL\`, others return the parser's own error (\`ERANGE\` on overflow).

- Every parse failure is \`EINVAL\`:
${byErrno('EINVAL')}
- The parser's error is passed through:
${byErrno('passthrough')}

A value that the kernel reads as octal but that means something else in decimal is accepted with a
warning (\`octal-value\`).

### configfs booleans: kstrtobool

\`start\` is parsed with \`kstrtobool\`, which decides on the first character (\`1\`/\`y\`/\`t\` true,
\`0\`/\`n\`/\`f\` false, either case) or on the first two for \`on\`/\`of…\`; the rest is never looked at.
Accepted spellings other than the plain ones get a warning (\`bool-value\`).

${bools}

### Show formats

Reading an attribute back prints its value with the store's \`printf\` format (followed by a
newline). \`%d\` reinterprets the value as a signed 32-bit number, \`%lld\` as signed 64-bit.

${shows}

### Sizes and addresses in platform and host sections

\`[platform/…]\` and \`[host…]\` values are not configfs: sizes and addresses accept \`0x\` hex,
\`_\` digit separators and binary unit suffixes \`K\`, \`M\`, \`G\`, \`T\` (also \`KiB\`/\`KB\`…,
case-insensitive; 1K = 1024). Counts accept \`0x\` and \`_\` but no suffix. configfs values never
accept suffixes or separators, because the kernel does not.

${sizes}`;
}

// ---------------------------------------------------------------------------------------------
// Attributes

function parseCheck(a: AttributeSpec): Extract<StoreCheck, { check: 'parse' }> | undefined {
  return a.store.find((c): c is Extract<StoreCheck, { check: 'parse' }> => c.check === 'parse');
}

function parserOf(a: AttributeSpec): string {
  return a.parse.kind === 'bool' ? 'kstrtobool' : kernelParserName(a.parse.type);
}

function typeOf(a: AttributeSpec): string {
  return a.parse.kind === 'bool' ? `bool (${code('kstrtobool')})` : `${a.parse.type} (${code(kernelParserName(a.parse.type))})`;
}

function withLog(text: string, log: string | undefined): string {
  return log === undefined ? text : `${text} (log "${log}")`;
}

/** One store check, readably: "refused once bound → EOPNOTSUPP", "≤ 8 → else EINVAL". */
export function describeCheck(a: AttributeSpec, c: StoreCheck): string {
  switch (c.check) {
    case 'parse':
      return c.errno === 'EINVAL'
        ? `parse ${parserOf(a)} (any failure → EINVAL)`
        : `parse ${parserOf(a)} (errors passed through)`;
    case 'unbound':
      return withLog(`refused once bound → ${c.errno}`, c.log);
    case 'range': {
      const bounds =
        c.min !== undefined && c.max !== undefined ? `${c.min}..${c.max}` : c.max !== undefined ? `≤ ${c.max}` : `≥ ${c.min ?? 0}`;
      return withLog(`${bounds} → else ${c.errno}`, c.log);
    }
    case 'pow2':
      return withLog(`power of two → else ${c.errno}`, c.log);
    case 'differs':
      return withLog(`≠ ${c.from}${c.unless !== undefined ? ` (unless ${c.unless})` : ''} → else ${c.errno}`, c.log);
    case 'index-le':
      return withLog(`${c.index} ≤ ${c.sibling} → else ${c.errno}`, c.log);
  }
}

export function describeChecks(a: AttributeSpec): string {
  return a.store.map((c) => describeCheck(a, c)).join('; ');
}

function defaultOf(a: AttributeSpec): string {
  if (a.defaultValue === undefined) return '—';
  return code(formatShow(a.show, BigInt(a.defaultValue)));
}

function describeAttribute(a: AttributeSpec): string {
  const parts = [a.doc];
  if (a.bindNote !== undefined) parts.push(`**Later (bind / epc_init):** ${a.bindNote}`);
  if (a.patchOnly !== undefined) parts.push(`**Patch only:** ${a.patchOnly}.`);
  return parts.join(' ');
}

function attributeTable(attrs: readonly AttributeSpec[]): string {
  return table(
    ['Attribute', 'Type / parser', 'Default', 'Show', 'Store checks, in order', 'Description', 'Reference'],
    attrs.map((a) => [code(a.name), typeOf(a), defaultOf(a), code(a.show), describeChecks(a), describeAttribute(a), a.ref]),
  );
}

function headerDefaults(d: DriverSpec): string {
  const entries = Object.entries(d.headerDefaults);
  if (entries.length === 0) return 'none (every header field starts at 0)';
  return entries
    .map(([name, v]) => {
      const spec = STANDARD_ATTRIBUTES.find((a) => a.name === name);
      return `${code(name)} = ${code(spec ? formatShow(spec.show, BigInt(v)) : String(v))}`;
    })
    .join(', ');
}

function driverSection(d: DriverSpec): string {
  const lines = [
    `### ${d.name}`,
    '',
    `*${d.summary}*`,
    '',
    d.doc,
    '',
    `- Directory: ${code(`functions/${d.name}/<name>/`)}`,
    `- Interfaces: ${d.interfaces === 'primary' ? `${code('primary/')} (one controller)` : `${code('primary/')} and ${code('secondary/')} (two controllers; binds once both are linked)`}`,
    `- Header values set by the driver's probe (the rest stay 0): ${headerDefaults(d)}`,
  ];
  if (d.patchOnly !== undefined) lines.push(`- Patch only: ${d.patchOnly}`);
  lines.push(`- Reference: ${d.ref}`);
  lines.push('');
  if (d.hasGroup && d.groupAttributes.length > 0) {
    lines.push(
      `Attribute group ${code(`${d.name}.<N>/`)} (N is the function's global device index, see [Function attributes](#function-attributes)):`,
      '',
      attributeTable(d.groupAttributes),
    );
  } else {
    lines.push('No driver-specific attribute group: only the standard function attributes.');
  }
  return lines.join('\n');
}

function attributesSection(): string {
  return `## Function attributes

Every \`functions/<driver>/<name>/\` directory has these files (kernel-background A.2). They are
stored at write time and reach the hardware when the driver initialises the controller
(\`epc_init\` → \`pci_epc_write_header()\`); the header starts zeroed and the driver's probe sets its
own defaults (listed per driver below), so the default shown here is the zeroed one.

Besides the files, a function directory holds \`primary/\` and \`secondary/\` (where the controller
link goes) and, for drivers that have one, the driver's own attribute group
\`<driver>.<N>/\`. **N is the global device index** (an IDR shared by all drivers): it counts every
function created before this one and still present, across all drivers, and is reused after
\`rmdir\`. The first function created in a file is \`.0\`, so a \`pci_epf_dma\` function created first
has \`pci_epf_dma.0/wr_chans\`; the next function created, whatever its driver, gets \`.1\`.

${attributeTable(STANDARD_ATTRIBUTES)}

## Controller attributes

Every \`controllers/<epc>/\` directory (one per \`[platform/<epc>]\` section) has:

${attributeTable(CONTROLLER_ATTRIBUTES)}

A controller directory also accepts symlinks to functions (\`name -> functions/<driver>/<name>\`),
which bind them like a link in the function's \`primary/\`.

## Endpoint function drivers

The directories under \`functions/\`, one per registered endpoint function driver.

${table(
  ['Driver', 'Summary', 'Interfaces', 'Attribute group'],
  DRIVERS.map((d) => [
    `[${code(d.name)}](#${d.name})`,
    d.summary,
    d.interfaces === 'primary' ? 'primary' : 'primary + secondary',
    d.hasGroup ? d.groupAttributes.map((a) => code(a.name)).join(', ') : '—',
  ]),
)}

${DRIVERS.map(driverSection).join('\n\n')}`;
}

// ---------------------------------------------------------------------------------------------
// Profiles

function barSixtyFour(bars: readonly BarDesc[], i: number): string {
  if (bars[i].only64bit === true) return `only_64bit (with BAR${i + 1})`;
  if (bars[i].type === '64bit-upper') return `upper half of BAR${i - 1}`;
  return '—';
}

function barRegions(b: BarDesc): string {
  const regions = b.rsvdRegions ?? [];
  if (regions.length === 0) return '—';
  return regions.map((r) => `${r.type} at ${hex(r.offset)}, ${formatSize(r.size)}`).join('; ');
}

/** Short label for each non-BAR override key, shown in a profile's feature table. */
const FEATURE_LABELS: Readonly<Record<string, string>> = {
  'max-functions': 'Physical functions (DT max-functions)',
  'max-vfs': 'Virtual functions per PF (max_vfs)',
  align: 'BAR memory alignment',
  'msi-capable': 'MSI capable',
  'msix-capable': 'MSI-X capable',
  'intx-capable': 'INTx capable',
  'linkup-notifier': 'Link-up notifier',
  'dynamic-inbound-mapping': 'Dynamic inbound mapping',
  'subrange-mapping': 'Subrange mapping',
  'iatu-inbound': 'iATU inbound windows',
  'iatu-outbound': 'iATU outbound windows',
  'iatu-region-align': 'iATU minimum region',
  edma: 'Integrated eDMA/HDMA detected',
  'edma-map-format': 'eDMA register map',
  'edma-wr-channels': 'eDMA write channels (EP → RC)',
  'edma-rd-channels': 'eDMA read channels (RC → EP)',
  'edma-ll-size': 'LL region per channel',
  'edma-reg-phys': 'eDMA register window address',
  'edma-reg-size': 'eDMA register window size',
  'edma-doorbell': 'Interrupt-emulation doorbell offset',
  'edma-irqs': 'eDMA IRQ lines',
  'edma-provider': 'Local DW eDMA provider registered',
  'init-at': 'EPC registers initialised at',
};

const isBarKey = (key: string): boolean => /^bar\d/.test(key);

function profileSection(p: Profile): string {
  const bars = p.features.bars;
  const barTable = table(
    ['BAR', 'Type', 'Fixed size', '64-bit', 'Reserved subregions'],
    bars.map((b, i) => [
      `BAR${i}`,
      b.type,
      b.fixedSize !== undefined ? formatSize(b.fixedSize) : '—',
      barSixtyFour(bars, i),
      barRegions(b),
    ]),
  );
  const featureTable = table(
    ['Feature', 'Value', 'Override key'],
    PLATFORM_KEYS.filter((k) => !isBarKey(k.key)).map((k) => {
      let value = k.show(p);
      if (k.key === 'edma-map-format') value = `${value} (${MAP_FORMAT_VALUE[p.edma.mapFormat]})`;
      return [FEATURE_LABELS[k.key] ?? k.key, value, code(k.key)];
    }),
  );
  const unsure = Object.entries(p.unsure);
  const lines = [
    `### ${p.name}`,
    '',
    `- Compatible: ${code(p.compatible)}`,
    `- Glue driver: ${code(p.glue)}${p.dwc ? ' (DesignWare)' : ''}`,
    `- Usual controller name: ${code(p.epcName)} (the configfs ${code(`controllers/${p.epcName}`)})`,
    `- Reference: ${p.ref}`,
    '',
    barTable,
    '',
    featureTable,
  ];
  if (unsure.length > 0) {
    lines.push('', '**Not certain:**', '', ...unsure.map(([field, why]) => `- ${code(field)}: ${why}`));
  }
  return lines.join('\n');
}

function profilesSection(): string {
  const overview = table(
    ['Compatible', 'Name', 'Controller', 'eDMA', 'Reserved / fixed BARs', 'Init'],
    PROFILES.map((p) => {
      const e = p.edma;
      const special = p.features.bars
        .map((b, i) => (b.type === 'reserved' || b.type === 'fixed' ? `BAR${i} ${b.type}` : ''))
        .filter((s) => s !== '')
        .join(', ');
      return [
        code(p.compatible),
        p.name,
        code(p.epcName),
        e.present ? `${e.mapFormat}, ${e.wrChannels} wr + ${e.rdChannels} rd` : 'none detected',
        special === '' ? '—' : special,
        p.initAt,
      ];
    }),
  );
  return `## Platform profiles

\`compatible = …\` in a \`[platform/<epc>]\` section picks one of these built-in profiles: what the
kernel would have probed from the devicetree and the hardware. Without \`compatible\` the generic
\`${DEFAULT_COMPATIBLE}\` profile is assumed (\`missing-compatible\`). Every value can be overridden
in the same section with the [platform override keys](#platform-override-keys); the override key of
each value is listed beside it. Values the reference sheets do not establish are listed under
**Not certain** with the reason.

${overview}

${PROFILES.map(profileSection).join('\n\n')}`;
}

function platformKeysSection(): string {
  const fixed = table(
    ['Key', 'Value', 'Description'],
    [
      [
        code('compatible'),
        PROFILES.map((p) => p.compatible).join('|'),
        `Selects the built-in profile (devicetree compatible of the endpoint node). Unknown values are an error (\`unknown-compatible\`) and fall back to \`${DEFAULT_COMPATIBLE}\`.`,
      ],
      [
        code('kernel'),
        KERNEL_REVISIONS.join('|'),
        `Series revision whose behaviour is emulated; default \`${KERNEL_REVISIONS[0]}\`. \`v3\` exposes the eDMA only to physical function 0 (seed-series 3, 4.1).`,
      ],
    ],
  );
  const keys = table(
    ['Key', 'Value', 'Description', 'Reference'],
    PLATFORM_KEYS.map((k) => [code(k.key), code(k.valueSyntax), k.doc, k.ref]),
  );
  return `## Platform override keys

A \`[platform/<epc>]\` section describes one controller as the kernel probed it; \`<epc>\` is its
configfs name under \`controllers/\`. It holds only \`key = value\` lines (\`not-configfs\`
otherwise) and is read before the replay. A key given twice keeps the
later value (\`duplicate-key\`). Cross-field consistency (a fixed BAR without a size, an
\`only_64bit\` BAR not followed by its upper half, channel counts the eDMA detection would reject…)
is checked on the resulting profile, so keys may come in any order.

${fixed}

Every profile field can be overridden:

${keys}`;
}

// ---------------------------------------------------------------------------------------------
// Host

function hostValue(v: HostValue): string {
  switch (v.kind) {
    case 'enum':
      return v.values.join('|');
    case 'int':
      return `${v.min}..${v.max}`;
    case 'size':
      return 'SIZE (K/M/G)';
    case 'address':
      return 'ADDRESS';
    case 'text':
      return 'text';
  }
}

const HOST_SECTION_TITLE: Record<HostSectionKind, string> = {
  host: '[host]',
  transfer: '[host/transfer/NAME]',
  fault: '[host/fault/NAME]',
};

const HOST_SECTION_DOC: Record<HostSectionKind, string> = {
  host: 'The emulated root complex: which driver probes the endpoint, interrupt vectors granted, BAR address window, DMA memory.',
  transfer: 'A DMA transfer the host runs once the delegated channels are up; one section per transfer.',
  fault: 'An injected fault, to see how both sides react.',
};

function hostSection(): string {
  const kinds = Object.keys(HOST_KEYS) as HostSectionKind[];
  const parts = kinds.map((kind) =>
    [
      `### ${HOST_SECTION_TITLE[kind]}`,
      '',
      HOST_SECTION_DOC[kind],
      '',
      table(
        ['Key', 'Value', 'Required', 'Description'],
        HOST_KEYS[kind].map((k) => [code(k.key), code(hostValue(k.value)), k.required === true ? 'yes' : 'no', k.doc]),
      ),
    ].join('\n'),
  );
  return `## Host sections

\`[host]\`, \`[host/transfer/NAME]\` and \`[host/fault/NAME]\` describe the emulated root complex
used by previews and debugging. They are not configfs and hold only
\`key = value\` lines; sizes and addresses accept K/M/G suffixes and \`_\` separators. Unknown
sections, unknown keys, bad values and missing required keys are errors
(\`unknown-host-section\`, \`unknown-host-key\`, \`bad-host-value\`, \`missing-host-key\`).

${parts.join('\n\n')}`;
}

// ---------------------------------------------------------------------------------------------
// Diagnostic codes

interface CodeDoc {
  code: string;
  severity: string;
  errno: string;
  meaning: string;
}

interface CodeGroup {
  title: string;
  intro: string;
  codes: CodeDoc[];
}

/**
 * Every diagnostic code the sources report. test/unit/docs.test.ts scans server/src for code
 * strings and fails when one is missing here.
 */
export const DIAGNOSTIC_CODES: readonly CodeGroup[] = [
  {
    title: 'Syntax (parser)',
    intro: 'Reported per line; the rest of the file is still read.',
    codes: [
      { code: 'syntax', severity: 'error', errno: '—', meaning: 'The line is none of the statement forms (`[section]`, `name = value`, `name -> target`, `unlink NAME`, `rmdir`).' },
      { code: 'missing-name', severity: 'error', errno: '—', meaning: 'Nothing before `=` or `->`, or `unlink` without a link name.' },
      { code: 'missing-target', severity: 'error', errno: '—', meaning: '`name ->` with nothing after the arrow.' },
      { code: 'unterminated-quote', severity: 'error', errno: '—', meaning: 'A quoted value has no closing quote.' },
      { code: 'text-after-quote', severity: 'error', errno: '—', meaning: 'Text follows the closing quote of a value; quote the whole value.' },
      { code: 'unclosed-section', severity: 'error', errno: '—', meaning: "A section header is missing its closing `]`." },
      { code: 'text-after-section', severity: 'error', errno: '—', meaning: 'Text follows the `]` of a section header.' },
      { code: 'empty-section', severity: 'error', errno: '—', meaning: '`[]`: a section header names no path.' },
      { code: 'root-section', severity: 'error', errno: '—', meaning: 'The section names the `pci_ep` root itself.' },
      { code: 'blank-in-path', severity: 'error', errno: '—', meaning: 'A section path, link target, link name or `rmdir` path contains blanks.' },
      { code: 'bad-path', severity: 'error', errno: '—', meaning: 'A path cannot be resolved: absolute outside `/sys/kernel/config/pci_ep/`, or `..` leaves the tree (also reported by the replay for attribute names and `unlink`/`rmdir` paths).' },
      { code: 'nul-byte', severity: 'error', errno: '—', meaning: 'The line contains a NUL byte and is ignored.' },
    ],
  },
  {
    title: 'Platform sections',
    intro: 'Checked before the replay, on `[platform/<epc>]` sections.',
    codes: [
      { code: 'bad-platform-path', severity: 'error', errno: '—', meaning: 'A platform section is not `[platform/<controller-name>]` (one name, no sub-path).' },
      { code: 'duplicate-platform', severity: 'error', errno: '—', meaning: 'The same controller is described twice; the second section is ignored.' },
      { code: 'not-configfs', severity: 'error', errno: '—', meaning: 'A link, `unlink` or `rmdir` in a platform or host section, which only hold `key = value` lines.' },
      { code: 'duplicate-key', severity: 'warning', errno: '—', meaning: 'A platform key is set twice; the later value wins.' },
      { code: 'bad-value', severity: 'error', errno: '—', meaning: '`kernel` is not one of the emulated series revisions.' },
      { code: 'unknown-compatible', severity: 'error', errno: '—', meaning: 'No built-in profile has this `compatible` (with a suggestion); the generic profile is used instead.' },
      { code: 'missing-compatible', severity: 'warning', errno: '—', meaning: 'No `compatible` given: the generic profile is assumed.' },
      { code: 'unknown-platform-key', severity: 'error', errno: '—', meaning: 'Not a platform override key (with a suggestion).' },
      { code: 'bad-platform-value', severity: 'error', errno: '—', meaning: 'The value does not fit the key (wrong syntax, out of range, not a power of two, …).' },
    ],
  },
  {
    title: 'configfs replay (the kernel\'s answer)',
    intro: 'One per failed operation, at the statement that performs it, with the errno the shell would see and the kernel log lines.',
    codes: [
      { code: 'no-such-directory', severity: 'error', errno: 'ENOENT', meaning: 'A section, write, link, `rmdir` or the directory of a name does not exist: unknown driver, function not created yet, wrong driver-group index `<driver>.<N>`, controller without a platform section.' },
      { code: 'write-to-directory', severity: 'error', errno: 'EISDIR', meaning: 'A `name = value` names a directory.' },
      { code: 'unknown-attribute', severity: 'error', errno: 'EACCES', meaning: 'No such attribute in that directory (configfs cannot create files); suggests the right name, or the driver group for a group attribute written in the function directory.' },
      { code: 'write-failed', severity: 'error', errno: 'from the store', meaning: "The attribute's store callback refused the value: parse failure (EINVAL/ERANGE), range or power-of-two check (EINVAL), change after bind (EOPNOTSUPP for pci_epf_dma, EINVAL for pci_epf_test), `mwN` before `num_mws` (EINVAL)." },
      { code: 'write-after-init', severity: 'warning', errno: '—', meaning: 'A header value written after `epc_init` already programmed the controller: it is stored but only takes effect at the next `epc_init`.' },
      { code: 'start-before-link', severity: 'warning', errno: '—', meaning: '`start = 1` on a controller with no function linked.' },
      { code: 'dangling-link', severity: 'error', errno: 'ENOENT', meaning: 'The link target does not exist.' },
      { code: 'duplicate-link', severity: 'error', errno: 'EEXIST', meaning: 'A link with that name already exists.' },
      { code: 'bad-link-target', severity: 'error', errno: 'EINVAL', meaning: 'The target is the wrong kind of directory (a controller directory links to a function, `primary/`/`secondary/` to a controller, a function directory to a virtual function).' },
      { code: 'link-not-allowed', severity: 'error', errno: 'EPERM', meaning: 'The directory does not accept symlinks.' },
      { code: 'link-failed', severity: 'error', errno: 'EBUSY, EINVAL', meaning: 'The link is refused before bind: the interface is already linked (EBUSY), a virtual function linked to a controller (EINVAL), a VF link after the PF or VF was linked (EBUSY), no free VF number (EINVAL).' },
      { code: 'max-functions', severity: 'error', errno: 'EINVAL', meaning: 'The controller has no free function number (`max-functions`); the related locations show who took them.' },
      { code: 'bind-failed', severity: 'error', errno: "from the driver", meaning: "`pci_epc_add_epf` or the driver's `bind` failed, so the `ln -s` fails: no VF support, no interrupt vectors, no DMA resources, channel counts the controller cannot delegate (E27, E28), unusable metadata or window BAR…; the related locations point at the writes and platform facts that caused it." },
      { code: 'epc-init-failed', severity: 'error', errno: 'from the driver', meaning: "The function bound, but its `epc_init` (header, BARs, MSI/MSI-X) failed; the `ln -s` itself succeeds and the function stays unusable." },
      { code: 'link-after-start', severity: 'warning', errno: '—', meaning: 'A function is linked to a controller that is already started: the host may have enumerated the endpoint without it.' },
      { code: 'no-such-link', severity: 'error', errno: 'ENOENT', meaning: '`unlink` names no existing link.' },
      { code: 'unlink-while-started', severity: 'warning', errno: '—', meaning: 'A function is unlinked while its controller is started: the kernel WARNs; write `start = 0` first.' },
      { code: 'rmdir-failed', severity: 'error', errno: 'ENOTEMPTY, EBUSY, EPERM', meaning: 'The function still holds links (ENOTEMPTY) or is still the target of one (EBUSY, the emulator\'s choice), or the directory is created by the kernel (EPERM).' },
    ],
  },
  {
    title: 'Rules',
    intro: 'Checks over the replay result that are not a failing operation. Each rule\'s id is the code it reports, except `host-section`.',
    codes: [
      { code: 'octal-value', severity: 'warning', errno: '—', meaning: 'A value with a leading 0 is octal to the kernel and means something else than its decimal look (`010` is 8); the fix writes the stored value.' },
      { code: 'interrupt-pin-range', severity: 'warning', errno: '—', meaning: '`interrupt_pin` above 4 is stored but is no INTx pin.' },
      { code: 'bool-value', severity: 'warning', errno: '—', meaning: '`kstrtobool` accepted a value only because it reads the first characters (`1abc`, `10`, `yes please`).' },
      { code: 'msi-rounding', severity: 'info', errno: '—', meaning: 'A non-power-of-two `msi_interrupts` is advertised rounded up to a power of two.' },
      { code: 'unusable-bar', severity: 'warning', errno: '—', meaning: 'A BAR index written to `metadata_bar`, `dma_window_bar` or a vNTB `*_bar` is reserved, disabled or a 64-bit upper half on the linked controller: the write succeeds, bind will fail with EINVAL.' },
      { code: 'ntb-needs-both-interfaces', severity: 'warning', errno: '—', meaning: '`pci_epf_ntb` is linked on one interface only and stays unbound.' },
      { code: 'never-started', severity: 'info', errno: '—', meaning: 'A controller with linked functions is never started, so its link never comes up.' },
      { code: 'host-section', severity: '—', errno: '—', meaning: 'Id of the rule that checks the host sections; it reports `unknown-host-section`, `unknown-host-key`, `bad-host-value`, `missing-host-key` and `not-configfs`.' },
      { code: 'unknown-host-section', severity: 'error', errno: '—', meaning: 'Not `[host]`, `[host/transfer/NAME]` or `[host/fault/NAME]`.' },
      { code: 'unknown-host-key', severity: 'error', errno: '—', meaning: 'Not a key of that host section (with a suggestion).' },
      { code: 'bad-host-value', severity: 'error', errno: '—', meaning: 'Not one of the listed words, not a number/size, out of range, or a zero size.' },
      { code: 'missing-host-key', severity: 'error', errno: '—', meaning: 'A required key (`direction`, `size` of a transfer; `kind` of a fault) is missing.' },
    ],
  },
  {
    title: 'Emulation (pciep emulate, language server)',
    intro: 'Only the full run can tell these: the host probe and handshake, and the transfers.',
    codes: [
      { code: 'host-probe-failed', severity: 'error', errno: 'varies', meaning: 'dw-edma-pcie rejected the endpoint: no metadata (ENODEV), a field the host parser refuses (EINVAL, EOPNOTSUPP), READY never set within 2 s (ETIMEDOUT), no interrupt vectors.' },
      { code: 'transfer-aborted', severity: 'error', errno: '—', meaning: 'The DMA channel raised ABORT (bad descriptor or buffer address, zero size, a looping list, link down).' },
      { code: 'transfer-timeout', severity: 'error', errno: '—', meaning: 'No completion interrupt: the engine stopped waiting for descriptors or never ran.' },
      { code: 'transfer-mismatch', severity: 'error', errno: '—', meaning: 'The transfer completed but the destination does not hold the source bytes.' },
      { code: 'transfer-not-run', severity: 'warning', errno: '—', meaning: 'The transfer names a channel the endpoint does not expose, the host driver is not bound, or the transfer is past the [emulator limits](#emulator-limits).' },
      { code: 'submap-misaligned', severity: 'warning', errno: '—', meaning: 'A DMA window subrange is not a multiple of the iATU minimum region: the worker\'s set_bar with submaps will fail after HOST_REQ and READY never comes (seed-series 7 E20).' },
      { code: 'window-exposes-more', severity: 'info', errno: '—', meaning: 'An aligned DMA window subrange exposes more endpoint memory than the resource it carries (seed-series 7 E21, E24).' },
    ],
  },
];

function diagnosticsSection(): string {
  const groups = DIAGNOSTIC_CODES.map((g) =>
    [`### ${g.title}`, '', g.intro, '', table(['Code', 'Severity', 'errno', 'Meaning'], g.codes.map((c) => [code(c.code), c.severity, c.errno, c.meaning]))].join('\n'),
  );
  return `## Diagnostic codes

Every diagnostic has a stable kebab-case code, shown by the editor and by
\`pciep check\` (\`FILE:LINE:COLUMN: SEVERITY CODE: MESSAGE\`). A kernel failure's message starts
with the errno and its text, e.g. \`EOPNOTSUPP (Operation not supported): …\`, and the diagnostic carries the
kernel log lines and the reference section it comes from.

${groups.join('\n\n')}`;
}

function errnoSection(): string {
  const rows = Object.entries(ERRNO)
    .sort(([, a], [, b]) => a.no - b.no)
    .map(([name, e]) => [code(name), String(e.no), e.text]);
  return `## errno values

The errno names the emulator reports, with their Linux numbers and the text \`strerror\` (and so the
shell) prints.

${table(['Name', 'Number', 'Text'], rows)}`;
}

// ---------------------------------------------------------------------------------------------
// Emulator choices

function choicesSection(): string {
  const wrChans = DRIVERS.find((d) => d.name === 'pci_epf_dma')?.groupAttributes.find((a) => a.name === 'wr_chans');
  const order = wrChans === undefined ? '' : ` The order used: ${describeChecks(wrChans)}.`;
  const unsure = PROFILES.filter((p) => Object.keys(p.unsure).length > 0).map(
    (p) => `  - ${p.name} (${code(p.compatible)}): ${Object.keys(p.unsure).map(code).join(', ')}`,
  );
  return `## Where the emulator chooses

The reference sheets leave some behaviour open. Where the emulator has to pick, it picks one of the
possibilities and says so here.

- **rmdir of a function that is still a link target.** configfs holds a reference per symlink to
  the item, but the sheets do not give the errno of \`rmdir\` on a function that a controller
  directory still links to (or that is still a virtual function of another function). The
  emulator answers \`EBUSY\` (\`rmdir-failed\`, message "errno chosen by the emulator"). A function
  whose own \`primary/\`/\`secondary/\` still holds a link fails with \`ENOTEMPTY\`, as in the sheets.
- **pci_epf_dma store check order.** seed-series 6.1 says \`metadata_bar\`, \`dma_window_bar\`,
  \`wr_chans\` and \`rd_chans\` return \`EOPNOTSUPP\` once the function is bound, but not whether that
  test runs before or after the value is parsed. The schema checks it first, so junk written after
  linking reports \`EOPNOTSUPP\` rather than \`EINVAL\`/\`ERANGE\`.${order}
- **v3, physical functions other than 0.** With \`kernel = v3\` the eDMA is exposed to physical
  function 0 only (seed-series 4.1); the errno of the refused aux-resource query is not in the
  retrieved text. The emulator returns \`EOPNOTSUPP\` (the message says "errno unverified").
- **LL region addresses.** The kernel's \`dma_alloc_coherent\` addresses for the per-channel
  linked-list regions are arbitrary. The emulator places them in one deterministic pool at
  \`${hex(LL_POOL_BASE)}\` (the seed-series 1.7 worked example), write channels first, then read
  channels, one LL region size apart, so metadata bytes are reproducible.
- **E18 auto-pick.** seed-series E18 notes that in older kernels the free-BAR helper skipped only
  reserved BARs, so an auto-picked \`metadata_bar\`/\`dma_window_bar\` could be a disabled BAR that
  bind then rejects with \`EINVAL\` (unverified for newer kernels). The emulator's
  \`pci_epc_get_next_free_bar\` skips reserved, disabled and 64-bit upper-half BARs (newer kernels),
  so auto-pick never lands on a disabled BAR and that \`EINVAL\` is not reproduced. A disabled BAR
  written explicitly still fails bind with \`EINVAL\` (and \`unusable-bar\` warns at the write).
- **Missing or unknown \`compatible\`.** The emulator assumes the generic \`${DEFAULT_COMPATIBLE}\`
  profile (\`missing-compatible\`, \`unknown-compatible\`).
- **Host transfer buffers.** Without \`src\`/\`dst\` in a \`[host/transfer/NAME]\` section the
  emulator picks the buffers itself.
- **Profile values.** Every profile value that is a guess or comes from outside the sheets is
  listed under **Not certain** in its profile section, with the reason; override it in the
  \`[platform/<epc>]\` section to match a board. Fields listed:
${unsure.join('\n')}`;
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Emulator limits (from the constants the emulator uses)

/** `64 MiB (67,108,864 bytes)`. */
function bytes(n: number): string {
  return `${formatSize(n)} (${n.toLocaleString('en-US')} bytes)`;
}

function limitsSection(): string {
  const t = TRANSFER_LIMITS;
  const rows = [
    [
      'Bytes in one transfer (`size` of a `[host/transfer/NAME]`)',
      bytes(t.bytesPerTransfer),
      `The transfer is not run: \`transfer-not-run\` on its section, "the emulator moves at most ${formatSize(t.bytesPerTransfer)} per transfer".`,
    ],
    [
      'Bytes moved by all transfers in one emulation',
      bytes(t.bytesPerRun),
      'The transfers that would exceed it are not run: `transfer-not-run`, "the emulator\'s budget … per run is used up". Every bring-up runs all the file\'s transfers again (each `start = 1` after a `start = 0`), and they all count.',
    ],
    [
      'Linked-list data elements in one emulation (per transfer: `size` ÷ its element size, rounded up)',
      t.elementsPerRun.toLocaleString('en-US'),
      'As for the bytes: the transfers past it are `transfer-not-run`.',
    ],
    [
      'Bytes backing one memory region (a BAR\'s memory, the LL regions, a host buffer, the eDMA register window)',
      bytes(MAX_REGION_BYTES),
      `The region keeps its addresses but only its first ${formatSize(MAX_REGION_BYTES)} hold bytes; an access past them fails like unmapped memory (a DMA element there aborts). Backing is allocated on first use.`,
    ],
    [
      'eDMA register window modelled (`edma-reg-size`)',
      bytes(MAX_MODELLED_REG_WINDOW),
      'A window larger than this, or one too small for the channels\' registers (`0`, `1`, not a multiple of 4), is not modelled as published: the engine keeps its own register file; the window\'s region still spans the published size, and reads past the registers return 0.',
    ],
  ];
  return `## Emulator limits

The emulator runs the whole bring-up in memory, again after every edit, so it bounds what one
file can make it do. These are limits of the emulator, not of the kernel or the hardware; past
one, the file is still checked statement by statement, the rest of the emulation runs, and what
was left out is reported. The values are the constants the emulator uses (generated from them).

${table(['Limit', 'Value', 'Past it'], rows)}

A region that would overlap one already on the bus (possible with \`edma-reg-phys\`,
\`edma-ll-size\` or \`align\` overrides) is left off the bus: the first region keeps the addresses.`;
}

const TOC = [
  ['Statements', 'statements'],
  ['Values', 'values'],
  ['Function attributes', 'function-attributes'],
  ['Controller attributes', 'controller-attributes'],
  ['Endpoint function drivers', 'endpoint-function-drivers'],
  ['Platform profiles', 'platform-profiles'],
  ['Platform override keys', 'platform-override-keys'],
  ['Host sections', 'host-sections'],
  ['Diagnostic codes', 'diagnostic-codes'],
  ['errno values', 'errno-values'],
  ['Where the emulator chooses', 'where-the-emulator-chooses'],
  ['Emulator limits', 'emulator-limits'],
] as const;

/** The whole of docs/language.md. */
export function generateLanguageDoc(): string {
  const header = `# The \`.pciep\` language

> **Generated file — do not edit by hand.** This reference is generated from the attribute
> schema, the platform profiles and the other tables the product runs on, by
> \`scripts/gen-docs.ts\` (\`npm run compile && npm run docs\`). Change the sources and regenerate;
> \`test/unit/docs.test.ts\` fails when this file is out of date.

New to the format? Start with the hand-written [tutorial](tutorial.md), which builds a working
RK3588 \`pci_epf_dma\` configuration step by step.

${TOC.map(([title, anchor]) => `- [${title}](#${anchor})`).join('\n')}`;
  const body = [
    header,
    STATEMENTS,
    valuesSection(),
    attributesSection(),
    profilesSection(),
    platformKeysSection(),
    hostSection(),
    diagnosticsSection(),
    errnoSection(),
    choicesSection(),
    limitsSection(),
  ];
  return body.join('\n\n') + '\n';
}

if (require.main === module) {
  const root = path.resolve(__dirname, '../..');
  const target = path.join(root, 'docs', 'language.md');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, generateLanguageDoc());
  process.stdout.write(`wrote ${path.relative(root, target)}\n`);
}
