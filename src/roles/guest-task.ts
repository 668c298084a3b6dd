/**
 * What roles (and every Windows guest's base configuration) become: ordered guest tasks with
 * cross-VM dependencies. The plan builder turns each task into a GuestStep (and `then` into a
 * WaitStep) after the VM's PowerShell Direct wait.
 */
import type { GuestOperation } from '../model/guest-operation.js';
import type { WaitKind } from '../model/wait.js';

/** A task of a VM, by VM name and task key. */
export interface TaskRef {
  vm: string;
  key: string;
}

export interface GuestTask {
  /** Unique within the VM: `base/computerName`, `base/network/00155D010203`, `domainController/forest`. */
  key: string;
  /** The address it belongs to: `vm.dc01` for base configuration, else `role.dc01.domainController`. */
  address: string;
  vm: string;
  host: string;
  os: 'windows' | 'linux';
  /** "rename dc01 to DC01", "create forest contoso.com". */
  title: string;
  operation: GuestOperation;
  /** Credential name used to reach the guest. */
  credential: string;
  /** Credential that works after this task's reboot (defaults to `credential`). */
  rebootCredential?: string;
  /**
   * Credential to try when the guest refuses `credential`: on a re-run, tasks placed before a
   * forest/HGS install on a DC still name the local credential, but the local Administrator is
   * now the domain's (with the domain admin's password). Same for the VM's PowerShell Direct wait.
   */
  alternateCredential?: string;
  /** Tasks (of this or other VMs) that must be done first; within a VM, tasks also run in order. */
  after: TaskRef[];
  /** A wait that follows this task before anything depending on it runs (e.g. AD ready after a forest). */
  then?: { wait: WaitKind; credential: string };
  /** Expected simulated duration in seconds (for estimates). */
  estimateS?: number;
  /**
   * installFeatures only: these features go into the VM's new OS disk before its first boot
   * (`settings.featureInstall`, Install-WindowsFeature -Vhd); the task then finds them installed.
   */
  offline?: true;
}
