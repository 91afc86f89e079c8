/**
 * Two ways to reach the adapter with @vscode/debugadapter-testsupport's DebugClient
 * (vscode-anchors 3.3):
 * - `executable`: spawns `node bin/pciep-debug-adapter.js` (DAP on stdio, after `npm run build`);
 * - `inline`: in this process, through the interface VS Code's DebugAdapterInlineImplementation
 *   uses (`handleMessage` + `onDidSendMessage`): a loopback TCP socket carries the client's framed
 *   messages to `handleMessage`, and what the session sends comes back framed. DebugClient
 *   connects to it with `start(port)`.
 */
import * as net from 'node:net';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PciepDebugSession } from '../../server/src/debug/session';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');
export const RK3588 = path.join(EXAMPLES, 'rk3588-dma.pciep');
export const E27 = path.join(EXAMPLES, 'broken', 'e27-partial-direction-unroll.pciep');

export interface Adapter {
  dc: DebugClient;
  close(): Promise<void>;
}

const SEP = '\r\n\r\n';

/** Serves one inline session per connection: socket bytes → handleMessage, onDidSendMessage → socket. */
function inlineServer(): Promise<net.Server> {
  const server = net.createServer((socket) => {
    const session = new PciepDebugSession();
    let buf = Buffer.alloc(0);
    const sub = session.onDidSendMessage((m) => {
      const json = Buffer.from(JSON.stringify(m), 'utf8');
      if (!socket.destroyed) socket.write(`Content-Length: ${json.length}${SEP}${json.toString('utf8')}`);
    });
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const h = buf.indexOf(SEP);
        if (h < 0) return;
        const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, h).toString('ascii'))?.[1] ?? -1);
        if (len < 0 || buf.length < h + 4 + len) return;
        // JSON.parse returns `any`: the client only sends protocol messages.
        const msg = JSON.parse(buf.subarray(h + 4, h + 4 + len).toString('utf8')) as DebugProtocol.ProtocolMessage;
        buf = buf.subarray(h + 4 + len);
        session.handleMessage(msg);
      }
    });
    socket.on('close', () => {
      sub.dispose();
      session.dispose();
    });
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function startAdapter(kind: 'inline' | 'executable'): Promise<Adapter> {
  if (kind === 'executable') {
    const dc = new DebugClient('node', path.join(ROOT, 'bin', 'pciep-debug-adapter.js'), 'pciep', { cwd: ROOT });
    dc.defaultTimeout = 10_000;
    await dc.start();
    return { dc, close: () => dc.stop() };
  }
  const server = await inlineServer();
  const dc = new DebugClient('node', '', 'pciep');
  await dc.start((server.address() as net.AddressInfo).port);
  return {
    dc,
    close: async () => {
      await dc.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** initialize → launch → (initialized) → breakpoints → configurationDone, as VS Code does it. */
export async function launch(dc: DebugClient, args: Record<string, unknown>, configure?: () => Promise<unknown>): Promise<void> {
  const initialized = dc.waitForEvent('initialized');
  await dc.initializeRequest();
  // DebugClient types launch arguments generically; ours carry the pciep fields (program, stopOnEntry, …).
  const launched = dc.launchRequest({ ...args } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  if (configure) await configure();
  await dc.configurationDoneRequest();
  await launched;
}

/** Sends a request and waits for the stopped event it causes (registered first: no race). */
export async function stopAfter(dc: DebugClient, send: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped');
  await send();
  // waitForEvent resolves with the generic Event; this one is a `stopped` event.
  return (await stopped) as DebugProtocol.StoppedEvent;
}

export async function topFrame(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId });
  return st.body.stackFrames[0];
}

export async function evalText(dc: DebugClient, expression: string): Promise<string> {
  const r = await dc.evaluateRequest({ expression, context: 'watch' });
  return r.body.result;
}

/** Variables of a scope whose name starts with `prefix`. */
export async function scopeVars(dc: DebugClient, threadId: number, prefix: string): Promise<DebugProtocol.Variable[]> {
  const frame = await topFrame(dc, threadId);
  const scopes = await dc.scopesRequest({ frameId: frame.id });
  const scope = scopes.body.scopes.find((s) => s.name.startsWith(prefix));
  if (!scope) throw new Error(`no scope ${prefix} in ${scopes.body.scopes.map((s) => s.name).join(', ')}`);
  return (await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
}

export async function children(dc: DebugClient, v: DebugProtocol.Variable): Promise<DebugProtocol.Variable[]> {
  return (await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables;
}

/** 1-based line of the first line of `file` matching `re`. */
export function lineOf(file: string, re: RegExp): number {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`${re} not in ${file}`);
  return i + 1;
}

/** A temp copy of the RK3588 example with other host transfers (for big runs). */
export function withTransfers(name: string, transfers: string): string {
  const text = fs.readFileSync(RK3588, 'utf8');
  const cut = text.indexOf('[host/transfer/');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pciep-dap-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${text.slice(0, cut)}${transfers}\n`);
  return file;
}
