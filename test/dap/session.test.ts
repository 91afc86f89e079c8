/**
 * DAP tests with a real client (@vscode/debugadapter-testsupport DebugClient), run twice: against
 * the `pciep-debug-adapter` executable (stdio) and in-process through the inline adapter interface
 * (vscode-anchors 3.3). Lines in assertions are 1-based, as the client sees them.
 */
import { strict as assert } from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  E27, RK3588, children, evalText, launch, lineOf, scopeVars, startAdapter, stopAfter, topFrame, withTransfers, type Adapter,
} from './harness';

const FIRST = lineOf(RK3588, /^\[functions\/pci_epf_dma\/dma0\]/);
const START = lineOf(RK3588, /^start = 1/);
const HOST = lineOf(RK3588, /^\[host\]/);
const DRAIN = lineOf(RK3588, /^\[host\/transfer\/drain\]/);
const LINK = lineOf(E27, /^primary\/ep ->/);

for (const kind of ['inline', 'executable'] as const) {
  describe(`debug adapter (${kind})`, function () {
    this.timeout(30_000);
    let adapter: Adapter;
    let dc: DebugClient;

    beforeEach(async () => {
      adapter = await startAdapter(kind);
      dc = adapter.dc;
    });

    afterEach(async () => {
      await adapter.close();
    });

    /** Launches with breakpoints set during configuration and returns the first stop. */
    async function run(program: string, opts: Record<string, unknown>, configure?: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
      const stopped = dc.waitForEvent('stopped');
      await launch(dc, { program, ...opts }, configure);
      // waitForEvent resolves with the generic Event; this one is a `stopped` event.
      return (await stopped) as DebugProtocol.StoppedEvent;
    }

    it('initializes with step back, memory and exception filters', async function () {
      this.timeout(10_000);
      const r = await dc.initializeRequest();
      const caps = r.body!;
      assert.equal(caps.supportsStepBack, true);
      assert.equal(caps.supportsReadMemoryRequest, true);
      assert.equal(caps.supportsWriteMemoryRequest, true);
      assert.deepEqual(caps.exceptionBreakpointFilters?.map((f) => f.filter), ['kernel-error', 'bind-failure', 'delegation-failure', 'host-probe-failure', 'dma-abort']);
    });

    it('stops on entry at the first statement line', async function () {
      this.timeout(15_000);
      const ev = await run(RK3588, { stopOnEntry: true });
      assert.equal(ev.body.reason, 'entry');
      const frame = await topFrame(dc, ev.body.threadId!);
      assert.equal(frame.line, FIRST);
      assert.equal(frame.name, 'pci_epf_dma_probe');
      assert.match(frame.source!.path!, /rk3588-dma\.pciep$/);
      const threads = await dc.threadsRequest();
      assert.deepEqual(threads.body.threads.map((t) => t.name), ['endpoint', 'host']);
    });

    it('verifies line breakpoints and hits them at the right lines', async function () {
      this.timeout(15_000);
      let bps: DebugProtocol.Breakpoint[] = [];
      const ev = await run(RK3588, {}, async () => {
        const r = await dc.setBreakpointsRequest({ source: { path: RK3588 }, breakpoints: [{ line: START }, { line: START + 1 }, { line: DRAIN }, { line: 500 }] });
        bps = r.body.breakpoints;
      });
      // A comment line moves to the next line with a step ([host]); past the last step: unverified.
      assert.deepEqual(bps.map((b) => [b.verified, b.line]), [[true, START], [true, HOST], [true, DRAIN], [false, 500]]);
      assert.equal(ev.body.reason, 'breakpoint');
      assert.deepEqual(ev.body.hitBreakpointIds, [bps[0].id]);
      assert.equal((await topFrame(dc, ev.body.threadId!)).line, START);
      const evHost = await stopAfter(dc, () => dc.continueRequest({ threadId: ev.body.threadId! }));
      assert.equal((await topFrame(dc, evHost.body.threadId!)).line, HOST);
      const ev2 = await stopAfter(dc, () => dc.continueRequest({ threadId: ev.body.threadId! }));
      assert.equal(ev2.body.reason, 'breakpoint');
      const frame = await topFrame(dc, ev2.body.threadId!);
      assert.equal(frame.line, DRAIN);
      assert.equal(frame.name, 'dw_edma_start_transfer');
      // The transfer runs on its own thread while it lasts.
      const threads = await dc.threadsRequest();
      assert.ok(threads.body.threads.some((t) => t.name === 'eDMA write ch1' && t.id === ev2.body.threadId));
    });

    it('steps into the bring-up phases, over them and out again', async function () {
      this.timeout(15_000);
      const ev = await run(RK3588, {}, () => dc.setBreakpointsRequest({ source: { path: RK3588 }, breakpoints: [{ line: START }] }));
      const t = ev.body.threadId!;
      const inEv = await stopAfter(dc, () => dc.stepInRequest({ threadId: t }));
      assert.equal(inEv.body.reason, 'step');
      let frame = await topFrame(dc, inEv.body.threadId!);
      assert.equal(frame.name, 'dw_pcie_start_link');
      assert.equal(frame.line, START);
      const nextEv = await stopAfter(dc, () => dc.nextRequest({ threadId: t }));
      frame = await topFrame(dc, nextEv.body.threadId!);
      assert.equal(frame.name, 'pci_epf_dma_link_up');
      // Link up has no file line: its frames point into the generated kernel listing.
      assert.ok(frame.source?.sourceReference);
      const src = await dc.sourceRequest({ source: frame.source, sourceReference: frame.source!.sourceReference! });
      const lines = src.body.content.split('\n');
      assert.match(lines[frame.line - 1], /pci_epf_dma_link_up\(\)/);
      const outEv = await stopAfter(dc, () => dc.stepOutRequest({ threadId: t }));
      frame = await topFrame(dc, outEv.body.threadId!);
      assert.equal(frame.line, HOST, 'stepOut lands on the next statement-level step: the [host] section');
      assert.equal(frame.name, 'pci_assign_unassigned_bus_resources');
    });

    it('stops on a kernel error with the errno at the link line', async function () {
      this.timeout(15_000);
      const ev = await run(E27, { stopOnKernelError: false }, () => dc.setExceptionBreakpointsRequest({ filters: ['bind-failure'] }));
      assert.equal(ev.body.reason, 'exception');
      assert.match(ev.body.description ?? '', /EOPNOTSUPP/);
      assert.equal((await topFrame(dc, ev.body.threadId!)).line, LINK);
      const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId! });
      assert.equal(info.body.exceptionId, 'EOPNOTSUPP');
      const done = dc.waitForEvent('terminated');
      await dc.continueRequest({ threadId: ev.body.threadId! });
      await done;
    });

    it('does not stop on errors whose filter is off', async function () {
      this.timeout(15_000);
      const done = dc.waitForEvent('terminated');
      await launch(dc, { program: E27, stopOnKernelError: false }, () => dc.setExceptionBreakpointsRequest({ filters: ['dma-abort'] }));
      await done;
    });

    it('stops at a function breakpoint on a kernel operation', async function () {
      this.timeout(15_000);
      let bp: DebugProtocol.Breakpoint | undefined;
      const ev = await run(RK3588, {}, async () => {
        bp = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'pci_epc_set_bar' }] })).body.breakpoints[0];
      });
      assert.equal(bp?.verified, true);
      assert.equal(ev.body.reason, 'function breakpoint');
      const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
      assert.ok(st.body.stackFrames.some((f) => f.name === 'pci_epc_set_bar'));
      assert.equal(st.body.stackFrames.at(-1)!.name, 'pci_epf_dma_worker');
    });

    it('shows configfs attributes, eDMA bit fields and the host probe', async function () {
      this.timeout(15_000);
      const ev = await run(RK3588, {}, () => dc.setBreakpointsRequest({ source: { path: RK3588 }, breakpoints: [{ line: DRAIN }] }));
      const t = ev.body.threadId!;
      const fn = await scopeVars(dc, t, 'Function pci_epf_dma.0');
      assert.equal(fn.find((v) => v.name === 'msi_interrupts')?.value, '8');
      assert.equal(fn.find((v) => v.name === 'vendorid')?.value, '0x1d87');
      assert.equal(fn.find((v) => v.name === 'msi_interrupts')?.evaluateName, 'functions/pci_epf_dma/dma0/msi_interrupts');
      const edma = await scopeVars(dc, t, 'eDMA');
      const ctrl = await children(dc, edma[0]);
      const rd0 = await children(dc, ctrl.find((v) => v.name === 'rd.ch0')!);
      const control1 = rd0.find((v) => v.name === 'control1')!;
      const bits = await children(dc, control1);
      assert.deepEqual(bits.map((b) => b.name), ['CB', 'TCB', 'LLP', 'LIE', 'RIE', 'CS', 'CCS', 'LLE', 'FUNC_NUM']);
      assert.match(bits.find((b) => b.name === 'CS')!.value, /stopped/, 'the fill transfer ran on read ch0');
      assert.equal(bits.find((b) => b.name === 'LLE')!.value, '1');
      const host = await scopeVars(dc, t, 'Host');
      assert.equal(host.find((v) => v.name === 'probe')?.value, 'ok');
      const time = await scopeVars(dc, t, 'Time');
      assert.match(time.find((v) => v.name === 'step')!.value, /of 22$/);
    });

    it('reads the metadata blob and writes memory back', async function () {
      this.timeout(15_000);
      const ev = await run(RK3588, {}, () => dc.setBreakpointsRequest({ source: { path: RK3588 }, breakpoints: [{ line: START }, { line: DRAIN }] }));
      const fn = await scopeVars(dc, ev.body.threadId!, 'Function pci_epf_dma.0');
      const meta = fn.find((v) => v.name === 'metadata')!;
      assert.ok(meta.memoryReference);
      // DebugClient has no readMemory/writeMemory helpers: customRequest returns the generic Response.
      let r = await dc.customRequest('readMemory', { memoryReference: meta.memoryReference, count: 16 }) as DebugProtocol.ReadMemoryResponse;
      assert.equal(Buffer.from(r.body!.data!, 'base64').subarray(0, 4).toString('hex'), '5045444d');
      // Past start = 1 the BAR memory is on the endpoint bus: writes land there.
      const ev2 = await stopAfter(dc, () => dc.continueRequest({ threadId: ev.body.threadId! }));
      const memEvent = dc.waitForEvent('memory');
      const w = await dc.customRequest('writeMemory', { memoryReference: meta.memoryReference, offset: 0x200, data: Buffer.from('c0ffee11', 'hex').toString('base64') }) as DebugProtocol.WriteMemoryResponse;
      assert.equal(w.body?.bytesWritten, 4);
      await memEvent;
      r = await dc.customRequest('readMemory', { memoryReference: meta.memoryReference, offset: 0x1fe, count: 8 }) as DebugProtocol.ReadMemoryResponse;
      assert.equal(Buffer.from(r.body!.data!, 'base64').toString('hex'), '0000c0ffee110000');
      // EP address 0 is not mapped: reported as unreadable bytes, not invented.
      const ep = await dc.customRequest('readMemory', { memoryReference: 'ep:a40000000.pcie-ep:0x0', count: 4096 }) as DebugProtocol.ReadMemoryResponse;
      assert.equal(ep.body?.unreadableBytes, 4096);
      assert.ok(ev2.body.threadId);
    });

    it('evaluates metadata fields, registers, BAR reads and configfs paths', async function () {
      this.timeout(15_000);
      const ev = await run(RK3588, {}, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'dw_edma_pcie_ep_handshake' }, { name: 'dw_edma_pcie_parse_ep_metadata' }] }));
      assert.equal(await evalText(dc, 'pedm.ctrl.ready'), '0');
      assert.equal(await evalText(dc, 'pedm.ctrl.host_req'), '0');
      assert.equal(await evalText(dc, 'functions/pci_epf_dma/dma0/msi_interrupts'), '8');
      assert.equal(await evalText(dc, 'functions/pci_epf_dma/dma0/pci_epf_dma.0/wr_chans'), '2');
      assert.equal(await evalText(dc, 'pedm.len'), '0xcc');
      await stopAfter(dc, () => dc.continueRequest({ threadId: ev.body.threadId! }));
      assert.equal(await evalText(dc, 'pedm.ctrl.ready'), '1');
      assert.equal(await evalText(dc, 'pedm.ctrl.ready == 1 && pedm.ctrl.host_req == 1'), 'true');
      // BAR0 + 8 as the host reads it is the CTRL word of the blob.
      const ctrl = BigInt(await evalText(dc, 'pedm.ctrl'));
      assert.equal(BigInt((await evalText(dc, 'bar0[0x8]')).split(' ')[0]), ctrl);
      assert.match(await evalText(dc, 'wr_int_status'), /^0x[0-9a-f]{8}/);
      assert.match(await evalText(dc, 'ch0.llp'), /^0x[0-9a-f]{16}/);
      assert.match(await evalText(dc, 'time'), /^510000 µs/);
      await assert.rejects(dc.evaluateRequest({ expression: 'no_such_thing', context: 'repl' }), /unknown name 'no_such_thing'/);
    });

    it('steps back to an earlier state', async function () {
      this.timeout(15_000);
      const ev = await run(RK3588, {}, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'dw_edma_pcie_ep_handshake' }] }));
      const t = ev.body.threadId!;
      assert.equal(await evalText(dc, 'pedm.ctrl.ready'), '0');
      // Running HOST_REQ lets the host poll while the endpoint worker maps the window and sets READY;
      // the worker's steps are reported on the endpoint thread.
      const worker = await stopAfter(dc, () => dc.stepInRequest({ threadId: t }));
      assert.equal(worker.body.threadId, 1, 'the worker runs on the endpoint thread');
      const st = await dc.stackTraceRequest({ threadId: 1 });
      assert.deepEqual(st.body.stackFrames.map((f) => f.name), ['dw_pcie_ep_set_bar', 'pci_epc_set_bar', 'pci_epf_dma_worker']);
      assert.equal(await evalText(dc, 'pedm.ctrl.ready'), '1');
      // The host thread still shows where the host is: in the handshake.
      assert.equal((await topFrame(dc, 2)).name, 'dw_edma_pcie_ep_handshake');
      await stopAfter(dc, () => dc.stepInRequest({ threadId: t }));
      const after = await stopAfter(dc, () => dc.stepInRequest({ threadId: t }));
      assert.equal((await topFrame(dc, after.body.threadId!)).name, 'dw_edma_pcie_parse_ep_metadata');
      const back = await stopAfter(dc, () => dc.stepBackRequest({ threadId: after.body.threadId! }));
      assert.equal(back.body.reason, 'step');
      assert.equal(back.body.threadId, 2);
      assert.equal(await evalText(dc, 'pedm.ctrl.ready'), '0');
      assert.equal(await evalText(dc, 'pedm.ctrl.host_req'), '0');
      assert.equal((await topFrame(dc, 2)).name, 'dw_edma_pcie_ep_handshake');
    });

    it('reverse-continues to the previous breakpoint', async function () {
      this.timeout(15_000);
      const ev = await run(RK3588, {}, () => dc.setBreakpointsRequest({ source: { path: RK3588 }, breakpoints: [{ line: START }, { line: DRAIN }] }));
      const t = ev.body.threadId!;
      await stopAfter(dc, () => dc.continueRequest({ threadId: t }));
      assert.notEqual(await evalText(dc, 'time'), '0 µs (0.000000 s)');
      const back = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: t }));
      assert.equal(back.body.reason, 'breakpoint');
      assert.equal((await topFrame(dc, back.body.threadId!)).line, START);
      assert.equal(await evalText(dc, 'time'), '0 µs (0.000000 s)');
      assert.equal(await evalText(dc, 'probe'), 'not run');
    });

    it('honours conditions on breakpoints', async function () {
      this.timeout(15_000);
      const ev = await run(RK3588, {}, () => dc.setBreakpointsRequest({
        source: { path: RK3588 }, breakpoints: [{ line: START, condition: "probe == 'ok'" }, { line: DRAIN, condition: 'pedm.ctrl.ready == 1' }],
      }));
      assert.equal((await topFrame(dc, ev.body.threadId!)).line, DRAIN);
    });

    it('writes registers through setVariable and refuses configfs edits', async function () {
      this.timeout(15_000);
      const ev = await run(RK3588, {}, () => dc.setBreakpointsRequest({ source: { path: RK3588 }, breakpoints: [{ line: DRAIN }] }));
      const t = ev.body.threadId!;
      const edma = await scopeVars(dc, t, 'eDMA');
      const regs = await children(dc, edma[0]);
      const invalidated = dc.waitForEvent('invalidated');
      const r = await dc.setVariableRequest({ variablesReference: edma[0].variablesReference, name: 'rd_int_mask', value: '0x10001' });
      assert.match(r.body.value, /^0x00010001/);
      await invalidated;
      assert.match(await evalText(dc, 'rd_int_mask'), /^0x00010001/);
      assert.ok(regs.some((v) => v.name === 'wr_int_status'));
      const ref = (await dc.scopesRequest({ frameId: (await topFrame(dc, t)).id })).body.scopes.find((s) => s.name.startsWith('Function'))!.variablesReference;
      const fn = (await dc.variablesRequest({ variablesReference: ref })).body.variables;
      assert.ok(fn.some((v) => v.name === 'msi_interrupts'));
      await assert.rejects(dc.setVariableRequest({ variablesReference: ref, name: 'msi_interrupts', value: '4' }), /replayed from the file/);
    });

    it('prints the kernel log with EP and HOST prefixes', async function () {
      this.timeout(15_000);
      const lines: string[] = [];
      dc.on('output', (e: DebugProtocol.OutputEvent) => { lines.push(e.body.output); });
      const done = dc.waitForEvent('terminated');
      await launch(dc, { program: RK3588 });
      await done;
      assert.ok(lines.some((l) => /^\[\s+0\.010000\] EP {3}dw-pcie a40000000\.pcie-ep: Link up/.test(l)), lines.join(''));
      assert.ok(lines.some((l) => /HOST dw-edma-pcie 0000:01:00\.0: probe/.test(l)));
    });

    it('pauses a long run within a few steps', async function () {
      this.timeout(30_000);
      const big = withTransfers('pause.pciep', '[host/transfer/big]\ndirection = rc-to-ep\nchannel = 0\nsize = 64M\nelement-size = 1K\n');
      const firstTransfer = lineOf(big, /^\[host\/transfer\/big\]/);
      const ev = await run(big, {}, () => dc.setBreakpointsRequest({ source: { path: big }, breakpoints: [{ line: firstTransfer }] }));
      const t = ev.body.threadId!;
      await dc.continueRequest({ threadId: t });
      await new Promise((r) => setTimeout(r, 30));
      const paused = await stopAfter(dc, () => dc.pauseRequest({ threadId: t }));
      assert.equal(paused.body.reason, 'pause');
      const step = await evalText(dc, 'step');
      assert.ok(Number(step.split(' ')[0]) < 400, `paused at step ${step}`);
    });

    it('restarts and terminates', async function () {
      this.timeout(15_000);
      await run(RK3588, { stopOnEntry: true });
      // RestartArguments.arguments is typed as the generic LaunchRequestArguments.
      const again = await stopAfter(dc, () => dc.restartRequest({ arguments: { program: RK3588, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments }));
      assert.equal(again.body.reason, 'entry');
      assert.equal((await topFrame(dc, again.body.threadId!)).line, FIRST);
      const done = dc.waitForEvent('terminated');
      await dc.terminateRequest({});
      await done;
    });
  });
}
