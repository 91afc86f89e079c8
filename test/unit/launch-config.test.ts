/**
 * client/src/launch-config.ts: which text a debug session runs (an untitled or virtual document's,
 * a dirty file's, or the file on disk), and the stand-in path that carries a document that is not
 * a file through the adapter — end to end against the real PciepDebugSession: launched with that
 * path and the text, a breakpoint set by URI is verified and hit, and the stack frame comes back
 * with the URI.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterPathFor, isUriString, launchConfigFor, mapPaths, programName, programOf, type DocumentLike, type PciepLaunchConfig, type UriLike } from '../../client/src/launch-config';
import { PciepDebugSession } from '../../server/src/debug/session';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'rk3588-dma.pciep');

function uri(scheme: string, authority: string, p: string): UriLike {
  return { scheme, authority, path: p, fsPath: p, toString: () => `${scheme}:${authority ? `//${authority}` : ''}${p}` };
}
function doc(u: UriLike, text: string, isDirty = false): DocumentLike {
  return { uri: u, isDirty, getText: () => text };
}

const UNTITLED = uri('untitled', '', 'Untitled-1');
const VFS = uri('vscode-vfs', 'github', '/owner/repo/examples/rk3588-dma.pciep');
const FILE = uri('file', '', '/work/x.pciep');

describe('launch configuration from the editor (client/src/launch-config.ts)', () => {
  it('tells URI strings from paths as VS Code does', () => {
    for (const s of ['untitled:Untitled-1', 'vscode-vfs://github/o/r/a.pciep', 'file:///x.pciep']) assert.equal(isUriString(s), true, s);
    for (const s of ['/home/x.pciep', 'C:\\x.pciep', 'c:/x.pciep', 'examples/x.pciep', '${file}', '']) assert.equal(isUriString(s), false, s);
  });

  it('names a file by its path and anything else by its URI', () => {
    assert.equal(programOf(FILE), '/work/x.pciep');
    assert.equal(programOf(UNTITLED), 'untitled:Untitled-1');
    assert.equal(programOf(VFS), 'vscode-vfs://github/owner/repo/examples/rk3588-dma.pciep');
    assert.equal(programName(VFS), 'rk3588-dma.pciep');
    assert.equal(programName(UNTITLED), 'Untitled-1');
  });

  it('a document that is not a file: its text and its URI, whatever the adapter kind', () => {
    for (const d of [doc(UNTITLED, 'A'), doc(VFS, 'B', true)]) {
      const config = { type: 'pciep', program: '/elsewhere', stopOnEntry: true };
      const out = launchConfigFor(config, d, { dirtyFiles: false });
      assert.deepEqual(out, { type: 'pciep', program: d.uri.toString(), programText: d.getText(), programTextFromEditor: true, stopOnEntry: true });
      assert.deepEqual(config, { type: 'pciep', program: '/elsewhere', stopOnEntry: true }, 'the input is not changed');
    }
  });

  it('a file with unsaved changes: the editor text under the file path (inline adapter only)', () => {
    const config = { program: '/work/x.pciep' };
    assert.deepEqual(launchConfigFor(config, doc(FILE, 'edited', true), { dirtyFiles: true }), { program: '/work/x.pciep', programText: 'edited', programTextFromEditor: true });
    assert.deepEqual(launchConfigFor(config, doc(FILE, 'edited', true), { dirtyFiles: false }), config);
    assert.deepEqual(launchConfigFor(config, doc(FILE, 'saved'), { dirtyFiles: true }), config, 'a saved file is read from disk');
    assert.deepEqual(launchConfigFor(config, undefined, { dirtyFiles: true }), config, 'so is a file that is not open');
  });

  it('on restart, text taken from the editor is taken again or dropped; text the user gave stays', () => {
    const launched = launchConfigFor<PciepLaunchConfig>({ program: '/work/x.pciep' }, doc(FILE, 'v1', true), { dirtyFiles: true });
    assert.equal(launchConfigFor(launched, doc(FILE, 'v2', true), { dirtyFiles: true }).programText, 'v2');
    assert.deepEqual(launchConfigFor(launched, doc(FILE, 'v2'), { dirtyFiles: true }), { program: '/work/x.pciep' }, 'saved since: the disk');
    assert.deepEqual(launchConfigFor(launched, undefined, { dirtyFiles: true }), { program: '/work/x.pciep' }, 'closed since: the disk');
    const untitled = launchConfigFor({ program: 'x' }, doc(UNTITLED, 'u1'), { dirtyFiles: true });
    assert.deepEqual(launchConfigFor(untitled, undefined, { dirtyFiles: true }), untitled, 'an untitled document closed since keeps its text');
    const own = { program: '/work/x.pciep', programText: 'mine' };
    assert.deepEqual(launchConfigFor(own, doc(FILE, 'saved'), { dirtyFiles: true }), own);
  });

  it('gives a document that is not a file an absolute stand-in path ending in its name, one per URI', () => {
    const a = adapterPathFor(VFS);
    assert.ok(path.isAbsolute(a) && a === path.resolve(a), a);
    assert.equal(path.basename(a), 'rk3588-dma.pciep');
    assert.equal(path.basename(adapterPathFor(UNTITLED)), 'Untitled-1');
    assert.notEqual(adapterPathFor(uri('vscode-vfs', 'gitlab', VFS.path)), a);
    assert.ok(adapterPathFor(uri('x', '', '/../../etc/passwd')).startsWith(path.resolve(path.sep, '.pciep-editor')), 'no way out of the stand-in folder');
  });

  it('maps every `path` equal to the one given, and only those, sharing what does not change', () => {
    const frames = [{ id: 1, line: 3, source: { name: 'a', path: '/s/a' } }, { id: 2, line: 1, source: { name: 'k', sourceReference: 1001 } }];
    const msg = { type: 'response', command: 'stackTrace', body: { stackFrames: frames, other: { note: '/s/a' } } };
    const out = mapPaths(msg, '/s/a', 'untitled:Untitled-1');
    assert.equal(out.body.stackFrames[0].source.path, 'untitled:Untitled-1');
    assert.equal(out.body.other.note, '/s/a', 'only `path` properties');
    assert.equal(out.body.stackFrames[1], frames[1], 'unchanged parts are shared');
    assert.equal(msg.body.stackFrames[0].source.path, '/s/a', 'the input is not changed');
    assert.equal(mapPaths(msg, '/nowhere', 'x'), msg, 'no match: the same object');
    for (const v of [null, undefined, 3, 'path', [null]]) assert.deepEqual(mapPaths(v, 'path', 'x'), v);
  });

  it('end to end with the debug adapter: an untitled document is launched, breakpointed and shown by its URI', async function () {
    this.timeout(20000);
    const text = fs.readFileSync(EXAMPLE, 'utf8');
    const lines = text.split('\n');
    const link = lines.findIndex((l) => l.startsWith('primary/ep ->')) + 1;
    assert.ok(link > 0);
    const config = launchConfigFor({ type: 'pciep', request: 'launch', program: 'untitled:Untitled-1', stopOnEntry: false, stopOnKernelError: false }, doc(UNTITLED, text, true), { dirtyFiles: true });
    const client = String(config.program);
    const adapter = adapterPathFor(UNTITLED);
    assert.ok(!fs.existsSync(adapter), 'the stand-in path is never on disk');

    const session = new PciepDebugSession();
    const events: DebugProtocol.Event[] = [];
    const responses = new Map<number, (r: DebugProtocol.Response) => void>();
    const sub = session.onDidSendMessage((raw) => {
      const m = mapPaths(raw as DebugProtocol.ProtocolMessage, adapter, client);
      if (m.type === 'event') events.push(m as DebugProtocol.Event);
      if (m.type === 'response') responses.get((m as DebugProtocol.Response).request_seq)?.(m as DebugProtocol.Response);
    });
    let seq = 1;
    const send = (command: string, args: unknown): Promise<DebugProtocol.Response> => {
      const s = seq++;
      const r = new Promise<DebugProtocol.Response>((resolve) => responses.set(s, resolve));
      session.handleMessage(mapPaths({ seq: s, type: 'request', command, arguments: args }, client, adapter) as DebugProtocol.ProtocolMessage);
      return r;
    };
    const event = async (name: string): Promise<void> => {
      for (let i = 0; i < 500 && !events.some((e) => e.event === name); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(events.some((e) => e.event === name), name);
    };
    try {
      await send('initialize', { adapterID: 'pciep', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const launch = send('launch', { ...config, program: adapter });
      await event('initialized');
      const bps = await send('setBreakpoints', { source: { name: 'Untitled-1', path: client }, breakpoints: [{ line: link }] }) as DebugProtocol.SetBreakpointsResponse;
      assert.equal(bps.body.breakpoints[0].verified, true, JSON.stringify(bps.body));
      await send('configurationDone', {});
      assert.equal((await launch).success, true);
      await event('stopped');
      const trace = await send('stackTrace', { threadId: 1 }) as DebugProtocol.StackTraceResponse;
      const top = trace.body.stackFrames[0];
      assert.equal(top.source?.path, client, 'the frame names the untitled document');
      assert.equal(top.source?.name, 'Untitled-1');
      assert.equal(top.line, link, 'stopped at the breakpoint on the link line');
      await send('disconnect', { terminateDebuggee: true });
    } finally {
      sub.dispose();
      session.dispose();
    }
  });
});
