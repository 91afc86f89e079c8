/**
 * The preview document, as a pure function of the emulation result (no `vscode` import, so it is
 * unit-tested in node). The extension sets the first document as `webview.html` and then sends
 * `renderPreviewBody` output to media/preview.js, which swaps it into `#root`.
 *
 * Security: a strict Content-Security-Policy (no inline script or style, script only with the
 * per-load nonce, nothing remote), no inline event handlers and no `style=` attributes, and every
 * string from the result passed through `escapeHtml`. The data is normalised first
 * (`normalizeEmulateJson`), so malformed input degrades the picture instead of breaking it.
 */
import { SVG_DEFS, kindClass, kindsOf, logScale, renderBarMap } from './bar-map';
import { renderMetadata } from './hex-view';
import { escapeHtml, fmtHex, fmtMs, fmtSize, pick } from './html';
import { normalizeEmulateJson } from './normalize';
import type { DiagnosticJson, EmulateJsonLike, FunctionJson, HostJson, RenderOptions, TimelineJson, TransferJson } from './types';

export { escapeHtml } from './html';
export type { EmulateJsonLike, RenderOptions } from './types';

const NONCE = /^[A-Za-z0-9+/=_-]{16,}$/;

function head(opts: RenderOptions): string {
  if (!NONCE.test(opts.nonce)) throw new Error('renderPreviewHtml: the nonce must be at least 16 base64/base64url characters');
  const src = escapeHtml(opts.cspSource);
  const csp = `default-src 'none'; style-src ${src}; script-src 'nonce-${opts.nonce}'; img-src ${src} data:;`;
  return '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    + `<meta http-equiv="Content-Security-Policy" content="${csp}">\n`
    + '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    + `<link rel="stylesheet" href="${escapeHtml(opts.styleUri)}">\n`
    + `<title>${escapeHtml(opts.title)}</title>\n</head>\n`;
}

function document(body: string, opts: RenderOptions): string {
  return `${head(opts)}<body>\n<main id="root">${body}</main>\n`
    + `<script nonce="${opts.nonce}" src="${escapeHtml(opts.scriptUri)}"></script>\n</body>\n</html>\n`;
}

/** The whole preview document for one emulation result. */
export function renderPreviewHtml(data: EmulateJsonLike, opts: RenderOptions): string {
  return document(renderPreviewBody(data, opts.title), opts);
}

/** The document shown when there is no result (the server is down, the request failed). */
export function renderErrorHtml(message: string, opts: RenderOptions): string {
  return document(renderErrorBody(message, opts.title), opts);
}

export function renderErrorBody(message: string, title: string): string {
  return `<header class="top"><h1>${escapeHtml(title)}</h1></header>`
    + `<div class="error" role="alert"><p><strong>No emulation result.</strong></p><p>${escapeHtml(message)}</p></div>`;
}

/** The placeholder shown until the first answer arrives. */
export function renderLoadingHtml(opts: RenderOptions): string {
  return document(`<header class="top"><h1>${escapeHtml(opts.title)}</h1></header><p class="muted" role="status">Emulating…</p>`, opts);
}

/** The content of `#root`: what `{type:'update', html}` carries. */
export function renderPreviewBody(input: EmulateJsonLike, title: string): string {
  const data = normalizeEmulateJson(input);
  if (!data) return renderErrorBody('The language server returned something that is not an emulation result (schema 1).', title);
  const scale = logScale(data.functions);
  return [
    SVG_DEFS,
    summary(data, title),
    diagnostics(data.diagnostics),
    ...data.functions.map((f, i) => fn(f, i, scale, data.functions.length === 1 ? data.host : null)),
    data.functions.length ? '' : '<section><h2>Functions</h2><p class="muted">No endpoint function in this file (no <code>[functions/&lt;driver&gt;/&lt;name&gt;]</code> section).</p></section>',
    host(data.host),
    transfers(data.transfers),
    timeline(data.timeline ?? []),
    operations(data),
  ].join('\n');
}

// ------------------------------------------------------------------------------------------------
// Sections

function lineButton(line: number | undefined, key: string): string {
  return line ? `<button type="button" class="ln" data-line="${line}" data-k="${key}" title="Reveal line ${line} in the editor">line ${line}</button>` : '';
}

function chip(text: string, cls: string): string {
  return `<span class="chip ${cls}">${escapeHtml(text)}</span>`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summary(d: EmulateJsonLike, title: string): string {
  const errors = d.diagnostics.filter((x) => x.severity === 'error').length;
  const warnings = d.diagnostics.filter((x) => x.severity === 'warning').length;
  const verified = d.transfers.filter((t) => t.status === 'done' && t.verified).length;
  const chips = [
    chip(errors ? plural(errors, 'error') : 'no errors', errors ? 'bad' : 'ok'),
    warnings ? chip(plural(warnings, 'warning'), 'warn') : '',
    chip(plural(d.functions.length, 'function'), 'neutral'),
    d.host ? chip(`host probe: ${d.host.probe}`, probeClass(d.host.probe)) : chip('no host', 'neutral'),
    d.transfers.length ? chip(`transfers: ${verified}/${d.transfers.length} verified`, verified === d.transfers.length ? 'ok' : 'bad') : '',
  ];
  return `<header class="top"><h1>${escapeHtml(title)}</h1><p class="chips">${chips.filter(Boolean).join(' ')}</p></header>`;
}

const SEVERITIES = ['error', 'warning', 'info'] as const;
const HATCHED = ['reserved', 'disabled', '64bit-upper'];

function diagnostics(list: readonly DiagnosticJson[]): string {
  if (!list.length) return '<section class="diags" aria-labelledby="dg-h"><h2 id="dg-h">Problems</h2><p class="muted">No problems: every configfs operation succeeded.</p></section>';
  const rank = (s: string) => { const i = SEVERITIES.indexOf(s as typeof SEVERITIES[number]); return i < 0 ? 3 : i; };
  const sorted = list.map((x, i) => ({ x, i })).sort((a, b) => rank(a.x.severity) - rank(b.x.severity) || a.x.line - b.x.line || a.i - b.i);
  const counts = SEVERITIES.map((s) => plural(list.filter((x) => x.severity === s).length, s)).join(', ');
  const items = sorted.map(({ x, i }) => `<li class="dg sev-${pick(x.severity, SEVERITIES)}"${x.line ? ` data-line="${x.line}"` : ''}>`
    + `${lineButton(x.line, `dg${i}`)} <span class="sev">${escapeHtml(x.severity)}</span>`
    + `${x.errno ? ` <span class="errno">${escapeHtml(x.errno)}</span>` : ''} <code>${escapeHtml(x.code)}</code> `
    + `<span class="msg">${escapeHtml(x.message)}</span></li>`);
  return `<section class="diags" aria-labelledby="dg-h"><h2 id="dg-h">Problems <span class="count">${escapeHtml(counts)}</span></h2><ul class="dglist">${items.join('')}</ul></section>`;
}

function fn(f: FunctionJson, i: number, scale: ReturnType<typeof logScale>, soleHost: HostJson | null): string {
  const meta = [
    f.driver, f.device, f.controller ? `on ${f.controller}` : 'not linked to a controller',
    f.funcNo !== null ? `function ${f.funcNo}` : '', f.bound ? 'bound' : 'not bound',
  ].filter(Boolean).map((s) => escapeHtml(s)).join(' · ');
  const kinds = kindsOf(f);
  const legend = `<ul class="legend" aria-label="legend">${kinds.map((k) => `<li><span class="sw ${kindClass(k)}" aria-hidden="true"></span>${escapeHtml(k)}</li>`).join('')}`
    + (f.bars.some((b) => HATCHED.includes(b.type)) ? '<li><span class="sw hatched" aria-hidden="true"></span>reserved / disabled / upper half of a 64-bit BAR</li>' : '')
    + '</ul>';
  const meta2 = renderMetadata(f, i);
  return `<section class="fn" aria-labelledby="fn${i}-h"><h2 id="fn${i}-h">${escapeHtml(f.path)}</h2><p class="fn-meta">${meta}</p>`
    + `<h3>BAR map</h3>${f.bars.length ? '' : '<p class="muted">The function is not bound: no BAR is programmed.</p>'}`
    + `${renderBarMap(f, i, scale)}${legend}${barTable(f, soleHost)}`
    + (meta2 ? `<h3>Metadata bytes</h3>${meta2}` : '')
    + channels(f)
    + '</section>';
}

function barTable(f: FunctionJson, host: HostJson | null): string {
  if (!f.bars.length) return '';
  const rows = f.bars.map((b) => {
    const addr = host?.bars.find((h) => h.bar === b.bar);
    const regions = b.regions.map((r) => `${fmtHex(r.offset)} +${fmtSize(r.size)} ${r.kind}${r.label ? ` (${r.label})` : ''}${r.phys ? ` → ${r.phys}` : ''}`);
    return `<tr class="t-${escapeHtml(pick(b.type, ['programmable', 'fixed', 'resizable', 'reserved', '64bit-upper', 'disabled']))}"><td>BAR${b.bar}</td><td>${escapeHtml(b.type)}</td>`
      + `<td class="num">${b.size ? escapeHtml(`${fmtSize(b.size)} (${fmtHex(b.size)})`) : '–'}</td><td>${b.is64 ? '64-bit' : ''}</td>`
      + `<td>${escapeHtml(b.role ?? '')}</td><td class="mono">${regions.map((r) => escapeHtml(r)).join('<br>')}</td>`
      + (host ? `<td class="mono">${addr ? escapeHtml(addr.address) : ''}</td>` : '') + '</tr>';
  });
  return '<details class="bartable"><summary>BAR table</summary><table><thead><tr><th scope="col">BAR</th><th scope="col">Type</th><th scope="col">Size</th><th scope="col">Width</th><th scope="col">Role</th><th scope="col">Regions (offset, size, kind → EP phys)</th>'
    + (host ? '<th scope="col">Host address</th>' : '') + `</tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

const CH_STATES = ['delegated', 'exposed', 'reclaimed', 'failed'] as const;
const OUTCOME: Record<string, string> = {
  delegated: 'delegated at bind; not yet exposed (READY not set)',
  exposed: 'delegated and exposed: READY set, the host programs it',
  reclaimed: 'reclaimed by the endpoint',
  failed: 'delegation failed',
};

function dirText(dir: string): string {
  return dir === 'ep-to-rc' ? 'EP → RC (eDMA write)' : dir === 'rc-to-ep' ? 'RC → EP (eDMA read)' : dir;
}

function channels(f: FunctionJson): string {
  if (!f.channels.length) return f.driver === 'pci_epf_dma' ? '<h3>Channels</h3><p class="muted">No channel delegated.</p>' : '';
  const rows = f.channels.map((c) => `<tr class="st-${pick(c.state, CH_STATES)}"><td>${escapeHtml(dirText(c.dir))}</td><td class="num">${escapeHtml(c.hwCh)}</td>`
    + `<td><span class="state">${escapeHtml(c.state)}</span></td><td>${escapeHtml(OUTCOME[c.state] ?? '')}</td><td>${c.errno ? `<span class="errno">${escapeHtml(c.errno)}</span>` : ''}</td></tr>`);
  return '<h3>Channels</h3><table class="channels"><thead><tr><th scope="col">Direction</th><th scope="col">HW channel</th><th scope="col">State</th><th scope="col">Delegation outcome</th><th scope="col">errno</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table>`;
}

function probeClass(probe: string): string {
  return probe === 'ok' ? 'ok' : probe === 'not-run' ? 'neutral' : 'bad';
}

function host(h: HostJson | null): string {
  if (!h) return '<section aria-labelledby="host-h"><h2 id="host-h">Host</h2><p class="muted">No <code>[host]</code> section: the root-complex side is not emulated.</p></section>';
  const bars = h.bars.length
    ? '<table class="hostbars"><thead><tr><th scope="col">BAR</th><th scope="col">Address</th><th scope="col">Size</th></tr></thead><tbody>'
      + h.bars.map((b) => `<tr><td>BAR${escapeHtml(b.bar)}</td><td class="mono">${escapeHtml(b.address)}</td><td class="num">${escapeHtml(fmtSize(b.size))}</td></tr>`).join('')
      + '</tbody></table>'
    : '<p class="muted">No BAR assigned.</p>';
  return `<section aria-labelledby="host-h"><h2 id="host-h">Host</h2><p>${escapeHtml(h.driver || 'no driver')}: probe ${chip(h.probe, probeClass(h.probe))}`
    + `${h.reason ? ` <span class="reason">${escapeHtml(h.reason)}</span>` : ''}</p>${bars}</section>`;
}

function transfers(list: readonly TransferJson[]): string {
  if (!list.length) return '';
  const rows = list.map((t) => {
    const ok = t.status === 'done' && t.verified;
    const mark = t.status === 'done' ? `<span class="vf ${t.verified ? 'ok' : 'bad'}" role="img" aria-label="${t.verified ? 'verified' : 'not verified'}">${t.verified ? '✓' : '✗'}</span>` : '<span class="muted">–</span>';
    const elems = [t.elements !== undefined ? plural(t.elements, 'element') : '', t.chunks !== undefined ? plural(t.chunks, 'chunk') : ''].filter(Boolean).join(', ');
    return `<tr class="${ok ? 'ok' : 'bad'}"><td>${escapeHtml(t.name)}</td><td>${escapeHtml(t.direction)}</td><td class="num">${escapeHtml(t.channel)}</td>`
      + `<td class="num">${escapeHtml(fmtSize(t.bytes))}</td><td><span class="status s-${pick(t.status, ['done', 'abort', 'not-run', 'timeout'])}">${escapeHtml(t.status)}</span></td><td>${mark}</td>`
      + `<td class="mono">${escapeHtml(t.src ?? '?')} → ${escapeHtml(t.dst ?? '?')}</td><td>${escapeHtml(elems)}</td><td>${escapeHtml(t.reason ?? '')}</td></tr>`;
  });
  return '<section aria-labelledby="tx-h"><h2 id="tx-h">Transfers</h2><table class="transfers"><thead><tr><th scope="col">Name</th><th scope="col">Direction</th><th scope="col">Channel</th><th scope="col">Size</th><th scope="col">Status</th><th scope="col">Verified</th><th scope="col">Source → destination</th><th scope="col">Descriptors</th><th scope="col">Reason</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table></section>`;
}

function timeline(events: readonly TimelineJson[]): string {
  if (!events.length) return '<section aria-labelledby="tl-h"><h2 id="tl-h">Handshake timeline</h2><p class="muted">Nothing happened after the configfs replay (the controller was not started).</p></section>';
  let lastPhase = '';
  const rows = events.map((e, i) => {
    const cell = `<span class="ph">${escapeHtml(e.phase)}</span> <span class="tx">${escapeHtml(e.text)}</span> ${lineButton(e.line, `tl${i}`)}`;
    const first = e.phase !== lastPhase;
    lastPhase = e.phase;
    const side = e.side === 'host' ? 'host' : 'ep';
    return `<tr class="ev side-${side}${first ? ' first' : ''}"${e.line ? ` data-line="${e.line}"` : ''}><td class="t num">${escapeHtml(fmtMs(e.t))}</td>`
      + `<td class="ep">${side === 'ep' ? cell : ''}</td><td class="host">${side === 'host' ? cell : ''}</td></tr>`;
  });
  return '<section aria-labelledby="tl-h"><h2 id="tl-h">Handshake timeline <span class="count">virtual time</span></h2><table class="timeline"><thead><tr><th scope="col">Time</th><th scope="col">Endpoint</th><th scope="col">Host</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table></section>`;
}

function operations(d: EmulateJsonLike): string {
  const ops = d.operations ?? [];
  if (!ops.length) return '';
  const failed = ops.filter((o) => o.result !== 'ok').length;
  const rows = ops.map((o, i) => `<tr class="${o.result === 'ok' ? '' : 'bad'}"><td>${lineButton(o.line, `op${i}`)}</td><td>${escapeHtml(o.op)}</td>`
    + `<td class="mono">${escapeHtml(o.path)}</td><td>${escapeHtml(o.result)}</td></tr>`);
  return `<details class="ops"><summary>configfs operations (${ops.length}${failed ? `, ${failed} failed` : ''})</summary>`
    + `<table><thead><tr><th scope="col">Line</th><th scope="col">Operation</th><th scope="col">Path</th><th scope="col">Result</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}
