/**
 * A minimal LSP client for benchmarks: spawns any language server with `--stdio`, speaks
 * JSON-RPC to it (vscode-languageserver-protocol, as test/lsp/client.ts does), answers
 * `workspace/configuration` from a settings object, and records every `publishDiagnostics` with
 * its arrival time. The same client drives our server and yaml-language-server, so both pay the
 * same transport costs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import {
  ConfigurationRequest, DidChangeConfigurationNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification, ExitNotification, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification,
  ShutdownRequest,
} from 'vscode-languageserver-protocol';
import type { ClientCapabilities, InitializeResult, ProtocolConnection, PublishDiagnosticsParams, Range } from 'vscode-languageserver-protocol';

/** Repository root (this file runs from out/bench/). */
export const ROOT = path.resolve(__dirname, '../..');

interface Published {
  params: PublishDiagnosticsParams;
  /** performance.now() when the notification was handled by the client. */
  at: number;
}

interface Waiter {
  uri: string;
  version?: number;
  after: number;
  resolve: (p: Published) => void;
}

export interface ClientOptions {
  /** Executable and arguments; default: the current Node. */
  command?: string;
  args: string[];
  /** Answers workspace/configuration: section name (dotted) → value. */
  settings?: Record<string, unknown>;
  cwd?: string;
}

export class BenchLspClient {
  readonly conn: ProtocolConnection;
  readonly proc: ChildProcess;
  readonly stderr: string[] = [];
  /** performance.now() right before spawn(). */
  readonly spawnedAt: number;
  private readonly published: Published[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly exited: Promise<number | null>;

  constructor(private readonly options: ClientOptions) {
    this.spawnedAt = performance.now();
    this.proc = spawn(options.command ?? process.execPath, options.args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd ?? ROOT });
    this.proc.stderr!.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.exited = new Promise((res) => this.proc.on('exit', (code) => res(code)));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const p: Published = { params, at: performance.now() };
      this.published.push(p);
      if (this.published.length > 64) this.published.splice(0, this.published.length - 64);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i];
        if (w.uri === params.uri && p.at >= w.after && (w.version === undefined || params.version === w.version)) {
          this.waiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    this.conn.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => this.setting(item.section)));
    // What else servers ask of an editor: accept (a JSON-RPC error would make some retry or log).
    for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'window/showMessageRequest']) {
      this.conn.onRequest(method, () => null);
    }
    for (const method of ['window/logMessage', 'window/showMessage', 'telemetry/event', '$/progress', 'pciep/status']) {
      this.conn.onNotification(method, () => undefined);
    }
    this.conn.listen();
  }

  get pid(): number {
    return this.proc.pid!;
  }

  private setting(section: string | undefined): unknown {
    const all = this.options.settings ?? {};
    if (section === undefined) return all;
    if (section in all) return all[section];
    let cur: unknown = all;
    for (const part of section.split('.')) {
      if (cur === null || typeof cur !== 'object' || !(part in cur)) return null;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  }

  async initialize(capabilities: ClientCapabilities, rootUri: string | null = null): Promise<InitializeResult> {
    const r = await this.conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri, capabilities, workspaceFolders: null });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return r;
  }

  async didChangeConfiguration(): Promise<void> {
    await this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: this.options.settings ?? null });
  }

  async open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  async changeRange(uri: string, version: number, range: Range, text: string): Promise<void> {
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /**
   * The first diagnostics published for `uri` (for `version`, when given) that arrive at or after
   * `after` (a performance.now() value). Servers that publish without versions are matched by time.
   */
  nextDiagnostics(uri: string, opts: { version?: number; after?: number; timeoutMs?: number } = {}): Promise<Published> {
    const after = opts.after ?? performance.now();
    const have = this.published.find((p) => p.params.uri === uri && p.at >= after && (opts.version === undefined || p.params.version === opts.version));
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`no diagnostics for ${uri}${opts.version !== undefined ? `@${opts.version}` : ''} within ${opts.timeoutMs ?? 30000} ms; stderr: ${this.stderr.join('').slice(-2000)}`));
      }, opts.timeoutMs ?? 30000);
      const w: Waiter = { uri, version: opts.version, after, resolve: (p) => { clearTimeout(t); resolve(p); } };
      this.waiters.push(w);
    });
  }

  /** Resident set size and its peak of the server process, from /proc/<pid>/status (KiB). */
  memory(): { rssKiB: number; hwmKiB: number } | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
    } catch {
      return undefined;
    }
  }

  async shutdown(): Promise<number | null> {
    try {
      await Promise.race([
        (async () => {
          await this.conn.sendRequest(ShutdownRequest.type);
          await this.conn.sendNotification(ExitNotification.type);
        })(),
        new Promise((res) => setTimeout(res, 3000)),
      ]);
    } catch {
      /* the process may already be gone */
    }
    const code = await Promise.race([this.exited, new Promise<null>((res) => setTimeout(() => res(null), 3000))]);
    if (this.proc.exitCode === null) this.proc.kill();
    this.conn.dispose();
    return code;
  }
}

/** Command line of our language server as editors start it (package.json `bin`, README). */
export function pciepServerArgs(extraNodeFlags: string[] = []): string[] {
  return ['--max-semi-space-size=64', ...extraNodeFlags, path.join(ROOT, 'bin/pciep-language-server.js'), '--stdio'];
}
