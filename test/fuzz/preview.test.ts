/**
 * Fuzzing the preview webview's document (client/src/preview/render.ts) and its message validator
 * (messages.ts): arbitrary strings in every field of the emulation result (and arbitrary values in
 * its place) never produce markup — the only `<script` is the nonce'd one, no `on…=` handler, no
 * `style=`, no tag the renderer does not write itself — and never throw; arbitrary webview messages
 * are accepted only in the two documented shapes. test/unit/preview.test.ts has the fixed cases.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { renderErrorHtml, renderPreviewBody, renderPreviewHtml, type EmulateJsonLike } from '../../client/src/preview/render';
import { parseWebviewMessage } from '../../client/src/preview/messages';
import { emulate } from '../../server/src/emulator/emulate';
import { toEmulateJson } from '../../server/src/emulator/views/result';
import { CORPUS } from './arbitraries';
import { count, params, TIMEOUT_MS } from './config';
import { serialise, timed } from './invariants';

const OPTS = {
  nonce: 'RnV6elRoZVByZXZpZXdOb25jZQ',
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/preview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/preview.css',
  title: 'Preview',
};

/** Start tags with attribute values blanked (escaped text has no raw `<` or `"`). */
function tags(html: string): string[] {
  return (html.match(/<[a-zA-Z][^>]*>/g) ?? []).map((t) => t.replace(/="[^"]*"/g, '=""'));
}

const tagName = (t: string): string => /^<([a-zA-Z][\w-]*)/.exec(t)![1].toLowerCase();

/** Every tag the renderer writes for trusted data: the results of every corpus file. */
const TRUSTED_TAGS = new Set<string>();
for (const c of CORPUS) {
  const data = JSON.parse(serialise(toEmulateJson(emulate(c.text)))) as EmulateJsonLike;
  for (const t of tags(renderPreviewHtml(data, OPTS))) TRUSTED_TAGS.add(tagName(t));
}
// …plus the error page and the empty and non-result bodies.
const EMPTY: EmulateJsonLike = { schema: 1, diagnostics: [], operations: [], functions: [], host: null, transfers: [], timeline: [] };
for (const html of [renderErrorHtml('no result', OPTS), renderPreviewHtml(EMPTY, OPTS), renderPreviewBody(null as unknown as EmulateJsonLike, 'x')]) {
  for (const t of tags(html)) TRUSTED_TAGS.add(tagName(t));
}

function checkHtml(html: string, scripts: number): void {
  const found = html.match(/<script\b[^>]*>/gi) ?? [];
  assert.equal(found.length, scripts, `exactly ${scripts} <script> tag(s)`);
  if (scripts) assert.equal(found[0], `<script nonce="${OPTS.nonce}" src="${OPTS.scriptUri}">`);
  for (const t of tags(html)) {
    assert.ok(TRUSTED_TAGS.has(tagName(t)), `a tag the renderer never writes: ${t}`);
    assert.doesNotMatch(t, /\son[a-z]*\s*=/i, `an inline handler: ${t}`);
    assert.doesNotMatch(t, /\sstyle\s*=/i, `a style attribute: ${t}`);
  }
  assert.doesNotMatch(html, /\s(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*javascript:/i, 'a javascript: URL in an attribute');
  for (const m of html.matchAll(/\s(?:src|href)="([^"]*)"/g)) assert.ok(m[1].startsWith(OPTS.cspSource), `a resource from elsewhere: ${m[0]}`);
}

const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>", '</title><script>x</script>', '<!--', ']]>', '&lt;', '\u0000', 'javascript:alert(1)', '<style>*{}</style>', '`${x}`', '\u2028'];
const arbText = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 30, unit: fc.constantFrom('<', '>', '"', "'", '&', '=', '/', ' ', 'a', 'on', 'script', 'img', 'style', ':', ';', '\n') }),
  fc.string({ maxLength: 20, unit: 'binary' }),
);
const arbNum = fc.oneof(fc.integer({ min: -10, max: 1 << 20 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 2 ** 53, 2 ** 64, 0.5, -0));
const arbHex = fc.oneof(arbText, fc.uint8Array({ maxLength: 800 }).map((b) => Buffer.from(b).toString('hex')));

const arbData: fc.Arbitrary<EmulateJsonLike> = fc.record({
  schema: fc.constant(1),
  diagnostics: fc.array(fc.record({ line: arbNum, column: arbNum, severity: fc.oneof(fc.constantFrom('error', 'warning', 'info'), arbText), code: arbText, errno: fc.option(arbText, { nil: null }), message: arbText }), { maxLength: 4 }),
  operations: fc.array(fc.record({ line: arbNum, op: arbText, path: arbText, result: arbText }), { maxLength: 4 }),
  functions: fc.array(fc.record({
    path: arbText, driver: arbText, device: arbText, controller: fc.option(arbText, { nil: null }), funcNo: fc.option(arbNum, { nil: null }), bound: fc.boolean(),
    bars: fc.array(fc.record({
      bar: arbNum, type: fc.oneof(fc.constantFrom('programmable', 'fixed', 'resizable', 'reserved', '64bit-upper', 'disabled'), arbText), size: arbNum, is64: fc.boolean(),
      role: fc.option(arbText, { nil: undefined }),
      regions: fc.array(fc.record({ offset: arbNum, size: arbNum, kind: arbText, phys: fc.option(arbText, { nil: undefined }), label: fc.option(arbText, { nil: undefined }) }), { maxLength: 3 }),
    }), { maxLength: 7 }),
    metadata: fc.option(fc.record({ bar: arbNum, offset: arbNum, hex: arbHex }), { nil: null }),
    channels: fc.array(fc.record({ dir: arbText, hwCh: arbNum, state: arbText, errno: fc.option(arbText, { nil: null }) }), { maxLength: 3 }),
  }), { maxLength: 3 }),
  host: fc.option(fc.record({ driver: arbText, probe: arbText, reason: fc.option(arbText, { nil: undefined }), bars: fc.array(fc.record({ bar: arbNum, address: arbText, size: arbNum }), { maxLength: 3 }) }), { nil: null }),
  transfers: fc.array(fc.record({ name: arbText, direction: arbText, channel: arbNum, bytes: arbNum, status: arbText, verified: fc.boolean(), reason: fc.option(arbText, { nil: undefined }), src: fc.option(arbText, { nil: undefined }), dst: fc.option(arbText, { nil: undefined }) }), { maxLength: 3 }),
  timeline: fc.array(fc.record({ t: arbNum, side: arbText, phase: arbText, text: arbText, line: fc.option(arbNum, { nil: undefined }) }), { maxLength: 4 }),
});

describe('fuzz: preview webview document and messages', function () {
  this.timeout(TIMEOUT_MS);

  it('arbitrary strings and numbers in every field: escaped text, one nonce\'d script, no handlers, no foreign tags', () => {
    assert.ok(TRUSTED_TAGS.size > 10 && !TRUSTED_TAGS.has('img') && !TRUSTED_TAGS.has('iframe'), [...TRUSTED_TAGS].join(' '));
    fc.assert(
      fc.property(arbData, arbText, (data, title) => {
        count('preview results rendered');
        const html = timed('renderPreviewHtml', serialise(data), () => renderPreviewHtml(data, { ...OPTS, title }));
        checkHtml(html, 1);
        checkHtml(renderPreviewBody(data, title), 0);
        checkHtml(renderErrorHtml(title, { ...OPTS, title }), 1);
      }),
      params('preview', 100, 10000),
    );
  });

  it('anything in place of the result (wrong schema, wrong types) renders without throwing', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (x) => {
        count('preview non-results rendered');
        checkHtml(renderPreviewBody(x as EmulateJsonLike, 'x'), 0);
      }),
      params('preview', 100, 10000),
    );
  });

  it('webview messages: only {type:"ready"} and {type:"reveal", line} with an integer line inside the document pass', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ type: fc.constantFrom('ready', 'reveal', 'update'), line: fc.oneof(arbNum, arbText) }, { requiredKeys: ['type'] }), fc.anything()), fc.nat(5000), (msg, lineCount) => {
        count('webview messages validated');
        const r = parseWebviewMessage(msg, lineCount);
        if (!r.ok) return;
        if (r.message.type === 'ready') assert.deepEqual(Object.entries(msg as object), [['type', 'ready']]);
        else {
          assert.deepEqual(Object.keys(msg as object).sort(), ['line', 'type']);
          assert.ok(Number.isSafeInteger(r.message.line) && r.message.line >= 1 && r.message.line <= lineCount);
        }
      }),
      params('preview', 200, 20000),
    );
  });
});
