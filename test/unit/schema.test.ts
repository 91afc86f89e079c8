import { strict as assert } from 'node:assert';
import {
  CONTROLLER_ATTRIBUTES,
  DRIVERS,
  STANDARD_ATTRIBUTES,
  allAttributes,
  controllerAttribute,
  driverNames,
  findDriver,
  functionAttribute,
  groupAttribute,
  suggestAttribute,
  suggestDriver,
} from '../../server/src/language/schema';
import type { AttributeSpec, StoreCheck } from '../../server/src/language/schema/types';

function every(): { where: string; attr: AttributeSpec }[] {
  return [
    ...STANDARD_ATTRIBUTES.map((attr) => ({ where: 'function', attr })),
    ...CONTROLLER_ATTRIBUTES.map((attr) => ({ where: 'controller', attr })),
    ...DRIVERS.flatMap((d) => d.groupAttributes.map((attr) => ({ where: d.name, attr }))),
  ];
}

function group(driver: string, name: string): AttributeSpec {
  const a = groupAttribute(driver, name);
  assert.ok(a, `${driver} has ${name}`);
  return a;
}

function checks(a: AttributeSpec): StoreCheck['check'][] {
  return a.store.map((c) => c.check);
}

describe('schema: every entry is documented', () => {
  for (const { where, attr } of every()) {
    it(`${where}/${attr.name} has doc, ref, a parse rule and a parse store check`, () => {
      assert.ok(attr.doc.length > 40, 'real documentation');
      assert.ok(attr.ref.length > 0);
      assert.ok(attr.parse.kind === 'int' || attr.parse.kind === 'bool');
      assert.ok(attr.store.some((c) => c.check === 'parse'), 'the store parses the value');
      assert.ok(attr.show.includes('%'));
    });
  }
  for (const d of DRIVERS) {
    it(`driver ${d.name} has summary, doc and ref`, () => {
      assert.ok(d.summary.length > 10);
      assert.ok(d.doc.length > 80);
      assert.ok(d.ref.length > 0);
      assert.equal(d.hasGroup, d.groupAttributes.length > 0);
    });
  }
});

describe('schema: standard function attributes (kernel-background A.2)', () => {
  const expected: [string, 'u8' | 'u16', string][] = [
    ['vendorid', 'u16', '0x%04x'],
    ['deviceid', 'u16', '0x%04x'],
    ['revid', 'u8', '0x%04x'],
    ['progif_code', 'u8', '0x%04x'],
    ['subclass_code', 'u8', '0x%04x'],
    ['baseclass_code', 'u8', '0x%04x'],
    ['cache_line_size', 'u8', '0x%04x'],
    ['subsys_vendor_id', 'u16', '0x%04x'],
    ['subsys_id', 'u16', '0x%04x'],
    ['interrupt_pin', 'u8', '0x%04x'],
    ['msi_interrupts', 'u8', '%d'],
    ['msix_interrupts', 'u16', '%d'],
  ];
  it('kernel-background A.2: exactly the twelve attributes', () => {
    assert.deepEqual(
      STANDARD_ATTRIBUTES.map((a) => a.name),
      expected.map((e) => e[0]),
    );
  });
  for (const [name, type, show] of expected) {
    it(`kernel-background A.2: ${name} is ${type}, shown ${show}, every parse failure EINVAL`, () => {
      const a = functionAttribute(name);
      assert.ok(a);
      assert.deepEqual(a.parse, { kind: 'int', type });
      assert.equal(a.show, show);
      assert.equal(a.group, 'function');
      assert.deepEqual(a.store, [{ check: 'parse', errno: 'EINVAL' }]);
    });
  }
  it('kernel-background A.4: msi/msix docs state the bind-time ranges', () => {
    assert.match(functionAttribute('msi_interrupts')?.doc ?? '', /1\.\.32/);
    assert.match(functionAttribute('msix_interrupts')?.doc ?? '', /1\.\.2048/);
  });
  it('kernel-background A.3: controller start is kstrtobool, shown %d', () => {
    const s = controllerAttribute('start');
    assert.ok(s);
    assert.deepEqual(s.parse, { kind: 'bool' });
    assert.equal(s.show, '%d');
    assert.equal(s.group, 'controller');
    assert.deepEqual(s.store, [{ check: 'parse', errno: 'EINVAL' }]);
  });
});

describe('schema: pci_epf_dma (seed-series 6.1)', () => {
  const d = findDriver('pci_epf_dma');
  it('seed-series 6.1: header defaults and group', () => {
    assert.ok(d);
    assert.deepEqual(d.headerDefaults, {
      vendorid: 0xffff,
      deviceid: 0xffff,
      baseclass_code: 0x08,
      subclass_code: 0x01,
      interrupt_pin: 1,
    });
    assert.equal(d.hasGroup, true);
    assert.ok(d.patchOnly);
    assert.deepEqual(
      d.groupAttributes.map((a) => a.name),
      ['metadata_bar', 'dma_window_bar', 'wr_chans', 'rd_chans'],
    );
  });
  for (const [name, other] of [
    ['metadata_bar', 'dma_window_bar'],
    ['dma_window_bar', 'metadata_bar'],
  ] as const) {
    it(`seed-series 6.1: ${name} s32 default -1; unbound→EOPNOTSUPP, parse, range -1..5, differs from ${other}`, () => {
      const a = group('pci_epf_dma', name);
      assert.deepEqual(a.parse, { kind: 'int', type: 's32' });
      assert.equal(a.defaultValue, -1);
      assert.equal(a.show, '%d');
      assert.deepEqual(a.store, [
        { check: 'unbound', errno: 'EOPNOTSUPP' },
        { check: 'parse', errno: 'passthrough' },
        { check: 'range', min: -1, max: 5, errno: 'EINVAL' },
        { check: 'differs', from: other, unless: -1, errno: 'EINVAL' },
      ]);
      assert.match(a.ref, /not visible/);
    });
  }
  for (const name of ['wr_chans', 'rd_chans']) {
    it(`seed-series 6.1: ${name} u16 default 0; unbound→EOPNOTSUPP first, max 8`, () => {
      const a = group('pci_epf_dma', name);
      assert.deepEqual(a.parse, { kind: 'int', type: 'u16' });
      assert.equal(a.defaultValue, 0);
      assert.deepEqual(a.store[0], { check: 'unbound', errno: 'EOPNOTSUPP' });
      assert.deepEqual(checks(a), ['unbound', 'parse', 'range']);
      const range = a.store[2];
      assert.ok(range.check === 'range' && range.max === 8 && range.errno === 'EINVAL');
    });
  }
});

describe('schema: pci_epf_test (kernel-background B.1)', () => {
  const sizes = [512, 512, 1024, 16384, 131072, 1048576];
  it('kernel-background B.1: mainline driver, header defaults', () => {
    const d = findDriver('pci_epf_test');
    assert.ok(d);
    assert.equal(d.patchOnly, undefined);
    assert.deepEqual(d.headerDefaults, { vendorid: 0xffff, deviceid: 0xffff, baseclass_code: 0xff, interrupt_pin: 1 });
  });
  for (let bar = 0; bar < 6; bar++) {
    it(`kernel-background B.1: bar${bar}_size u32, EINVAL once bound, pow2, %zu, default ${sizes[bar]}`, () => {
      const a = group('pci_epf_test', `bar${bar}_size`);
      assert.deepEqual(a.parse, { kind: 'int', type: 'u32' });
      assert.equal(a.show, '%zu');
      assert.equal(a.defaultValue, sizes[bar]);
      assert.deepEqual(a.store, [
        { check: 'unbound', errno: 'EINVAL' },
        { check: 'parse', errno: 'passthrough' },
        { check: 'pow2', errno: 'EINVAL' },
      ]);
      assert.ok(a.patchOnly);
      assert.match(a.ref, /Cassel/);
      assert.match(a.doc, /Cassel/);
    });
  }
});

describe('schema: NTB drivers (kernel-background B.2, B.3)', () => {
  it('kernel-background B.2: pci_epf_ntb needs primary and secondary', () => {
    assert.equal(findDriver('pci_epf_ntb')?.interfaces, 'primary+secondary');
    assert.equal(findDriver('pci_epf_vntb')?.interfaces, 'primary');
  });
  for (const driver of ['pci_epf_ntb', 'pci_epf_vntb']) {
    it(`kernel-background B.2/B.3: ${driver} num_mws max 4 → EINVAL`, () => {
      const a = group(driver, 'num_mws');
      assert.deepEqual(a.parse, { kind: 'int', type: 'u32' });
      const range = a.store.find((c) => c.check === 'range');
      assert.ok(range && range.check === 'range' && range.max === 4 && range.errno === 'EINVAL');
      assert.equal(a.show, '%d');
    });
    for (let n = 1; n <= 4; n++) {
      it(`kernel-background B.2/B.3: ${driver} mw${n} u64 %lld, index ${n} ≤ num_mws else EINVAL`, () => {
        const a = group(driver, `mw${n}`);
        assert.deepEqual(a.parse, { kind: 'int', type: 'u64' });
        assert.equal(a.show, '%lld');
        const idx = a.store.find((c) => c.check === 'index-le');
        assert.ok(idx && idx.check === 'index-le');
        assert.equal(idx.sibling, 'num_mws');
        assert.equal(idx.index, n);
        assert.equal(idx.errno, 'EINVAL');
        assert.match(idx.log ?? '', /Invalid num_nws/);
        assert.deepEqual(checks(a), ['parse', 'index-le']);
      });
    }
  }
  for (const name of ['ctrl_bar', 'db_bar', 'mw1_bar', 'mw2_bar', 'mw3_bar', 'mw4_bar']) {
    it(`kernel-background B.3: vntb ${name} s32 default -1, range -1..5 → EINVAL`, () => {
      const a = group('pci_epf_vntb', name);
      assert.deepEqual(a.parse, { kind: 'int', type: 's32' });
      assert.equal(a.defaultValue, -1);
      assert.deepEqual(a.store, [
        { check: 'parse', errno: 'passthrough' },
        { check: 'range', min: -1, max: 5, errno: 'EINVAL' },
      ]);
    });
  }
  it('kernel-background B.3: vbus_number defaults to 0xff; vntb_pid/vid parsed u32 and documented as truncated', () => {
    assert.equal(group('pci_epf_vntb', 'vbus_number').defaultValue, 0xff);
    for (const n of ['vntb_pid', 'vntb_vid']) {
      const a = group('pci_epf_vntb', n);
      assert.deepEqual(a.parse, { kind: 'int', type: 'u32' });
      assert.match(a.doc, /truncat/);
    }
  });
  it('kernel-background B.3: vntb header defaults', () => {
    assert.deepEqual(findDriver('pci_epf_vntb')?.headerDefaults, {
      vendorid: 0xffff,
      deviceid: 0xffff,
      baseclass_code: 0x05,
      interrupt_pin: 1,
    });
  });
});

describe('schema: MHI drivers (kernel-background B.4)', () => {
  const ids: [string, number][] = [
    ['pci_epf_mhi_sa8775p', 0x0116],
    ['pci_epf_mhi_sdx55', 0x0306],
    ['pci_epf_mhi_sm8450', 0x0306],
  ];
  for (const [name, dev] of ids) {
    it(`kernel-background B.4: ${name} has no group, vendor 0x17cb device 0x${dev.toString(16)}`, () => {
      const d = findDriver(name);
      assert.ok(d);
      assert.equal(d.hasGroup, false);
      assert.equal(d.headerDefaults.vendorid, 0x17cb);
      assert.equal(d.headerDefaults.deviceid, dev);
    });
  }
});

describe('schema: lookups', () => {
  it('kernel-background F.1: driver names list every driver', () => {
    const names = driverNames();
    for (const n of [
      'pci_epf_dma',
      'pci_epf_test',
      'pci_epf_ntb',
      'pci_epf_vntb',
      'pci_epf_mhi_sa8775p',
      'pci_epf_mhi_sdx55',
      'pci_epf_mhi_sm8450',
    ]) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(new Set(names).size, names.length, 'no duplicates');
  });
  it('kernel-background A.1: unknown names are undefined', () => {
    assert.equal(findDriver('pci_epf_nope'), undefined);
    assert.equal(functionAttribute('wr_chans'), undefined);
    assert.equal(groupAttribute('pci_epf_dma', 'vendorid'), undefined);
    assert.equal(groupAttribute('pci_epf_mhi_sdx55', 'wr_chans'), undefined);
    assert.equal(controllerAttribute('vendorid'), undefined);
  });
  it('kernel-background A.1: allAttributes = standard + group', () => {
    assert.equal(allAttributes('pci_epf_dma').length, 12 + 4);
    assert.equal(allAttributes('pci_epf_mhi_sm8450').length, 12);
    assert.equal(allAttributes(undefined).length, 12);
  });
  it('DESIGN 2: typo suggestions', () => {
    assert.equal(suggestAttribute('pci_epf_dma', 'wr_chan'), 'wr_chans');
    assert.equal(suggestAttribute('pci_epf_dma', 'vendor_id'), 'vendorid');
    assert.equal(suggestAttribute(undefined, 'strat', 'controller'), 'start');
    assert.equal(suggestAttribute('pci_epf_dma', 'completely_unrelated'), undefined);
    assert.equal(suggestDriver('pci_epf_tset'), 'pci_epf_test');
  });
});
