/**
 * The preview webview's document (client/src/preview/render.ts), rendered in node from real
 * emulation results: CSP and script hygiene, escaping of hostile strings from the file, the BAR map
 * (six rows, log-scale widths, reserved/disabled/64-bit marking), the hex view with field indices,
 * channels, timeline, transfers; and the validation of messages coming back from the webview.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emulate } from '../../server/src/emulator/emulate';
import { toEmulateJson } from '../../server/src/emulator/views/result';
import { escapeHtml, renderErrorHtml, renderPreviewBody, renderPreviewHtml, type EmulateJsonLike } from '../../client/src/preview/render';
import { parseWebviewMessage } from '../../client/src/preview/messages';
import { normalizeEmulateJson } from '../../client/src/preview/normalize';

/** Tests run from out/test/unit; the examples stay in the source tree. */
const EXAMPLES = path.resolve(__dirname, '../../../examples');

const OPTS = {
  nonce: 'Qm9ndXNOb25jZUZvclRlc3Rz',
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/preview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/preview.css',
  title: 'Preview rk3588-dma.pciep',
};

/** What the `pciep/emulation` request delivers: the emulate JSON after a JSON round trip. */
function resultOf(file: string): EmulateJsonLike {
  const e = emulate(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
  const json = JSON.stringify(toEmulateJson(e), (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
  return JSON.parse(json) as EmulateJsonLike;
}

/**
 * Every start tag in the document with its attribute values blanked (escaped text never contains
 * a raw `<` or `"`, so what is left are the real attribute names).
 */
function tags(html: string): string[] {
  return (html.match(/<[a-zA-Z][^>]*>/g) ?? []).map((t) => t.replace(/="[^"]*"/g, '=""'));
}

/** The BAR map SVGs, in function order. */
function svgs(html: string): string[] {
  return html.match(/<svg class="barmap"[\s\S]*?<\/svg>/g) ?? [];
}

function rowOf(svg: string, bar: number): string {
  const m = svg.match(new RegExp(`<g class="bar-row[^"]*" data-bar="${bar}">[\\s\\S]*?</g>`));
  assert.ok(m, `BAR${bar} row`);
  return m[0];
}

const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'a & b'];

function hostileData(): EmulateJsonLike {
  const [s, img, amp] = HOSTILE;
  return {
    schema: 1,
    diagnostics: [{ line: 3, column: 1, severity: 'error', code: `c${s}`, errno: img, message: `${s} ${img} ${amp}` }],
    operations: [{ line: 3, op: s, path: img, result: amp, log: [] }],
    functions: [{
      path: `functions/pci_epf_dma/${s}${img}${amp}`, driver: s, device: img, controller: amp, funcNo: 0, bound: true,
      bars: [
        { bar: 0, type: s, size: 4096, is64: false, role: img, regions: [{ offset: 0, size: 204, kind: s, phys: img, label: amp }] },
        { bar: 1, type: 'reserved', size: 0, is64: false, regions: [{ offset: 0, size: 8192, kind: 'dma-registers', label: img }] },
      ],
      metadata: { bar: 0, offset: 0, hex: `<script>${s}` },
      channels: [{ dir: s, hwCh: 0, state: img, errno: amp }],
    }],
    host: { driver: s, probe: img, reason: amp, bars: [{ bar: 0, address: s, size: 4096 }] },
    transfers: [{ name: `${s}${img}${amp}`, direction: s, channel: 0, bytes: 1, status: img, verified: false, reason: s, src: img, dst: amp }],
    timeline: [{ t: 0, side: s, phase: img, text: `${s}${img}${amp}`, line: 2 }],
  };
}

describe('preview: document and security', () => {
  const html = renderPreviewHtml(resultOf('rk3588-dma.pciep'), OPTS);

  it('has a strict CSP meta with the nonce and nothing inline', () => {
    const m = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
    assert.ok(m, 'CSP meta');
    assert.equal(m[1], `default-src 'none'; style-src ${OPTS.cspSource}; script-src 'nonce-${OPTS.nonce}'; img-src ${OPTS.cspSource} data:;`);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'), 'CSP comes before any resource');
  });

  it('has no inline handlers, no style attributes, no remote content', () => {
    for (const t of tags(html)) {
      assert.doesNotMatch(t, /\son[a-z]+\s*=/i, t);
      assert.doesNotMatch(t, /\sstyle\s*=/i, t);
    }
    for (const m of html.matchAll(/\s(?:src|href)="([^"]*)"/g)) assert.ok(m[1].startsWith(OPTS.cspSource), m[0]);
    assert.doesNotMatch(html, /<style/);
  });

  it('has exactly one script, with the nonce and an external src', () => {
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0], `<script nonce="${OPTS.nonce}" src="${OPTS.scriptUri}">`);
    assert.match(html, /<script [^>]*><\/script>/, 'no inline code');
    assert.match(html, new RegExp(`<link rel="stylesheet" href="${OPTS.styleUri.replace(/[.+]/g, '\\$&')}">`));
  });

  it('rejects a weak nonce', () => {
    assert.throws(() => renderPreviewHtml(resultOf('rk3588-dma.pciep'), { ...OPTS, nonce: 'x' }));
    assert.throws(() => renderPreviewHtml(resultOf('rk3588-dma.pciep'), { ...OPTS, nonce: 'abc"><script>alert(1)</script>' }));
  });

  it('escapes every string that comes from the file', () => {
    const out = renderPreviewHtml(hostileData(), OPTS);
    assert.doesNotMatch(out, /<script>alert/);
    assert.doesNotMatch(out, /<img/);
    assert.doesNotMatch(out, /& b/, 'raw ampersand');
    assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(out, /&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(out, /a &amp; b/);
    for (const t of tags(out)) assert.doesNotMatch(t, /\son[a-z]+\s*=/i, t);
    assert.equal((out.match(/<script\b/g) ?? []).length, 1);
    // The hostile metadata hex is dropped, not decoded or echoed.
    assert.doesNotMatch(out, /class="hex"/);
    // Unknown BAR types and states become closed-list classes.
    assert.match(out, /class="bar-row t-other/);
  });

  it('escapes the error page too', () => {
    const out = renderErrorHtml(HOSTILE.join(' '), { ...OPTS, title: HOSTILE[0] });
    assert.doesNotMatch(out, /<script>alert|<img/);
    assert.match(out, /role="alert"/);
  });

  it('escapeHtml covers the five special characters', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    assert.equal(escapeHtml(undefined), '');
    assert.equal(escapeHtml(12), '12');
  });

  it('renders garbage as an error body, never throws', () => {
    for (const x of [null, undefined, 'x', 42, [], { schema: 2, functions: [] }, { schema: 1 }]) {
      assert.match(renderPreviewBody(x as unknown as EmulateJsonLike, 't'), /not an emulation result/);
    }
    const odd = { schema: 1, functions: [{ bars: [{ bar: 9, size: -5, regions: 'no' }, null], channels: [1] }], transfers: 'x', timeline: [{ t: 'NaN' }] };
    assert.doesNotThrow(() => renderPreviewBody(odd as unknown as EmulateJsonLike, 't'));
    assert.equal(normalizeEmulateJson(odd)?.functions[0].path, '(unnamed function)');
  });
});

describe('preview: BAR map', () => {
  it('draws six BAR rows per function, focusable and labelled', () => {
    const html = renderPreviewHtml(resultOf('rk3588-dma.pciep'), OPTS);
    const maps = svgs(html);
    assert.equal(maps.length, 1);
    for (const svg of maps) {
      assert.equal((svg.match(/<g class="bar-row/g) ?? []).length, 6);
      for (let n = 0; n < 6; n++) assert.match(rowOf(svg, n), new RegExp(`>BAR${n}<`));
      for (const t of svg.match(/<rect [^>]*tabindex="0"[^>]*>/g) ?? []) assert.match(t, /aria-label="[^"]+"/, t);
      const focusable = (svg.match(/tabindex="0"/g) ?? []).length;
      assert.equal((svg.match(/<title>/g) ?? []).length, focusable, 'every focusable shape has a title');
    }
  });

  it('draws six rows even for an unbound function', () => {
    const html = renderPreviewHtml(resultOf('broken/e27-partial-direction-unroll.pciep'), OPTS);
    const [svg] = svgs(html);
    assert.equal((svg.match(/<g class="bar-row/g) ?? []).length, 6);
    assert.match(html, /not bound/);
  });

  it('colours regions by kind and marks the reserved BAR', () => {
    const [svg] = svgs(renderPreviewHtml(resultOf('rk3588-dma.pciep'), OPTS));
    assert.match(rowOf(svg, 0), /class="rg k-metadata"/);
    assert.match(rowOf(svg, 1), /class="rg k-desc"/);
    assert.match(rowOf(svg, 1), /class="rg k-pad"/);
    const bar4 = rowOf(svg, 4);
    assert.match(bar4, /class="bar-row t-reserved/);
    assert.match(bar4, /class="bar t-reserved"/);
    assert.match(bar4, /fill="url\(#pciep-hatch\)"/);
    assert.match(bar4, /class="rg k-regs"/);
    assert.match(bar4, /reserved/);
    assert.match(rowOf(svg, 2), /unused/);
  });

  it('marks disabled BARs', () => {
    const [svg] = svgs(renderPreviewHtml(resultOf('imx8mp-test.pciep'), OPTS));
    for (const n of [1, 3, 5]) {
      const r = rowOf(svg, n);
      assert.match(r, /class="bar-row t-disabled/);
      assert.match(r, /fill="url\(#pciep-hatch\)"/);
      assert.match(r, /disabled/);
    }
  });

  it('joins 64-bit pairs', () => {
    const [svg] = svgs(renderPreviewHtml(resultOf('tegra194-dma.pciep'), OPTS));
    assert.equal((svg.match(/<path class="pair"/g) ?? []).length, 3, 'BAR0/1, BAR2/3, BAR4/5');
    const upper = rowOf(svg, 1);
    assert.match(upper, /class="bar-row t-64bit-upper upper"/);
    assert.match(upper, /upper half of BAR0/);
    // The upper half is drawn as wide as its lower half.
    const w = (row: string) => Number(row.match(/<rect class="bar [^"]*"[^>]*width="([\d.]+)"/)?.[1]);
    assert.equal(w(upper), w(rowOf(svg, 0)));
  });

  it('sizes BARs on a log scale: widths are monotonic in size', () => {
    for (const file of ['rk3588-dma.pciep', 'imx8mp-test.pciep', 'sa8775p-hdma-partial.pciep', 'rcar-s4-dma.pciep']) {
      const points: { size: number; width: number }[] = [];
      const html = renderPreviewHtml(resultOf(file), OPTS);
      for (const m of html.matchAll(/<rect class="bar [^"]*" data-k="[^"]*" data-size="(\d+)"[^>]*width="([\d.]+)"/g)) {
        points.push({ size: Number(m[1]), width: Number(m[2]) });
      }
      assert.ok(points.length >= 2, `${file}: sized BARs`);
      points.sort((a, b) => a.size - b.size);
      for (let i = 1; i < points.length; i++) {
        if (points[i].size === points[i - 1].size) assert.equal(points[i].width, points[i - 1].width);
        else assert.ok(points[i].width > points[i - 1].width, `${file}: ${JSON.stringify(points)}`);
      }
    }
    // Log, not linear: imx8mp draws 128 B, 256 B and 1 MiB; 1 MiB is 8192× 128 B but far less than 8192× as wide.
    const html = renderPreviewHtml(resultOf('imx8mp-test.pciep'), OPTS);
    const width = (size: number) => Number(html.match(new RegExp(`data-size="${size}"[^>]*width="([\\d.]+)"`))?.[1]);
    assert.ok(width(1048576) / width(128) < 100);
    assert.ok(width(256) > width(128));
  });
});

describe('preview: metadata, channels, timeline, transfers', () => {
  const data = resultOf('rk3588-dma.pciep');
  const html = renderPreviewHtml(data, OPTS);

  it('shows the metadata bytes with their field indices', () => {
    const magic = ['50', '45', '44', '4d'].map((v, i) => new RegExp(`<span class="b[^"]*" data-f="0" data-i="${i}"[^>]*>${v}</span>`));
    for (const re of magic) assert.match(html, re);
    const hexLen = (data.functions[0].metadata?.hex.length ?? 0) / 2;
    assert.equal((html.match(/<span class="b[ "]/g) ?? []).length, hexLen, 'one span per byte');
    assert.equal((html.match(/<div class="hrow"/g) ?? []).length, Math.ceil(hexLen / 16), 'rows of 16');
    // The decoded-field table carries the same indices: row 0 is the magic, row 2 the CTRL word.
    assert.match(html, /<tr class="fr s-header" data-f="0"[^>]*><td class="mono">0x000<\/td><td class="mono">magic<\/td>/);
    assert.match(html, /<tr class="fr s-header" data-f="2"[^>]*>.*?CTRL.*?H=1, R=1/);
    // Bytes 8..11 (CTRL) all point at field 2.
    for (let i = 8; i < 12; i++) assert.match(html, new RegExp(`data-f="2" data-i="${i}"`));
    // One tab stop per grid (roving tabindex), every byte reachable by arrow keys.
    const bytes = html.match(/<span class="b[ "][^>]*>/g) ?? [];
    assert.equal(bytes.filter((b) => b.includes('tabindex="0"')).length, 1);
    assert.ok(bytes.every((b) => /tabindex="-?[01]"/.test(b) && /aria-label="[^"]+"/.test(b)));
  });

  it('shows the channel table with the delegation outcome', () => {
    const table = html.match(/<table class="channels">[\s\S]*?<\/table>/)?.[0] ?? '';
    assert.equal((table.match(/<tr class="st-exposed">/g) ?? []).length, 4);
    assert.match(table, /EP → RC \(eDMA write\)/);
    assert.match(table, /RC → EP \(eDMA read\)/);
    assert.match(table, /READY set/);
  });

  it('shows the timeline in EP and host columns with virtual ms and reveal buttons', () => {
    const table = html.match(/<table class="timeline">[\s\S]*?<\/table>/)?.[0] ?? '';
    const events = data.timeline ?? [];
    assert.ok(events.length > 5);
    assert.equal((table.match(/<tr class="ev /g) ?? []).length, events.length);
    for (const e of events) assert.ok(table.includes(escapeHtml(e.text)), e.text);
    assert.match(table, /<td class="t num">110\.000 ms<\/td><td class="ep"><\/td><td class="host"><span class="ph">enumerate/);
    assert.match(table, /<tr class="ev side-ep first" data-line="98"><td class="t num">0\.000 ms<\/td><td class="ep"><span class="ph">start<\/span>/);
    assert.match(table, /<button type="button" class="ln" data-line="98"/);
  });

  it('shows transfers, host probe and BAR addresses, problems', () => {
    assert.match(html, /<table class="transfers">[\s\S]*?<td>fill<\/td>[\s\S]*?s-done[\s\S]*?aria-label="verified">✓/);
    assert.match(html, /probe <span class="chip ok">ok<\/span>/);
    assert.match(html, /<td>BAR0<\/td><td class="mono">0x80000000<\/td><td class="num">1 MiB<\/td>/);
    assert.match(html, /<td>BAR4<\/td><td class="mono">0x80200000<\/td><td class="num">8 KiB<\/td>/);
    assert.match(html, /class="dg sev-info" data-line="83"/);
    assert.match(html, /no errors/);
  });

  it('lists errors first in the problems summary, with their line', () => {
    const out = renderPreviewHtml(resultOf('broken/wr-chans-after-link.pciep'), OPTS);
    const first = out.match(/<li class="dg sev-([a-z]+)" data-line="(\d+)">/);
    assert.ok(first);
    assert.equal(first[1], 'error');
    assert.match(out, /<span class="errno">EOPNOTSUPP<\/span>/);
  });

  it('renders every example and broken example without throwing', () => {
    for (const dir of ['', 'broken']) {
      for (const f of fs.readdirSync(path.join(EXAMPLES, dir)).filter((x) => x.endsWith('.pciep'))) {
        const out = renderPreviewHtml(resultOf(path.join(dir, f)), OPTS);
        assert.equal((out.match(/<g class="bar-row/g) ?? []).length, 6 * (out.match(/<svg class="barmap"/g) ?? []).length, f);
        for (const t of tags(out)) assert.doesNotMatch(t, /\son[a-z]+\s*=|\sstyle\s*=/i, `${f}: ${t}`);
      }
    }
  });
});

describe('preview: messages from the webview', () => {
  it('accepts only reveal with an integer line inside the document, and ready', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'reveal', line: 12 }, 120), { ok: true, message: { type: 'reveal', line: 12 } });
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }, 0), { ok: true, message: { type: 'ready' } });
    const bad: unknown[] = [
      null, 'reveal', 12, [], { type: 'reveal' }, { type: 'reveal', line: '12' }, { type: 'reveal', line: 1.5 },
      { type: 'reveal', line: 0 }, { type: 'reveal', line: 121 }, { type: 'reveal', line: -1 }, { type: 'reveal', line: NaN },
      { type: 'reveal', line: 3, command: 'workbench.action.terminal.new' }, { type: 'openExternal', url: 'https://x' },
      { type: 'ready', html: '<b>' }, { type: { toString: () => 'reveal' }, line: 1 },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m, 120).ok, false, JSON.stringify(m));
  });
});
