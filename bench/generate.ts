/** Generates realistic `.pciep` documents of a given size for benchmarks (deterministic). */

const DRIVERS = ['pci_epf_test', 'pci_epf_dma', 'pci_epf_vntb'];

export function generateDocument(lines: number): string {
  const out: string[] = [
    '# generated benchmark document',
    '[platform/dfc00000.pcie-ep]',
    'compatible = snps,dw-pcie-ep',
    'max-functions = 8',
    '',
  ];
  let i = 0;
  while (out.length < lines) {
    const driver = DRIVERS[i % DRIVERS.length];
    const name = `f${i}`;
    out.push(`[functions/${driver}/${name}]            # function ${i}`);
    out.push('vendorid = 0x16c3', `deviceid = 0x${(0xedda + i % 16).toString(16)}`, 'msi_interrupts = 8', 'msix_interrupts = 16');
    if (driver === 'pci_epf_dma') out.push(`pci_epf_dma.${i}/wr_chans = 2`, `pci_epf_dma.${i}/rd_chans = 2`);
    else if (driver === 'pci_epf_vntb') out.push(`pci_epf_vntb.${i}/num_mws = 1`, `pci_epf_vntb.${i}/mw1 = 0x100000`);
    else out.push(`pci_epf_test.${i}/bar0_size = 0x10000`, 'subsys_id = 0x1');
    // Link a few (max-functions bounds it); the rest stay unlinked, as in a large catalogue file.
    if (i < 8) out.push('primary/ep -> controllers/dfc00000.pcie-ep');
    out.push('');
    i++;
  }
  out.length = lines;
  return out.join('\n') + '\n';
}
