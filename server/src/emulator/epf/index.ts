/** Endpoint function driver models by id_table name. */
import type { DriverModel } from './types';
import { pciEpfDma } from './dma';
import { pciEpfTest } from './test';
import { pciEpfNtb, pciEpfVntb } from './ntb';
import { pciEpfMhi } from './mhi';

const MODELS: Record<string, DriverModel> = {
  pci_epf_dma: pciEpfDma,
  pci_epf_test: pciEpfTest,
  pci_epf_ntb: pciEpfNtb,
  pci_epf_vntb: pciEpfVntb,
  pci_epf_mhi_sa8775p: pciEpfMhi,
  pci_epf_mhi_sdx55: pciEpfMhi,
  pci_epf_mhi_sm8450: pciEpfMhi,
};

export function driverModel(name: string): DriverModel | undefined {
  return MODELS[name];
}
