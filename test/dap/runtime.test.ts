/**
 * The debugger runtime without DAP (vscode-anchors 3.1: the runtime is driven by method calls and
 * reports through events): exception filters on DMA aborts and host probe failures, stepping depth
 * on a file with statements after `start = 1`, hit conditions, memory references and evaluator errors.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { PciepRuntime, type StopEvent } from '../../server/src/debug/runtime';
import { evaluate } from '../../server/src/debug/evaluate';
import { memRef, parseMemRef, readMemory } from '../../server/src/debug/memory';
import { EXAMPLES, RK3588, lineOf, withTransfers } from './harness';

type Outcome = StopEvent | 'end';

/** Runs `action` and resolves with the next stop or the end. */
function next(rt: PciepRuntime, action: () => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const onStop = (e: StopEvent) => { done(); resolve(e); };
    const onEnd = () => { done(); resolve('end'); };
    const done = () => { rt.off('stopped', onStop); rt.off('end', onEnd); };
    rt.on('stopped', onStop);
    rt.on('end', onEnd);
    action();
  });
}

function stop(o: Outcome): StopEvent {
  if (o === 'end') throw new assert.AssertionError({ message: 'expected a stop, the run ended' });
  return o;
}

describe('debug runtime', function () {
  this.timeout(20_000);

  it('stops on a DMA abort once, at the transfer, on the channel thread', async () => {
    const file = withTransfers('abort.pciep', '[host/transfer/bad]\ndirection = rc-to-ep\nchannel = 0\nsize = 64K\ndst = 0x1000\n');
    const rt = new PciepRuntime();
    rt.setExceptionFilters(['dma-abort']);
    await rt.load({ program: file });
    const ev = stop(await next(rt, () => rt.start(false)));
    assert.equal(ev.reason, 'exception');
    assert.match(ev.description ?? '', /read ch0 aborted/);
    assert.equal(ev.threadId, 100 + 64 + 0);
    assert.equal(rt.state().step?.line, lineOf(file, /^\[host\/transfer\/bad\]/) - 1);
    assert.equal(await next(rt, () => rt.continue()), 'end', 'the transfer result does not stop a second time');
  });

  it('stops on a host probe failure with its errno', async () => {
    const file = withTransfers('probe.pciep', '[host/fault/magic]\nkind = corrupt-metadata\nfield = magic\nvalue = 0x1234\n');
    const rt = new PciepRuntime();
    rt.setExceptionFilters(['host-probe-failure']);
    await rt.load({ program: file });
    const ev = stop(await next(rt, () => rt.start(false)));
    assert.equal(ev.reason, 'exception');
    assert.match(ev.description ?? '', /^ENODEV/);
    assert.equal(rt.exception()[0].code, 'host-probe-failed');
    assert.equal(evaluate(rt.state(), 'probe').value, 'ENODEV');
  });

  it('kernel-error follows stopOnKernelError until the client sets filters', async () => {
    const e27 = path.join(EXAMPLES, 'broken', 'e27-partial-direction-unroll.pciep');
    const rt = new PciepRuntime();
    await rt.load({ program: e27, stopOnKernelError: true });
    assert.equal(stop(await next(rt, () => rt.start(false))).reason, 'exception');
    const rt2 = new PciepRuntime();
    await rt2.load({ program: e27, stopOnKernelError: false });
    assert.equal(await next(rt2, () => rt2.start(false)), 'end');
  });

  it('steps out of bring-up phases to the next statement after start = 1', async () => {
    const teardown = path.join(EXAMPLES, 'teardown.pciep');
    const rt = new PciepRuntime();
    await rt.load({ program: teardown });
    const stopLine = lineOf(teardown, /^start = 0/) - 1;
    rt.setLineBreakpoints([{ line: lineOf(teardown, /^start = 1/) - 1 }]);
    stop(await next(rt, () => rt.start(false)));
    stop(await next(rt, () => rt.stepIn()));
    assert.equal(rt.state().step?.phase, 'link-training');
    stop(await next(rt, () => rt.next()));
    assert.equal(rt.state().step?.phase, 'link-up');
    stop(await next(rt, () => rt.stepOut()));
    assert.equal(rt.state().step?.phase, 'host-enumeration', 'the [host] section is the host side\'s statement');
    stop(await next(rt, () => rt.next()));
    assert.equal(rt.state().step?.line, stopLine, 'next walks over the probe to `start = 0`');
    assert.equal(rt.state().step?.kind, 'statement');
  });

  it('applies hit conditions and function breakpoints', async () => {
    const rt = new PciepRuntime();
    await rt.load({ program: RK3588 });
    rt.setFunctionBreakpoints([{ name: 'dw_edma_done_interrupt', hitCondition: '2' }]);
    const ev = stop(await next(rt, () => rt.start(false)));
    assert.equal(ev.reason, 'function breakpoint');
    assert.equal(rt.state().step?.line, lineOf(RK3588, /^\[host\/transfer\/drain\]/) - 1);
  });

  it('keeps register and memory edits across a step back to a later point, drops them before it', async () => {
    const rt = new PciepRuntime();
    await rt.load({ program: RK3588 });
    rt.setLineBreakpoints([{ line: lineOf(RK3588, /^\[host\/transfer\/fill\]/) - 1 }]);
    stop(await next(rt, () => rt.start(false)));
    const ref = memRef({ kind: 'blob', fn: 'functions/pci_epf_dma/dma0' });
    rt.writeMemory(ref, 0x300, Buffer.from([1, 2, 3, 4]), false);
    stop(await next(rt, () => rt.stepIn()));
    stop(await next(rt, () => rt.stepBack()));
    assert.equal(readMemory(rt.state().emu, ref, 0x300, 4).data.toString('hex'), '01020304', 'the edit was made at this step');
    stop(await next(rt, () => rt.stepBack()));
    assert.equal(readMemory(rt.state().emu, ref, 0x300, 4).data.toString('hex'), '00000000', 'before the edit');
  });

  it('reads host BARs through the iATU and reports unmapped bytes', async () => {
    const rt = new PciepRuntime();
    await rt.load({ program: RK3588 });
    rt.setLineBreakpoints([{ line: lineOf(RK3588, /^\[host\/transfer\/fill\]/) - 1 }]);
    stop(await next(rt, () => rt.start(false)));
    const bar0 = evaluate(rt.state(), 'bar0[0]');
    assert.equal(bar0.value, '0x4d444550');
    const t = parseMemRef(bar0.memoryReference!);
    assert.equal(t?.kind, 'bar');
    const r = readMemory(rt.state().emu, bar0.memoryReference!, 0, 4);
    assert.equal(r.data.toString('hex'), '5045444d');
    const gap = readMemory(rt.state().emu, memRef({ kind: 'host', base: 0x1000n }), 0, 64);
    assert.equal(gap.data.length, 0);
    assert.equal(gap.unreadable, 64);
  });

  it('explains evaluation errors instead of failing', async () => {
    const rt = new PciepRuntime();
    await rt.load({ program: RK3588 });
    stop(await next(rt, () => rt.start(true)));
    const s = rt.state();
    assert.throws(() => evaluate(s, 'wr_int_status'), /no eDMA engine yet/);
    assert.throws(() => evaluate(s, 'pedm.ctrl.ready'), /no pci_epf_dma function exists/);
    assert.throws(() => evaluate(s, 'bar0[0x8]'), /no pci_epf_dma function exists/);
    assert.throws(() => evaluate(s, 'nonsense.name'), /unknown name 'nonsense.name'/);
    assert.throws(() => evaluate(s, 'time >'), /incomplete/);
    assert.throws(() => evaluate(s, "'ok' < 3"), /cannot order/);
    assert.equal(evaluate(s, 'time == 0 && step == 1').value, 'true');
    stop(await next(rt, () => rt.stepIn()));
    assert.throws(() => evaluate(rt.state(), 'pedm.len'), /pci_epf_dma\.0 is not bound yet/);
    assert.equal(evaluate(rt.state(), 'msi_interrupts').value, '0', 'created, not written yet: the default');
  });
});
