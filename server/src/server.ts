/**
 * LSP wiring only: every answer comes from the plain functions in features/ (data in, data out);
 * this file converts positions and shapes, debounces validation, honours cancellation, and keeps
 * one failing feature from taking the server down. It is the one place that knows the protocol.
 */
import {
  CodeActionKind, CompletionItemKind, createConnection, DiagnosticSeverity, DocumentDiagnosticReportKind, InlayHintKind,
  InsertTextFormat, ProposedFeatures, SymbolKind, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import type {
  CancellationToken, CodeAction, CompletionItem, Diagnostic as LspDiagnostic, DocumentSymbol, InitializeParams, InitializeResult,
  TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from './language/diagnostics';
import { AnalysisCache } from './features/documents';
import { createContext, type FeatureContext, type Edit } from './features/context';
import { hover } from './features/hover';
import { inlayHints } from './features/inlay-hints';
import { codeLenses } from './features/code-lens';
import { complete, type CompletionItem as PlainCompletion } from './features/completion';
import { codeActions, fixAll } from './features/code-actions';
import { documentSymbols, type DocSymbol } from './features/symbols';
import { foldingRanges } from './features/folding';
import { buildIndex, definition, documentLinks, prepareRename, references, rename, type NameIndex } from './features/navigation';
import { semanticTokens, semanticTokensRange, TOKEN_MODIFIERS, TOKEN_TYPES } from './features/semantic-tokens';
import { format, formatRange } from './features/formatting';
import { toEmulateJson } from './emulator/views/result';
import { renderReport } from './emulator/views/report';
import { exportScript } from './language/script-export';
import { importScript } from './language/script-import';
import { decodeFields, scanBars } from './emulator/metadata/codec';
import { listProfiles } from './language/profiles';
import type { PlatformOptions } from './language/platform';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new AnalysisCache();
/** Push diagnostics wait this long after the last edit, so typing never waits for validation. */
const DEBOUNCE_MS = 150;
const pending = new Map<string, NodeJS.Timeout>();
let pullDiagnostics = false;

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

function contextOf(uri: string): FeatureContext | undefined {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  return cache.get(uri, doc.version, () => doc.getText());
}

/**
 * The navigation index (every name mention) of one analysis, built once: semantic tokens, document
 * links, definition, references and rename all read it, and editors ask for several of them per
 * version. Keyed by the context object, so a new version never sees an old index.
 */
const indexes = new WeakMap<FeatureContext, NameIndex>();
function indexOf(ctx: FeatureContext): NameIndex {
  let index = indexes.get(ctx);
  if (!index) indexes.set(ctx, (index = buildIndex(ctx)));
  return index;
}

/** Runs a feature; a failure is logged and answered with `fallback`, never thrown at the client. */
function guarded<T>(name: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    connection.console.error(`pciep: ${name} failed: ${(e as Error).stack ?? String(e)}`);
    return fallback;
  }
}

function toLspDiagnostic(d: Diagnostic, uri: string): LspDiagnostic {
  const message = d.log?.length ? `${d.message}\n${d.log.map((l) => `  dmesg: ${l}`).join('\n')}` : d.message;
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: d.errno ? `pciep ${d.errno}` : 'pciep',
    message,
    relatedInformation: d.related?.map((r) => ({ location: { uri, range: r.range }, message: r.message })),
    data: { errno: d.errno ?? null, ref: d.ref ?? null },
  };
}

function diagnosticsOf(uri: string): LspDiagnostic[] {
  const ctx = contextOf(uri);
  return ctx ? ctx.emulation.diagnostics.map((d) => toLspDiagnostic(d, uri)) : [];
}

/** The last emulation verdict, for the client's language status item. */
function sendStatus(uri: string, ms: number): void {
  const ctx = contextOf(uri);
  if (!ctx) return;
  const errors = ctx.emulation.diagnostics.filter((d) => d.severity === 'error').length;
  const t = ctx.emulation.system.transfers;
  const probe = [...ctx.emulation.system.devices].reverse().find((d) => d.probe)?.probe?.status;
  void connection.sendNotification('pciep/status', {
    uri, errors, ms: Math.round(ms * 10) / 10, probe: probe ?? null,
    transfers: { total: t.length, done: t.filter((x) => x.status === 'done' && x.verified).length },
  });
}

function publish(uri: string): void {
  const doc = documents.get(uri);
  if (!doc) return;
  const version = doc.version;
  const t0 = performance.now();
  const diagnostics = guarded('diagnostics', [], () => diagnosticsOf(uri));
  // A newer edit arrived while computing: its own publish will follow.
  if (documents.get(uri)?.version !== version) return;
  void connection.sendDiagnostics({ uri, version, diagnostics });
  guarded('status', undefined, () => sendStatus(uri, performance.now() - t0));
}

function schedule(uri: string): void {
  if (pullDiagnostics) return;
  clearTimeout(pending.get(uri));
  pending.set(uri, setTimeout(() => {
    pending.delete(uri);
    publish(uri);
  }, DEBOUNCE_MS));
}

const toTextEdit = (e: Edit): TextEdit => ({ range: e.range, newText: e.newText });

const COMPLETION_KIND: Record<PlainCompletion['kind'], CompletionItemKind> = {
  section: CompletionItemKind.Folder, driver: CompletionItemKind.Class, function: CompletionItemKind.Module,
  controller: CompletionItemKind.Interface, attribute: CompletionItemKind.Property, value: CompletionItemKind.Value,
  keyword: CompletionItemKind.Keyword, snippet: CompletionItemKind.Snippet, key: CompletionItemKind.Field,
};

function toCompletion(c: PlainCompletion): CompletionItem {
  const text = c.insertText ?? c.label;
  return {
    label: c.label, kind: COMPLETION_KIND[c.kind], detail: c.detail,
    documentation: c.documentation ? { kind: 'markdown', value: c.documentation } : undefined,
    insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    ...(c.range ? { textEdit: { range: c.range, newText: text } } : { insertText: text }),
    sortText: c.sortText, filterText: c.filterText, commitCharacters: c.commitCharacters,
  };
}

const SYMBOL_KIND: Record<DocSymbol['kind'], SymbolKind> = {
  namespace: SymbolKind.Namespace, module: SymbolKind.Module, class: SymbolKind.Class, object: SymbolKind.Object,
  property: SymbolKind.Property, event: SymbolKind.Event, key: SymbolKind.Key, function: SymbolKind.Function, constant: SymbolKind.Constant,
};

function toSymbol(s: DocSymbol): DocumentSymbol {
  return { name: s.name || ' ', detail: s.detail, kind: SYMBOL_KIND[s.kind], range: s.range, selectionRange: s.selectionRange, children: s.children.map(toSymbol) };
}

/** LSP semantic tokens: relative line/char deltas, five integers per token. */
function encodeTokens(tokens: { line: number; char: number; length: number; type: number; modifiers: number }[]): number[] {
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const t of tokens) {
    data.push(t.line - line, t.line === line ? t.char - char : t.char, t.length, t.type, t.modifiers);
    line = t.line;
    char = t.char;
  }
  return data;
}

function cancelled(token: CancellationToken | undefined): boolean {
  return token?.isCancellationRequested === true;
}

/** `pciep.kernel` / `pciep.defaultPlatform` from the client (initializationOptions, then config changes). */
function applySettings(settings: unknown): void {
  const s = (settings ?? {}) as { kernel?: unknown; defaultPlatform?: unknown };
  const opts: PlatformOptions = {};
  if (s.kernel === 'v3' || s.kernel === 'v4') opts.defaultKernel = s.kernel;
  if (typeof s.defaultPlatform === 'string' && s.defaultPlatform) opts.defaultCompatible = s.defaultPlatform;
  cache.setOptions(opts);
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  pullDiagnostics = !!params.capabilities.textDocument?.diagnostic;
  applySettings(params.initializationOptions);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['[', '/', '=', '>', ' ', '.'], resolveProvider: false },
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentLinkProvider: { resolveProvider: false },
      semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true, range: true },
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'pciep-language-server', version: '0.1.0' },
  };
});

/**
 * A diagnostic pull can arrive before the didOpen of its document: vscode-languageclient, restarting
 * a crashed server, pulls the visible documents while their didOpen notifications are still on the
 * way. Answered empty, the client then skips the pull after didOpen (it knows that version) and the
 * file shows no diagnostics until the next edit (test/vscode/06-server-restart.test.ts; see
 * docs/robustness.md). Such a pull waits for the didOpen, at most OPEN_WAIT_MS; a document that is
 * never opened still gets the empty report.
 */
const OPEN_WAIT_MS = 2000;
const openWaiters = new Map<string, Set<() => void>>();

function opened(uri: string, token: CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    const waiters = openWaiters.get(uri) ?? new Set<() => void>();
    openWaiters.set(uri, waiters);
    const done = (): void => {
      clearTimeout(timer);
      sub.dispose();
      waiters.delete(done);
      if (!waiters.size && openWaiters.get(uri) === waiters) openWaiters.delete(uri);
      resolve();
    };
    const timer = setTimeout(done, OPEN_WAIT_MS);
    const sub = token.onCancellationRequested(done);
    waiters.add(done);
  });
}

documents.onDidOpen((e) => {
  cache.touch(e.document.uri, e.document.version);
  for (const done of [...(openWaiters.get(e.document.uri) ?? [])]) done();
  if (!pullDiagnostics) publish(e.document.uri);
});
documents.onDidChangeContent((e) => {
  cache.touch(e.document.uri, e.document.version);
  schedule(e.document.uri);
});
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  pending.delete(e.document.uri);
  cache.delete(e.document.uri);
  if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.languages.diagnostics.on(async (params, token) => {
  const uri: unknown = params?.textDocument?.uri;
  if (typeof uri === 'string' && !documents.get(uri)) await opened(uri, token);
  if (cancelled(token)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  return { kind: DocumentDiagnosticReportKind.Full, items: guarded('diagnostics', [], () => diagnosticsOf(params.textDocument.uri)) };
});

connection.onHover((p, token) => guarded('hover', null, () => {
  const ctx = cancelled(token) ? undefined : contextOf(p.textDocument.uri);
  const h = ctx && hover(ctx, p.position);
  return h ? { contents: { kind: 'markdown' as const, value: h.markdown }, range: h.range } : null;
}));

connection.onCompletion((p, token) => guarded('completion', [], () => {
  const ctx = cancelled(token) ? undefined : contextOf(p.textDocument.uri);
  return ctx ? complete(ctx, p.position).map(toCompletion) : [];
}));

connection.languages.inlayHint.on((p, token) => guarded('inlay hints', [], () => {
  const ctx = cancelled(token) ? undefined : contextOf(p.textDocument.uri);
  return ctx ? inlayHints(ctx, p.range).map((h) => ({
    position: h.position, label: h.label, kind: h.kind === 'type' ? InlayHintKind.Type : InlayHintKind.Parameter,
    tooltip: h.tooltip, paddingLeft: h.paddingLeft ?? true,
  })) : [];
}));

connection.onCodeLens((p) => guarded('code lens', [], () => {
  const ctx = contextOf(p.textDocument.uri);
  return ctx ? codeLenses(ctx).map((l) => ({ range: l.range, command: { title: l.title, command: l.command, arguments: [p.textDocument.uri, ...l.arguments] } })) : [];
}));

connection.onCodeAction((p, token) => guarded('code actions', [], () => {
  const ctx = cancelled(token) ? undefined : contextOf(p.textDocument.uri);
  if (!ctx) return [];
  const uri = p.textDocument.uri;
  const only = p.context.only;
  const out: CodeAction[] = [];
  if (!only || only.some((k) => k.startsWith(CodeActionKind.QuickFix))) {
    for (const a of codeActions(ctx, p.range)) {
      if (a.kind !== 'quickfix') continue;
      out.push({
        title: a.title, kind: CodeActionKind.QuickFix, isPreferred: a.isPreferred,
        diagnostics: a.diagnostic ? p.context.diagnostics.filter((d) => d.code === a.diagnostic!.code && d.range.start.line === a.diagnostic!.range.start.line) : undefined,
        edit: { changes: { [uri]: a.edits.map(toTextEdit) } },
      });
    }
  }
  // Fix-all may re-emulate several times: only when asked for (VS Code asks for quick fixes on every cursor move).
  if (only?.some((k) => k.startsWith(CodeActionKind.SourceFixAll) || k === CodeActionKind.Source)) {
    const edits = fixAll(ctx, (t) => createContext(t, cache.platformOptions));
    if (edits.length) out.push({ title: 'Fix all pciep problems', kind: CodeActionKind.SourceFixAll, edit: { changes: { [uri]: edits.map(toTextEdit) } } });
  }
  return out;
}));

connection.onDocumentSymbol((p) => guarded('symbols', [], () => {
  const ctx = contextOf(p.textDocument.uri);
  return ctx ? documentSymbols(ctx).map(toSymbol) : [];
}));

connection.onFoldingRanges((p) => guarded('folding', [], () => {
  const ctx = contextOf(p.textDocument.uri);
  return ctx ? foldingRanges(ctx.doc) : [];
}));

connection.onDefinition((p) => guarded('definition', [], () => {
  const ctx = contextOf(p.textDocument.uri);
  return ctx ? definition(ctx, p.position, indexOf(ctx)).map((range) => ({ uri: p.textDocument.uri, range })) : [];
}));

connection.onReferences((p) => guarded('references', [], () => {
  const ctx = contextOf(p.textDocument.uri);
  return ctx ? references(ctx, p.position, p.context.includeDeclaration, indexOf(ctx)).map((range) => ({ uri: p.textDocument.uri, range })) : [];
}));

connection.onPrepareRename((p) => guarded('prepare rename', null, () => {
  const ctx = contextOf(p.textDocument.uri);
  return (ctx && prepareRename(ctx, p.position, indexOf(ctx))) ?? null;
}));

connection.onRenameRequest((p) => {
  const ctx = contextOf(p.textDocument.uri);
  if (!ctx) return null;
  const r = guarded('rename', { error: 'rename failed' } as ReturnType<typeof rename>, () => rename(ctx, p.position, p.newName, indexOf(ctx)));
  if ('error' in r) throw new Error(r.error);
  return { changes: { [p.textDocument.uri]: r.edits.map(toTextEdit) } };
});

connection.onDocumentLinks((p) => guarded('document links', [], () => {
  const ctx = contextOf(p.textDocument.uri);
  return ctx ? documentLinks(ctx, indexOf(ctx)).map((l) => ({ range: l.range, target: `${p.textDocument.uri}#L${l.targetLine + 1}`, tooltip: l.tooltip })) : [];
}));

connection.languages.semanticTokens.on((p) => guarded('semantic tokens', { data: [] }, () => {
  const ctx = contextOf(p.textDocument.uri);
  return { data: ctx ? encodeTokens(semanticTokens(ctx, indexOf(ctx))) : [] };
}));

connection.languages.semanticTokens.onRange((p) => guarded('semantic tokens', { data: [] }, () => {
  const ctx = contextOf(p.textDocument.uri);
  return { data: ctx ? encodeTokens(semanticTokensRange(ctx, p.range, indexOf(ctx))) : [] };
}));

connection.onDocumentFormatting((p) => guarded('formatting', [], () => {
  const doc = documents.get(p.textDocument.uri);
  return doc ? format(doc.getText()).map(toTextEdit) : [];
}));

connection.onDocumentRangeFormatting((p) => guarded('formatting', [], () => {
  const doc = documents.get(p.textDocument.uri);
  return doc ? formatRange(doc.getText(), p.range).map(toTextEdit) : [];
}));

/** The full emulation result (CONTRACTS.md schema 1) for the preview and the debugger. */
connection.onRequest('pciep/emulation', (p: { uri: string }) => guarded('emulation', null, () => {
  const ctx = contextOf(p.uri);
  return ctx ? JSON.parse(JSON.stringify(toEmulateJson(ctx.emulation), (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))) as unknown : null;
}));

/** The equivalent configfs shell script, for "Export configfs script". */
connection.onRequest('pciep/exportScript', (p: { uri: string }) => guarded('export', null, () => {
  const ctx = contextOf(p.uri);
  return ctx ? exportScript(ctx.doc) : null;
}));

/** The readable emulation report, for the "Emulate" command's output channel. */
connection.onRequest('pciep/report', (p: { uri: string; name?: string }) => guarded('report', null, () => {
  const ctx = contextOf(p.uri);
  return ctx ? renderReport(p.name ?? p.uri, ctx.emulation) : null;
}));

/** A configfs shell script converted into .pciep (the text travels, nothing is executed). */
connection.onRequest('pciep/importScript', (p: { text: string }) => guarded('import', null, () => {
  if (typeof p?.text !== 'string') return null;
  return importScript(p.text);
}));

/** Decodes a metadata dump sent as base64: every field and the host parser's verdict. */
connection.onRequest('pciep/decode', (p: { base64: string; offset?: number }) => guarded('decode', null, () => {
  if (typeof p?.base64 !== 'string') return null;
  const bytes = Buffer.from(p.base64, 'base64');
  const offset = Number.isInteger(p.offset) && p.offset! >= 0 ? p.offset! : 0;
  const blob = bytes.subarray(offset);
  const fields = decodeFields(blob);
  const verdict = scanBars([{ index: 0, memory: true, assigned: true, bytes: blob, len: blob.length }]);
  return {
    rows: fields.rows.map((r) => ({ offset: r.offset, name: r.name, hex: r.hex, meaning: r.meaning })),
    notes: fields.notes,
    verdict: verdict.ok ? { ok: true } : { ok: false, errno: verdict.errno, field: verdict.field, reason: verdict.reason },
  };
}));

/** Which process answers: the real-editor test kills it and checks the client starts a new one. */
connection.onRequest('pciep/serverInfo', () => ({ pid: process.pid }));

connection.onRequest('pciep/profiles', () => guarded('profiles', [], () => listProfiles().map((p) => ({ compatible: p.compatible, name: p.name, epcName: p.epcName }))));

connection.onDidChangeConfiguration((p) => {
  const settings = (p.settings as { pciep?: unknown } | undefined)?.pciep;
  if (settings === undefined) return;
  applySettings(settings);
  for (const d of documents.all()) schedule(d.uri);
});

documents.listen(connection);
connection.listen();
