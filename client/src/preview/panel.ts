/**
 * "PCI EP: Open Preview": a webview beside the editor that shows the emulation result of one
 * `.pciep` document (client/src/preview/render.ts draws it) and follows edits.
 *
 * - One panel per document URI; `show` creates or reveals it, `current(uri)` finds it.
 * - `refresh()` (called by the extension on every change of the document) re-fetches after 200 ms
 *   of quiet; answers that arrive out of order are dropped.
 * - While the webview script is loaded (it says `{type:'ready'}`), updates are posted as
 *   `{type:'update', html}` so scroll position and focus survive; otherwise the whole document is
 *   set again with a fresh nonce (also when a hidden panel becomes visible again:
 *   `retainContextWhenHidden` is off).
 * - Messages from the webview are untrusted: only `{type:'ready'}` and `{type:'reveal', line}` with
 *   an integer line inside the document are acted on (messages.ts); anything else is logged.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseWebviewMessage, type UpdateMessage } from './messages';
import { normalizeEmulateJson } from './normalize';
import { renderErrorBody, renderErrorHtml, renderLoadingHtml, renderPreviewBody, renderPreviewHtml } from './render';
import type { EmulateJsonLike, RenderOptions } from './types';

/** The `pciep/emulation` request for a document URI (string form), supplied by the extension. */
export type EmulationFetch = (uri: string) => Promise<unknown>;

export const DEBOUNCE_MS = 200;
const VIEW_TYPE = 'pciep.preview';

type Content = { kind: 'data'; data: EmulateJsonLike } | { kind: 'error'; message: string } | { kind: 'loading' };

export class PreviewPanel {
  private static readonly panels = new Map<string, PreviewPanel>();

  /** The last emulation result shown (undefined until the first answer, or after an error). */
  lastData: EmulateJsonLike | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  private shown = 0;
  private ready = false;
  /** What is on screen, and what `webview.html` holds (VS Code reloads the latter when a hidden panel is shown). */
  private content: Content | undefined;
  private htmlContent: Content | undefined;
  private disposed = false;

  /** Creates (or reveals) the preview of `uri` beside the active editor and renders it. */
  static show(context: vscode.ExtensionContext, uri: vscode.Uri, fetch: EmulationFetch, log: (message: string) => void = (m) => console.warn(m)): PreviewPanel {
    const existing = PreviewPanel.current(uri);
    if (existing) {
      existing.panel.reveal(undefined, true);
      void existing.update();
      return existing;
    }
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, PreviewPanel.titleFor(uri), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    const p = new PreviewPanel(panel, context, uri, fetch, log);
    PreviewPanel.panels.set(uri.toString(), p);
    context.subscriptions.push({ dispose: () => p.dispose() });
    void p.update();
    return p;
  }

  /** The open preview of `uri`, if any. */
  static current(uri: vscode.Uri | string): PreviewPanel | undefined {
    return PreviewPanel.panels.get(typeof uri === 'string' ? uri : uri.toString());
  }

  private static titleFor(uri: vscode.Uri): string {
    const base = uri.path.split('/').pop() || uri.toString();
    return `Preview ${base}`;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    readonly uri: vscode.Uri,
    private readonly fetch: EmulationFetch,
    private readonly log: (message: string) => void,
  ) {
    this.setHtml({ kind: 'loading' });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState((e) => {
        // Hidden: the webview is torn down (no retained context) and reloads `webview.html` when shown.
        if (!e.webviewPanel.visible) this.ready = false;
        else if (this.content && this.htmlContent !== this.content) this.setHtml(this.content);
      }),
    );
  }

  /** Re-renders after the document changed (debounced). */
  refresh(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.update(); }, DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    PreviewPanel.panels.delete(this.uri.toString());
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  /** Fetches the result now and shows it (or why there is none). */
  async update(): Promise<void> {
    const seq = ++this.seq;
    let content: Content;
    try {
      const raw = await this.fetch(this.uri.toString());
      const data = normalizeEmulateJson(raw);
      content = data ? { kind: 'data', data } : { kind: 'error', message: raw === undefined || raw === null ? 'The language server has no result for this document (is it running?).' : 'The language server answered with something that is not an emulation result.' };
    } catch (err) {
      content = { kind: 'error', message: `The emulation request failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    // A slower, older answer must not overwrite a newer one.
    if (this.disposed || seq < this.shown) return;
    this.shown = seq;
    this.lastData = content.kind === 'data' ? content.data : undefined;
    this.display(content);
  }

  private display(content: Content): void {
    this.content = content;
    // Hidden: onDidChangeViewState sets the document when the panel is shown again.
    if (!this.panel.visible) return;
    if (!this.ready) {
      this.setHtml(content);
      return;
    }
    const title = PreviewPanel.titleFor(this.uri);
    const html = content.kind === 'data' ? renderPreviewBody(content.data, title) : renderErrorBody(content.kind === 'error' ? content.message : 'Emulating…', title);
    const msg: UpdateMessage = { type: 'update', html };
    void this.panel.webview.postMessage(msg).then((posted) => { if (!posted) this.setHtml(content); });
  }

  private options(): RenderOptions {
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    return {
      nonce: randomBytes(18).toString('base64'),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString(),
      title: PreviewPanel.titleFor(this.uri),
    };
  }

  /** Replaces the whole document (fresh nonce); the script will say `ready` again. */
  private setHtml(content: Content): void {
    const opts = this.options();
    this.ready = false;
    this.content = content;
    this.htmlContent = content;
    this.panel.webview.html = content.kind === 'data' ? renderPreviewHtml(content.data, opts)
      : content.kind === 'error' ? renderErrorHtml(content.message, opts) : renderLoadingHtml(opts);
  }

  private onMessage(raw: unknown): void {
    // A closed document is checked again against its real length in reveal().
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
    const parsed = parseWebviewMessage(raw, doc?.lineCount ?? Number.MAX_SAFE_INTEGER);
    if (!parsed.ok) {
      this.log(`pciep preview: ignored a message from the webview (${parsed.reason})`);
      return;
    }
    if (parsed.message.type === 'ready') {
      this.ready = true;
      return;
    }
    void this.reveal(parsed.message.line);
  }

  /** Shows 1-based `line` in the editor of this document (the one already open, else a new one). */
  private async reveal(line: number): Promise<void> {
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
    const doc = editor?.document ?? await vscode.workspace.openTextDocument(this.uri);
    if (line > doc.lineCount) {
      this.log(`pciep preview: ignored reveal of line ${line} (the document has ${doc.lineCount})`);
      return;
    }
    const range = doc.lineAt(line - 1).range;
    const shown = await vscode.window.showTextDocument(doc, { viewColumn: editor?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Selection(range.start, range.start), preserveFocus: false });
    shown.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
