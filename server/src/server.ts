/**
 * LSP wiring only: documents in, diagnostics out. Every answer comes from the plain functions in
 * language/ and features/; this file is the one place that knows the protocol.
 */
import {
  createConnection, DiagnosticSeverity, DiagnosticTag, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import type { Diagnostic as LspDiagnostic, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from './language/diagnostics';
import { analyze } from './language/validate';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
/** Validation waits this long after the last edit, so typing is never blocked by it. */
const DEBOUNCE_MS = 150;
const pending = new Map<string, NodeJS.Timeout>();

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

function toLsp(d: Diagnostic, uri: string): LspDiagnostic {
  const message = d.log?.length ? `${d.message}\n${d.log.map((l) => `  dmesg: ${l}`).join('\n')}` : d.message;
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: d.errno ? `pciep (${d.errno})` : 'pciep',
    message,
    relatedInformation: d.related?.map((r) => ({ location: { uri, range: r.range }, message: r.message })),
    tags: d.code === 'never-started' ? [DiagnosticTag.Unnecessary] : undefined,
    data: d.fix ? { fix: d.fix } : undefined,
  };
}

function validate(doc: TextDocument): void {
  try {
    const { diagnostics } = analyze(doc.getText());
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: diagnostics.map((d) => toLsp(d, doc.uri)) });
  } catch (e) {
    // A bug in one stage must never take the server down: log it and keep serving.
    connection.console.error(`pciep: validation failed for ${doc.uri}: ${(e as Error).stack ?? String(e)}`);
  }
}

function schedule(doc: TextDocument): void {
  clearTimeout(pending.get(doc.uri));
  pending.set(doc.uri, setTimeout(() => {
    pending.delete(doc.uri);
    const current = documents.get(doc.uri);
    if (current) validate(current);
  }, DEBOUNCE_MS));
}

connection.onInitialize((): InitializeResult => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'pciep-language-server', version: '0.1.0' },
}));

documents.onDidOpen((e) => validate(e.document));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  pending.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

documents.listen(connection);
connection.listen();
