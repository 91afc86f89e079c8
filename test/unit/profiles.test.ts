import { strict as assert } from 'node:assert';
import {
  checkProfile,
  cloneProfile,
  findProfile,
  listProfiles,
  PROFILES,
  suggestCompatible,
} from '../../server/src/language/profiles';
import {
  applyPlatformOverride,
  findPlatformKey,
  PLATFORM_KEYS,
  suggestPlatformKey,
} from '../../server/src/language/profiles/overrides';
import type { Profile } from '../../server/src/language/profiles/types';
import { closest, levenshtein } from '../../server/src/language/suggest';
import { formatSize, hex, isPowerOfTwo, parseInteger, parseSize } from '../../server/src/language/units';

const KiB = 1024;
const MiB = 1024 * KiB;

const REQUIRED = [
  'rockchip,rk3588-pcie-ep',
  'rockchip,rk3568-pcie-ep',
  'renesas,r8a779f0-pcie-ep',
  'nvidia,tegra194-pcie-ep',
  'nvidia,tegra234-pcie-ep',
  'qcom,sa8775p-pcie-ep',
  'qcom,sm8450-pcie-ep',
  'fsl,imx8mp-pcie-ep',
  'fsl,imx95-pcie-ep',
  'snps,dw-pcie-ep',
  'ti,am654-pcie-ep',
];

function profile(compatible: string): Profile {
  const p = findProfile(compatible);
  assert.ok(p, `no profile for ${compatible}`);
  return p;
}

function overridden(compatible: string, lines: readonly [string, string][]): Profile {
  const p = cloneProfile(profile(compatible));
  for (const [k, v] of lines) assert.equal(applyPlatformOverride(p, k, v), undefined, `${k} = ${v}`);
  return p;
}

function sizeOf(text: string): bigint {
  const r = parseSize(text);
  assert.ok(r.ok, `parseSize(${JSON.stringify(text)}) failed: ${r.ok ? '' : r.message}`);
  return r.value;
}

function sizeError(text: string): string {
  const r = parseSize(text);
  assert.ok(!r.ok, `parseSize(${JSON.stringify(text)}) should fail`);
  return r.message;
}

describe('platform profiles: data', () => {
  for (const compatible of REQUIRED) {
    it(`has a built-in profile for ${compatible}`, () => {
      assert.equal(profile(compatible).compatible, compatible);
    });
  }

  it('lists every profile once, with unique compatibles', () => {
    const all = listProfiles();
    assert.equal(all, PROFILES);
    assert.equal(new Set(all.map((p) => p.compatible)).size, all.length);
  });

  for (const p of PROFILES) {
    describe(`${p.compatible} is self-consistent (kernel-background C.1–C.3, E.2, E.4)`, () => {
      it('passes checkProfile', () => {
        assert.deepEqual(checkProfile(p), []);
      });

      it('has six BARs; only_64bit BARs are even and followed by a 64bit-upper BAR', () => {
        const bars = p.features.bars;
        assert.equal(bars.length, 6);
        bars.forEach((b, i) => {
          if (b.only64bit) {
            assert.equal(i % 2, 0, `BAR${i} only_64bit on an odd BAR`);
            assert.equal(bars[i + 1]?.type, '64bit-upper', `BAR${i + 1} after only_64bit BAR${i}`);
          }
          if (b.type === '64bit-upper') assert.equal(bars[i - 1]?.only64bit, true, `BAR${i} upper without a 64-bit BAR${i - 1}`);
        });
      });

      it('gives every fixed BAR a size, and reserved subregions only to reserved BARs', () => {
        p.features.bars.forEach((b, i) => {
          if (b.type === 'fixed') assert.ok((b.fixedSize ?? 0) > 0, `BAR${i} fixed without size`);
          if ((b.rsvdRegions?.length ?? 0) > 0) assert.equal(b.type, 'reserved', `BAR${i} has regions`);
        });
      });

      it('has align 0 or a power of two, and all DWC common features (seed-series 2.1)', () => {
        assert.ok(p.features.align === 0 || isPowerOfTwo(p.features.align));
        assert.equal(p.dwc, true);
        assert.equal(p.features.dynamicInboundMapping, true);
        assert.equal(p.features.subrangeMapping, true);
        assert.equal(p.maxVfs, null);
      });

      it('has eDMA counts 1..8 per direction for eDMA map formats when present (E.4 step 3)', () => {
        const e = p.edma;
        if (!e.present) {
          assert.equal(e.providerRegistered, false);
          assert.equal(e.doorbellOffset, null);
          return;
        }
        const max = e.mapFormat === 'hdma-native' ? 64 : 8;
        for (const n of [e.wrChannels, e.rdChannels]) assert.ok(Number.isInteger(n) && n >= 1 && n <= max, `${n}`);
        assert.ok(e.regSize > 0);
        assert.equal(e.llRegionSize, 4096, 'DMA_LLP_MEM_SIZE = PAGE_SIZE (E.4 step 5)');
      });

      it('has real numbers everywhere (bigint for regPhys) and explains what is unsure', () => {
        const e = p.edma;
        for (const n of [e.wrChannels, e.rdChannels, e.llRegionSize, e.regSize, e.irqs, p.iatu.inbound, p.iatu.outbound, p.iatu.regionAlign, p.maxFunctions, p.features.align]) {
          assert.ok(Number.isFinite(n), String(n));
        }
        assert.equal(typeof e.regPhys, 'bigint');
        assert.ok(p.ref.length > 0);
        for (const [field, why] of Object.entries(p.unsure)) assert.ok(why.length > 10, `unsure[${field}] needs a reason`);
      });
    });
  }

  it('RK3588 BAR4 is reserved with a DMA_CTRL_MMIO region 0x0+0x2000 (seed-series 2.1, kernel-background C.5)', () => {
    const p = profile('rockchip,rk3588-pcie-ep');
    assert.deepEqual(p.features.bars[4], { type: 'reserved', rsvdRegions: [{ type: 'dma-ctrl-mmio', offset: 0, size: 0x2000 }] });
    for (const i of [0, 1, 2, 3, 5]) assert.equal(p.features.bars[i].type, 'resizable');
    assert.equal(p.features.align, 64 * KiB);
    assert.equal(p.features.msixCapable, true);
    assert.equal(p.features.intxCapable, false);
    assert.equal(p.epcName, 'a40000000.pcie-ep');
  });

  it('RK3588 eDMA is unroll 2 wr + 2 rd with IRQs dma0..dma3 and the doorbell at rd_int_status (C.5, D.2, E.4)', () => {
    const e = profile('rockchip,rk3588-pcie-ep').edma;
    assert.equal(e.mapFormat, 'unroll');
    assert.equal(e.wrChannels, 2);
    assert.equal(e.rdChannels, 2);
    assert.equal(e.irqs, 4);
    assert.equal(e.doorbellOffset, 0xa0);
    assert.ok(e.doorbellOffset + 4 <= e.regSize);
    assert.ok(profile('rockchip,rk3588-pcie-ep').unsure['edma.wrChannels'], 'the sheet says "likely; verify"');
  });

  it('RK3568 has six resizable BARs, align 64K (C.5)', () => {
    const p = profile('rockchip,rk3568-pcie-ep');
    assert.deepEqual(p.features.bars.map((b) => b.type), Array(6).fill('resizable'));
    assert.equal(p.features.align, 64 * KiB);
  });

  it('R-Car S4 align is 1 MiB and BAR4 FIXED 256; BAR1/3/5 disabled (C.5)', () => {
    const p = profile('renesas,r8a779f0-pcie-ep');
    assert.equal(p.features.align, 1 * MiB);
    assert.deepEqual(p.features.bars[4], { type: 'fixed', fixedSize: 256 });
    assert.deepEqual(p.features.bars.map((b) => b.type), ['programmable', 'disabled', 'programmable', 'disabled', 'fixed', 'disabled']);
    assert.equal(p.features.msixCapable, false);
    assert.equal(p.features.linkupNotifier, false);
    assert.equal(p.epcName, 'e65d0000.pcie-ep');
  });

  it('R-Car S4 keeps max-functions 1 although the IP is multi-function (seed-series 7, E13)', () => {
    const p = profile('renesas,r8a779f0-pcie-ep');
    assert.equal(p.maxFunctions, 1);
    assert.ok(p.unsure.maxFunctions);
    assert.equal(p.edma.mapFormat, 'unroll', 'seed-series 0: tested R-Car S4 EP uses eDMA unroll');
  });

  it('Tegra194 BAR0 is only_64bit with BAR1 64bit-upper (C.5; BAR0 programmable since the 2026 NVIDIA series, noted as unsure)', () => {
    const p = profile('nvidia,tegra194-pcie-ep');
    assert.equal(p.features.bars[0].only64bit, true);
    assert.equal(p.features.bars[0].type, 'programmable');
    assert.equal(p.features.bars[1].type, '64bit-upper');
    assert.ok(p.unsure['features.bars[0]']?.includes('FIXED 1 MiB'));
    // Modelling the C.5-era kernel is one override away.
    const old = overridden('nvidia,tegra194-pcie-ep', [['bar0', 'fixed'], ['bar0-fixed-size', '1M']]);
    assert.deepEqual(old.features.bars[0], { type: 'fixed', fixedSize: 1 * MiB, only64bit: true });
    assert.deepEqual(checkProfile(old), []);
  });

  it('Tegra194 BAR2 holds MSI-X table 64K@0 + PBA 64K@0x10000, BAR4 a 4 KiB DMA_CTRL region (seed-series 2.1)', () => {
    const p = profile('nvidia,tegra194-pcie-ep');
    assert.equal(p.features.bars[2].type, 'reserved');
    assert.deepEqual(p.features.bars[2].rsvdRegions, [
      { type: 'msix-tbl-ram', offset: 0, size: 64 * KiB },
      { type: 'msix-pba-ram', offset: 0x10000, size: 64 * KiB },
    ]);
    assert.equal(p.features.bars[4].type, 'reserved');
    assert.deepEqual(p.features.bars[4].rsvdRegions, [{ type: 'dma-ctrl-mmio', offset: 0, size: 4 * KiB }]);
    assert.ok(p.unsure['features.bars[2]'] && p.unsure['features.bars[3]']);
    assert.equal(p.features.msixCapable, false);
    assert.equal(p.features.align, 64 * KiB);
    assert.equal(p.initAt, 'perst');
  });

  it('Tegra234 has the Tegra194 features table and says so in unsure (C.5)', () => {
    const t194 = profile('nvidia,tegra194-pcie-ep');
    const t234 = profile('nvidia,tegra234-pcie-ep');
    assert.deepEqual(t234.features, t194.features);
    assert.ok(t234.unsure.profile);
  });

  it('i.MX8MP BAR4 fixed 256, no MSI-X, no link-up notifier (C.5)', () => {
    const p = profile('fsl,imx8mp-pcie-ep');
    assert.deepEqual(p.features.bars[4], { type: 'fixed', fixedSize: 256 });
    assert.deepEqual(p.features.bars.map((b) => b.type), ['programmable', 'disabled', 'programmable', 'disabled', 'fixed', 'disabled']);
    assert.equal(p.features.msixCapable, false);
    assert.equal(p.features.msiCapable, true);
    assert.equal(p.features.linkupNotifier, false);
    assert.equal(p.features.align, 64 * KiB);
  });

  it('i.MX95 align 4K and BAR1 FIXED 64K (C.5)', () => {
    const p = profile('fsl,imx95-pcie-ep');
    assert.equal(p.features.align, 4 * KiB);
    assert.deepEqual(p.features.bars[1], { type: 'fixed', fixedSize: 64 * KiB });
    assert.ok(p.unsure['features.bars[1]']);
  });

  it('SA8775P HDMA native 8+8 with a single IRQ, PERST#-driven init (C.5, E.4)', () => {
    const p = profile('qcom,sa8775p-pcie-ep');
    assert.equal(p.edma.mapFormat, 'hdma-native');
    assert.equal(p.edma.wrChannels, 8);
    assert.equal(p.edma.rdChannels, 8);
    assert.equal(p.edma.irqs, 1);
    assert.equal(p.initAt, 'perst');
  });

  it('Qualcomm: BAR0/BAR2 only_64bit, BAR1/BAR3 upper halves, INTx capable, align 4K (C.5)', () => {
    for (const c of ['qcom,sa8775p-pcie-ep', 'qcom,sm8450-pcie-ep']) {
      const p = profile(c);
      assert.deepEqual(p.features.bars.map((b) => b.type), ['programmable', '64bit-upper', 'programmable', '64bit-upper', 'programmable', 'programmable']);
      assert.equal(p.features.bars[0].only64bit, true);
      assert.equal(p.features.bars[2].only64bit, true);
      assert.equal(p.features.intxCapable, true);
      assert.equal(p.features.msixCapable, false);
      assert.equal(p.features.align, 4 * KiB);
      assert.equal(p.initAt, 'perst');
    }
  });

  it('AM654 BAR0/1 reserved, BAR2/5 resizable, BAR3 FIXED 64K, BAR4 FIXED 256 (C.5)', () => {
    const p = profile('ti,am654-pcie-ep');
    const bars = p.features.bars;
    assert.equal(bars[0].type, 'reserved');
    assert.equal(bars[1].type, 'reserved');
    assert.equal(bars[2].type, 'resizable');
    assert.deepEqual(bars[3], { type: 'fixed', fixedSize: 64 * KiB });
    assert.deepEqual(bars[4], { type: 'fixed', fixedSize: 256 });
    assert.equal(bars[5].type, 'resizable');
    assert.equal(p.features.msixCapable, true);
    assert.equal(p.features.align, 64 * KiB);
  });

  it('generic snps,dw-pcie-ep: six programmable BARs, align 0, MSI + MSI-X (C.5)', () => {
    const p = profile('snps,dw-pcie-ep');
    assert.deepEqual(p.features.bars.map((b) => b.type), Array(6).fill('programmable'));
    assert.equal(p.features.align, 0);
    assert.equal(p.features.msixCapable, true);
    assert.equal(p.features.linkupNotifier, false);
  });

  it('only Qualcomm and Tegra initialise at PERST# (E.1)', () => {
    for (const p of PROFILES) {
      const perst = p.compatible.startsWith('qcom,') || p.compatible.startsWith('nvidia,');
      assert.equal(p.initAt, perst ? 'perst' : 'probe', p.compatible);
    }
  });

  it('the built-in data is frozen', () => {
    const p = profile('rockchip,rk3588-pcie-ep');
    assert.ok(Object.isFrozen(p) && Object.isFrozen(p.features.bars[4]) && Object.isFrozen(p.edma));
  });
});

describe('platform profiles: lookup', () => {
  it('findProfile trims and misses unknown compatibles', () => {
    assert.equal(findProfile('  fsl,imx95-pcie-ep ')?.compatible, 'fsl,imx95-pcie-ep');
    assert.equal(findProfile('acme,nothing'), undefined);
  });

  it('suggestCompatible proposes the EP compatible for an RC one or a typo', () => {
    assert.equal(suggestCompatible('rockchip,rk3588-pcie'), 'rockchip,rk3588-pcie-ep');
    assert.equal(suggestCompatible('nvidia,tegra194-pcie'), 'nvidia,tegra194-pcie-ep');
    assert.equal(suggestCompatible('renesas,r8a779f0-pci-ep'), 'renesas,r8a779f0-pcie-ep');
    assert.equal(suggestCompatible('rk3568'), 'rockchip,rk3568-pcie-ep');
    assert.equal(suggestCompatible('acme,widget-9000'), undefined);
    assert.equal(suggestCompatible(''), undefined);
  });

  it('cloneProfile makes a deep copy', () => {
    const base = profile('rockchip,rk3588-pcie-ep');
    const copy = cloneProfile(base);
    assert.deepEqual(copy, base);
    assert.notEqual(copy.features.bars[4], base.features.bars[4]);
    assert.notEqual(copy.features.bars[4].rsvdRegions, base.features.bars[4].rsvdRegions);
    copy.features.bars[4].rsvdRegions![0].size = 0x1000;
    copy.unsure.extra = 'changed';
    assert.equal(base.features.bars[4].rsvdRegions![0].size, 0x2000);
    assert.equal(base.unsure.extra, undefined);
  });
});

describe('units (DESIGN 2: sizes and addresses in platform/host sections)', () => {
  it('parses decimal, hex, separators and binary suffixes', () => {
    assert.equal(sizeOf('64K'), 65536n);
    assert.equal(sizeOf('64 KiB'), 65536n);
    assert.equal(sizeOf('64kb'), 65536n);
    assert.equal(sizeOf('1_048_576'), 1048576n);
    assert.equal(sizeOf('0x4_1000_0000'), 0x4_1000_0000n);
    assert.equal(sizeOf('1GiB'), 1n << 30n);
    assert.equal(sizeOf('1M'), 1n << 20n);
    assert.equal(sizeOf('2T'), 2n << 40n);
    assert.equal(sizeOf('0x2000'), 0x2000n);
    assert.equal(sizeOf('0X1b'), 0x1bn, 'b after 0x is a hex digit');
    assert.equal(sizeOf('256B'), 256n);
    assert.equal(sizeOf(' 4096 '), 4096n);
    assert.equal(sizeOf('0xffffffffffffffff'), (1n << 64n) - 1n);
  });

  it('rejects unknown units, negatives, empty values and malformed numbers', () => {
    assert.match(sizeError('12Q'), /unknown unit 'Q'/);
    assert.match(sizeError('-1'), /negative/);
    assert.match(sizeError(''), /empty/);
    assert.match(sizeError('   '), /empty/);
    assert.match(sizeError('1.5M'), /fraction/);
    assert.match(sizeError('_100'), /'_'/);
    assert.match(sizeError('1__0'), /'_'/);
    assert.match(sizeError('0x'), /not a number/);
    assert.match(sizeError('K'), /not a number/);
    assert.match(sizeError('0x10000000000000000'), /64 bits/);
    assert.match(sizeError('16777216T'), /64 bits/);
  });

  it('parseInteger takes no unit', () => {
    const ok = parseInteger('0x10');
    assert.ok(ok.ok && ok.value === 16n);
    assert.equal(parseInteger('4K').ok, false);
  });

  it('formats sizes exactly and hex in lower case', () => {
    assert.equal(formatSize(64 * KiB), '64 KiB');
    assert.equal(formatSize(1 * MiB), '1 MiB');
    assert.equal(formatSize(256), '256 B');
    assert.equal(formatSize(0x1200), '4608 B');
    assert.equal(formatSize(0), '0 B');
    assert.equal(formatSize(4n << 30n), '4 GiB');
    assert.equal(hex(0x2000), '0x2000');
    assert.equal(hex(0xa_4038_0000n), '0xa40380000');
    assert.equal(hex(0xa0, 4), '0x00a0');
  });

  it('isPowerOfTwo is exact for large values', () => {
    assert.equal(isPowerOfTwo(2 ** 50), true);
    assert.equal(isPowerOfTwo(2 ** 50 + 1), false);
    assert.equal(isPowerOfTwo(0), false);
    assert.equal(isPowerOfTwo(3), false);
  });
});

describe('platform overrides ([platform/<epc>] keys, DESIGN 2)', () => {
  it('every key has a kebab-case name, syntax, doc and ref, and is found by name', () => {
    const names = PLATFORM_KEYS.map((k) => k.key);
    assert.equal(new Set(names).size, names.length);
    for (const k of PLATFORM_KEYS) {
      assert.match(k.key, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(k.valueSyntax && k.doc && k.ref, k.key);
      assert.equal(findPlatformKey(k.key), k);
    }
    for (const required of ['max-functions', 'align', 'msi-capable', 'msix-capable', 'intx-capable', 'linkup-notifier',
      'dynamic-inbound-mapping', 'subrange-mapping', 'bar0', 'bar5', 'bar0-fixed-size', 'bar3-only-64bit', 'bar4-dma-ctrl',
      'bar2-msix-table', 'bar2-msix-pba', 'iatu-inbound', 'iatu-outbound', 'iatu-region-align', 'edma', 'edma-map-format',
      'edma-wr-channels', 'edma-rd-channels', 'edma-ll-size', 'edma-reg-phys', 'edma-reg-size', 'edma-doorbell', 'edma-irqs',
      'edma-provider', 'init-at']) {
      assert.ok(findPlatformKey(required), required);
    }
    assert.equal(findPlatformKey('compatible'), undefined, 'compatible and kernel are handled by the section itself');
  });

  it('show() prints the current value in the accepted syntax', () => {
    const p = profile('rockchip,rk3588-pcie-ep');
    assert.equal(findPlatformKey('bar4')!.show(p), 'reserved');
    assert.equal(findPlatformKey('bar4-dma-ctrl')!.show(p), '0x0+0x2000');
    assert.equal(findPlatformKey('align')!.show(p), '64 KiB');
    assert.equal(findPlatformKey('msix-capable')!.show(p), 'yes');
    assert.equal(findPlatformKey('edma-reg-phys')!.show(p), '0xa40380000');
    assert.equal(findPlatformKey('edma-doorbell')!.show(profile('qcom,sa8775p-pcie-ep')), 'none');
    // Every show() output is accepted back by apply().
    for (const k of PLATFORM_KEYS) {
      const shown = k.show(p);
      const copy = cloneProfile(p);
      assert.equal(k.apply(copy, shown), undefined, `${k.key} = ${shown}`);
    }
  });

  it('bar2 = fixed with bar2-fixed-size = 1M makes a consistent fixed BAR', () => {
    const p = overridden('snps,dw-pcie-ep', [['bar2', 'fixed'], ['bar2-fixed-size', '1M']]);
    assert.deepEqual(p.features.bars[2], { type: 'fixed', fixedSize: 1 * MiB });
    assert.deepEqual(checkProfile(p), []);
    const missing = overridden('snps,dw-pcie-ep', [['bar2', 'fixed']]);
    assert.match(checkProfile(missing)[0].message, /no fixed size/);
  });

  it('edma-wr-channels = 4 changes the count; out-of-range counts are refused', () => {
    const p = overridden('rockchip,rk3588-pcie-ep', [['edma-wr-channels', '4'], ['edma-irqs', '1']]);
    assert.equal(p.edma.wrChannels, 4);
    assert.deepEqual(checkProfile(p), []);
    const c = cloneProfile(profile('rockchip,rk3588-pcie-ep'));
    assert.match(applyPlatformOverride(c, 'edma-wr-channels', '65') ?? '', /0\.\.64/);
    assert.match(applyPlatformOverride(c, 'edma-rd-channels', 'two') ?? '', /not a number/);
    assert.equal(applyPlatformOverride(c, 'edma-wr-channels', '9'), undefined, 'syntax is fine; checkProfile flags it for eDMA');
    assert.ok(checkProfile(c).some((x) => x.field === 'edma.wrChannels' && /1\.\.8/.test(x.message)));
  });

  it('an unknown BAR type gets a did-you-mean; kernel spellings are accepted', () => {
    const p = cloneProfile(profile('snps,dw-pcie-ep'));
    assert.match(applyPlatformOverride(p, 'bar1', 'programable') ?? '', /did you mean 'programmable'\?/);
    assert.match(applyPlatformOverride(p, 'bar1', 'resizeable') ?? '', /did you mean 'resizable'\?/);
    assert.match(applyPlatformOverride(p, 'bar1', 'banana') ?? '', /unknown BAR type 'banana'/);
    assert.equal(applyPlatformOverride(p, 'bar1', 'BAR_64BIT_UPPER'), undefined);
    assert.equal(p.features.bars[1].type, '64bit-upper');
  });

  it('booleans accept yes/no/true/false/1/0/y/n', () => {
    const p = cloneProfile(profile('snps,dw-pcie-ep'));
    for (const [word, value] of [['yes', true], ['no', false], ['TRUE', true], ['false', false], ['1', true], ['0', false], ['y', true], ['N', false]] as const) {
      assert.equal(applyPlatformOverride(p, 'intx-capable', word), undefined);
      assert.equal(p.features.intxCapable, value, word);
    }
    assert.match(applyPlatformOverride(p, 'intx-capable', 'maybe') ?? '', /yes or no/);
  });

  it('reserved regions: bar4-dma-ctrl takes OFFSET+SIZE through units, none removes it', () => {
    const p = overridden('snps,dw-pcie-ep', [['bar4', 'reserved'], ['bar4-dma-ctrl', '0x0+8K']]);
    assert.deepEqual(p.features.bars[4], { type: 'reserved', rsvdRegions: [{ type: 'dma-ctrl-mmio', offset: 0, size: 0x2000 }] });
    assert.deepEqual(checkProfile(p), []);
    assert.equal(applyPlatformOverride(p, 'bar4-dma-ctrl', 'none'), undefined);
    assert.equal(p.features.bars[4].rsvdRegions, undefined);
    assert.match(applyPlatformOverride(p, 'bar4-dma-ctrl', '0x2000') ?? '', /OFFSET\+SIZE/);
    // Changing the type away from reserved drops the regions (RK3588 before the rsvd-region patch).
    const old = overridden('rockchip,rk3588-pcie-ep', [['bar4', 'resizable']]);
    assert.deepEqual(old.features.bars[4], { type: 'resizable' });
  });

  it('only_64bit is refused on odd BARs and BAR5; checkProfile wants the upper half', () => {
    const p = cloneProfile(profile('snps,dw-pcie-ep'));
    assert.match(applyPlatformOverride(p, 'bar3-only-64bit', 'yes') ?? '', /BAR0, BAR2 or BAR4/);
    assert.match(applyPlatformOverride(p, 'bar5-only-64bit', 'yes') ?? '', /BAR0, BAR2 or BAR4/);
    assert.equal(applyPlatformOverride(p, 'bar2-only-64bit', 'yes'), undefined);
    assert.match(checkProfile(p)[0].message, /BAR3 must be 64bit-upper/);
    assert.equal(applyPlatformOverride(p, 'bar3', '64bit-upper'), undefined);
    assert.deepEqual(checkProfile(p), []);
  });

  it('sizes and ranges: align, iATU region align, max-functions, doorbell, map format, init-at', () => {
    const p = cloneProfile(profile('renesas,r8a779f0-pcie-ep'));
    assert.equal(applyPlatformOverride(p, 'align', '64K'), undefined);
    assert.equal(p.features.align, 64 * KiB);
    assert.match(applyPlatformOverride(p, 'align', '96K') ?? '', /power of two/);
    assert.match(applyPlatformOverride(p, 'iatu-region-align', '128K') ?? '', /4K to 64K/);
    assert.equal(applyPlatformOverride(p, 'max-functions', '2'), undefined);
    assert.equal(p.maxFunctions, 2);
    assert.match(applyPlatformOverride(p, 'max-functions', '0') ?? '', /1\.\.255/);
    assert.equal(applyPlatformOverride(p, 'edma-doorbell', 'none'), undefined);
    assert.equal(p.edma.doorbellOffset, null);
    assert.equal(applyPlatformOverride(p, 'edma-doorbell', '0x2000'), undefined);
    assert.ok(checkProfile(p).some((x) => x.field === 'edma.doorbellOffset'), 'doorbell beyond the window (seed-series 2.3)');
    assert.equal(applyPlatformOverride(p, 'edma-map-format', '7'), undefined);
    assert.equal(p.edma.mapFormat, 'hdma-native');
    assert.equal(applyPlatformOverride(p, 'edma-map-format', 'EDMA_MF_HDMA_COMPAT'), undefined);
    assert.equal(p.edma.mapFormat, 'hdma-compat');
    assert.match(applyPlatformOverride(p, 'edma-map-format', '3') ?? '', /not one the kernel accepts/);
    assert.match(applyPlatformOverride(p, 'edma-map-format', 'unrol') ?? '', /did you mean 'unroll'/);
    assert.equal(applyPlatformOverride(p, 'edma-reg-phys', '0xE658_0000'), undefined);
    assert.equal(p.edma.regPhys, 0xe658_0000n);
    assert.equal(applyPlatformOverride(p, 'init-at', 'perst'), undefined);
    assert.equal(p.initAt, 'perst');
  });

  it('edma = no removes the provider; edma-provider = yes needs an eDMA', () => {
    const p = cloneProfile(profile('rockchip,rk3588-pcie-ep'));
    assert.equal(applyPlatformOverride(p, 'edma', 'no'), undefined);
    assert.equal(p.edma.present, false);
    assert.equal(p.edma.providerRegistered, false);
    assert.match(applyPlatformOverride(p, 'edma-provider', 'yes') ?? '', /without an eDMA/);
    const tegra = overridden('nvidia,tegra194-pcie-ep', [['edma', 'yes'], ['edma-doorbell', '0xa0']]);
    assert.equal(tegra.edma.providerRegistered, true);
    assert.deepEqual(checkProfile(tegra), []);
  });

  it('unknown keys get a suggestion', () => {
    const p = cloneProfile(profile('snps,dw-pcie-ep'));
    assert.match(applyPlatformOverride(p, 'max-function', '2') ?? '', /did you mean 'max-functions'/);
    assert.equal(suggestPlatformKey('compatibel'), 'compatible');
    assert.equal(suggestPlatformKey('edma-wr-chans'), 'edma-wr-channels');
  });

  it('overriding does not modify the built-in PROFILES data', () => {
    const before = JSON.stringify(PROFILES, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    const p = cloneProfile(profile('rockchip,rk3588-pcie-ep'));
    for (const [k, v] of [['bar4', 'programmable'], ['bar0', 'fixed'], ['bar0-fixed-size', '1M'], ['edma-wr-channels', '8'],
      ['max-functions', '4'], ['align', '0'], ['bar2-only-64bit', 'yes'], ['bar4-dma-ctrl', '0+4K'], ['max-vfs', '2']] as const) {
      assert.equal(applyPlatformOverride(p, k, v), undefined, k);
    }
    const after = JSON.stringify(PROFILES, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    assert.equal(after, before);
    assert.equal(profile('rockchip,rk3588-pcie-ep').features.bars[4].type, 'reserved');
    assert.deepEqual(p.maxVfs, [2, 2, 2, 2]);
    // Mutating the frozen built-in directly throws instead of silently corrupting it.
    assert.throws(() => {
      (profile('rockchip,rk3588-pcie-ep').features as { align: number }).align = 1;
    }, TypeError);
  });
});

describe('suggest.closest', () => {
  it('computes Levenshtein distances', () => {
    assert.equal(levenshtein('kitten', 'sitting'), 3);
    assert.equal(levenshtein('', 'abc'), 3);
    assert.equal(levenshtein('same', 'same'), 0);
  });

  it('returns the nearest candidate within the limit, case-insensitively', () => {
    assert.equal(closest('programable', ['fixed', 'programmable', 'resizable']), 'programmable');
    assert.equal(closest('FIXD', ['fixed', 'programmable']), 'fixed');
    assert.equal(closest('zzzzzz', ['fixed', 'programmable']), undefined);
    assert.equal(closest('abc', ['abd', 'abe']), 'abd', 'ties go to the earlier candidate');
    assert.equal(closest('abcdef', ['abcxyz'], 3), 'abcxyz');
    assert.equal(closest('abcdef', ['abcxyz'], 2), undefined);
    assert.equal(closest('x', []), undefined);
    assert.equal(closest('Fixed', ['fixed']), 'fixed');
  });
});
