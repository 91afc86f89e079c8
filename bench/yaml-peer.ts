/**
 * The peer a user would otherwise pick: the same configuration written as YAML and checked by
 * yaml-language-server against a JSON Schema. Both are generated here, from the same generated
 * `.pciep` document and from our attribute schema data, so the two servers validate the same
 * facts (types, integer widths, ranges, enumerations, link targets):
 *
 *  - every `[section]` becomes a top-level YAML mapping keyed by the section path
 *    (`functions/pci_epf_dma/f1:`), each `key = value` a `key: value` entry of it, each
 *    `link -> target` a `link: target` entry; comments and blank lines stay where they are, so
 *    line N of the YAML is line N of the `.pciep` file and "change one value" is the same edit;
 *  - the JSON Schema (draft-07) has one definition per driver with its standard and group
 *    attributes (`^pci_epf_dma\.[0-9]+/wr_chans$` as a pattern property), the controller
 *    attributes and the platform keys; `additionalProperties: false` everywhere, so a misspelt
 *    attribute is an error in both worlds.
 *
 * What JSON Schema cannot say (order of writes, "refused once bound", power-of-two, bind and
 * epc_init, the emulation) is exactly what our server adds; the comparison is therefore generous
 * to the peer: it does less work per line.
 */
import { CONTROLLER_ATTRIBUTES, DRIVERS, STANDARD_ATTRIBUTES, type AttributeSpec, type IntType } from '../server/src/language/schema';
import { PLATFORM_KEYS } from '../server/src/language/profiles/overrides';
import { listProfiles } from '../server/src/language/profiles';
import { KERNEL_REVISIONS } from '../server/src/language/platform';

type JsonSchema = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | JsonSchema;

const INT_RANGE: Record<IntType, [number, number | undefined]> = {
  u8: [0, 0xff], u16: [0, 0xffff], u32: [0, 0xffff_ffff], u64: [0, undefined], s32: [-0x8000_0000, 0x7fff_ffff], s64: [Number.MIN_SAFE_INTEGER, undefined],
};

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** JSON Schema of one configfs attribute: integer width and the store's range checks, or kstrtobool's words. */
export function attributeSchema(a: AttributeSpec): JsonSchema {
  const description = a.doc.split('\n')[0].slice(0, 200);
  if (a.parse.kind === 'bool') {
    return { description, anyOf: [{ type: 'boolean' }, { enum: [0, 1] }, { type: 'string', pattern: '^([yYnN10]|[oO][nNfF])' }] };
  }
  let [min, max] = INT_RANGE[a.parse.type];
  for (const c of a.store) {
    if (c.check !== 'range') continue;
    if (c.min !== undefined) min = Math.max(min, c.min);
    if (c.max !== undefined) max = max === undefined ? c.max : Math.min(max, c.max);
  }
  const s: JsonSchema = { description, type: 'integer', minimum: min };
  if (max !== undefined) s.maximum = max;
  return s;
}

const LINKS: JsonSchema = {
  '^(primary|secondary)(/[^/]+)?$': { type: 'string', pattern: '^controllers/[^/]+$' },
  '^vf(/[^/]+)?$': { type: 'string', pattern: '^functions/[^/]+/[^/]+$' },
};

function driverSchema(driver: (typeof DRIVERS)[number]): JsonSchema {
  const properties: JsonSchema = {};
  for (const a of STANDARD_ATTRIBUTES) properties[a.name] = attributeSchema(a);
  const patternProperties: JsonSchema = { ...LINKS };
  for (const a of driver.groupAttributes) patternProperties[`^${escapeRegExp(driver.name)}\\.[0-9]+/${escapeRegExp(a.name)}$`] = attributeSchema(a);
  return { type: 'object', description: driver.summary, properties, patternProperties, additionalProperties: false };
}

function platformSchema(): JsonSchema {
  const properties: JsonSchema = {
    compatible: { type: 'string', enum: listProfiles().map((p) => p.compatible) },
    kernel: { type: 'string', enum: [...KERNEL_REVISIONS] },
  };
  for (const k of PLATFORM_KEYS) {
    const range = /^(\d+)\.\.(\d+)$/.exec(k.valueSyntax);
    if (k.values) properties[k.key] = { enum: [...k.values] };
    else if (range) properties[k.key] = { type: 'integer', minimum: Number(range[1]), maximum: Number(range[2]) };
    else properties[k.key] = { type: ['string', 'integer'] };
  }
  return { type: 'object', properties, additionalProperties: false };
}

/** The JSON Schema of the YAML form, from the same schema data hovers and the validator read. */
export function jsonSchema(): JsonSchema {
  const definitions: JsonSchema = { platform: platformSchema() };
  const controller: JsonSchema = {};
  for (const a of CONTROLLER_ATTRIBUTES) controller[a.name] = attributeSchema(a);
  definitions.controller = { type: 'object', properties: controller, additionalProperties: false };
  const patternProperties: JsonSchema = {
    '^platform/[^/]+$': { $ref: '#/definitions/platform' },
    '^controllers/[^/]+$': { $ref: '#/definitions/controller' },
    '^host(/.*)?$': { type: 'object' },
  };
  for (const d of DRIVERS) {
    definitions[`driver_${d.name}`] = driverSchema(d);
    patternProperties[`^functions/${escapeRegExp(d.name)}/[^/]+$`] = { $ref: `#/definitions/driver_${d.name}` };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'PCI endpoint configfs configuration (YAML form of .pciep)',
    type: 'object',
    patternProperties,
    additionalProperties: false,
    definitions,
  };
}

const PLAIN_SCALAR = /^(0x[0-9a-fA-F]+|-?[0-9]+|[A-Za-z0-9_][A-Za-z0-9_.,/+-]*)$/;

function scalar(v: string): string {
  return PLAIN_SCALAR.test(v) ? v : JSON.stringify(v);
}

/** The YAML form of a `.pciep` document, line for line (see the file comment). */
export function toYaml(pciep: string): string {
  const out: string[] = [];
  for (const line of pciep.split('\n')) {
    const header = /^\[([^\]]+)\](\s+#.*)?$/.exec(line);
    const assign = /^\s*([^=#\s][^=#]*?)\s*=\s*([^#]*?)\s*(\s#.*)?$/.exec(line);
    const link = /^\s*([^\s#-][^\s#]*)\s*->\s*([^\s#]+)\s*(\s#.*)?$/.exec(line);
    if (header) out.push(`${header[1]}:${header[2] ?? ''}`);
    else if (link) out.push(`  ${link[1]}: ${scalar(link[2])}${link[3] ?? ''}`);
    else if (assign) out.push(`  ${assign[1]}: ${scalar(assign[2])}${assign[3] ?? ''}`);
    else out.push(line);
  }
  return out.join('\n');
}

/** Where "change one value" edits: the value of the `msi_interrupts` line nearest the middle of the file. */
export function editTarget(text: string, separator: '=' | ':'): { line: number; start: number; end: number; value: string } {
  const lines = text.split('\n');
  const mid = Math.floor(lines.length / 2);
  for (let d = 0; d < lines.length; d++) {
    for (const line of [mid + d, mid - d]) {
      const m = new RegExp(`^(\\s*msi_interrupts\\s*${separator}\\s*)([0-9]+)`).exec(lines[line] ?? '');
      if (m) return { line, start: m[1].length, end: m[1].length + m[2].length, value: m[2] };
    }
  }
  throw new Error('no msi_interrupts line to edit');
}
