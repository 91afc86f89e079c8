/**
 * Run and Debug in a real VS Code: a `pciep` debug session on the RK3588 example starts (inline
 * adapter), stops on entry at the first statement, and runs to completion.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activeExtension, exampleUri, waitFor } from './helpers';

describe('debugging in a real VS Code', function () {
  this.timeout(60000);
  before(async () => {
    await activeExtension();
  });

  it('starts a pciep debug session, stops on entry and runs to the end', async () => {
    const seen: string[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('pciep', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type?: string; event?: string; body?: { reason?: string } }) => {
          if (m.type === 'event' && m.event) seen.push(m.event === 'stopped' ? `stopped:${m.body?.reason}` : m.event);
        },
      }),
    });
    try {
      const uri = exampleUri('rk3588-dma.pciep');
      const started = await vscode.debug.startDebugging(undefined, {
        type: 'pciep', request: 'launch', name: 'real-editor test', program: uri.fsPath, stopOnEntry: true, stopOnKernelError: false,
      });
      assert.ok(started, 'startDebugging returned false');
      await waitFor('a stopped event on entry', () => seen.includes('stopped:entry') || undefined, 20000);
      const session = vscode.debug.activeDebugSession;
      assert.equal(session?.type, 'pciep');
      const threads = await session!.customRequest('threads') as { threads: { id: number; name: string }[] };
      assert.ok(threads.threads.some((t) => /endpoint/i.test(t.name)), JSON.stringify(threads));
      await session!.customRequest('continue', { threadId: threads.threads[0].id });
      await waitFor('the session to terminate', () => seen.includes('terminated') || undefined, 30000);
    } finally {
      tracker.dispose();
    }
  });
});
