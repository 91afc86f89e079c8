/**
 * The contract between the configfs replay and the endpoint function driver models
 * (pci_epf_driver ops: bind, unbind, and the epc_init event).
 */
import type { Controller } from '../../language/platform';
import type { ConfigfsState, EpcState, EpfState, Interface } from '../configfs/state';

/** What made a step fail: an attribute of the function, or a fact of the platform. */
export type Cause = { attr: string } | { platformKey: string };

export interface Failure {
  errno: string;
  /** One sentence for the user: what the kernel refused and why. */
  message: string;
  /** Kernel log lines printed on the way (dev_err/dev_warn text, prefixed with the device). */
  log: string[];
  causes: Cause[];
  /** Reference sheet section of the rule. */
  ref: string;
}

export interface BindEnv {
  epf: EpfState;
  epc: EpcState;
  controller: Controller;
  iface: Interface;
  funcNo: number;
  /** 0 for a physical function, ≥ 1 for a virtual function bound through its PF. */
  vfuncNo: number;
  state: ConfigfsState;
  /** Attribute value as stored (driver defaults applied). */
  value(name: string): bigint | boolean | undefined;
}

export interface DriverModel {
  /** pci_epf_driver.ops.bind: reserve resources and plan BARs; a failure fails the `ln -s`. */
  bind(env: BindEnv): Failure | undefined;
  /** epc_init event: write the header, program BARs and interrupts; a failure is only logged. */
  epcInit(env: BindEnv): Failure | undefined;
  /** pci_epf_driver.ops.unbind: release what bind took. */
  unbind(env: BindEnv): void;
}

export function epfPrefix(epf: EpfState): string {
  return `${epf.driver} ${epf.driver}.${epf.index}`;
}

export function fail(env: BindEnv, errno: string, message: string, logLine: string | null, causes: Cause[], ref: string): Failure {
  return { errno, message, log: logLine ? [`${epfPrefix(env.epf)}: ${logLine}`] : [], causes, ref };
}
