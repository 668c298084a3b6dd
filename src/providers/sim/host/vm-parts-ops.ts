/** Network adapters, assigned devices, checkpoints and clustered roles of VMs. */
import type { HostOperation } from '../../../model/host-operation.js';
import type { SimCheckpoint, SimVm } from '../sim-state.js';
import { refusal } from '../sim-errors.js';
import type { OpContext } from './op-context.js';
import { findVmOrThrow, refuseInState } from './vm-lookup.js';
import { stableHex } from './fresh-host.js';
import { isUnder } from '../../../model/windows-path.js';
import { generationAllows } from '../../../model/hyperv-rules.js';

type Op<K extends HostOperation['op']> = Extract<HostOperation, { op: K }>;

const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function switchOrThrow(ctx: OpContext, host: string, name: string, cmdlet: string): void {
  if (!ctx.world.host(host).switches.some((s) => eq(s.name, name))) {
    throw refusal(ctx.site, {
      cmdlet,
      message: `Hyper-V was unable to find a virtual switch with name "${name}".`,
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      target: name,
    });
  }
}

/** Generation 1 VMs take no network adapter changes while running (no hot add). */
function hotPlug(ctx: OpContext, vm: SimVm, cmdlet: string): void {
  if (!generationAllows(vm.generation, 'adapterHotPlug') && vm.power.state !== 'Off')
    throw refuseInState(ctx, cmdlet, vm.name, 'generation 1 VMs cannot hot add or remove network adapters');
}

export function addAdapter(ctx: OpContext, op: Op<'addAdapter'>): void {
  const { host, vm } = findVmOrThrow(ctx, op.vm, 'Add-VMNetworkAdapter');
  switchOrThrow(ctx, host, op.switchName, 'Add-VMNetworkAdapter');
  // Names may repeat: Hyper-V adds a second "Network Adapter" as readily as the first (New-VM's own
  // adapter has that name too: HyperVDsc DSC_VMHyperV.psm1). Adapters are told apart by MAC.
  hotPlug(ctx, vm, 'Add-VMNetworkAdapter');
  let mac: string;
  if (op.mac !== undefined) {
    mac = op.mac.replace(/[-:.]/g, '').toUpperCase();
    if (!/^[0-9A-F]{12}$/.test(mac)) {
      throw refusal(ctx.site, {
        cmdlet: 'Add-VMNetworkAdapter',
        message: `The MAC address '${op.mac}' is invalid.`,
        category: 'InvalidArgument',
        errorId: 'InvalidParameter',
        target: op.name,
      });
    }
  } else {
    const h = ctx.world.host(host);
    h.seq += 1;
    // Dynamic MACs come from the host's pool in Microsoft's 00-15-5D range.
    mac = `00155D${stableHex(h.host, 2)}${h.seq.toString(16).toUpperCase().padStart(4, '0').slice(-4)}`;
  }
  vm.adapters.push({
    name: op.name,
    switchName: op.switchName,
    mac,
    staticMac: op.mac !== undefined,
    macAddressSpoofing: op.macAddressSpoofing,
    vlan: op.vlan ?? null,
  });
}

/** The adapter an operation names: by MAC when it gives one (names repeat in Hyper-V), else by name, never ambiguous. */
function adapterOrThrow(ctx: OpContext, vm: SimVm, name: string, cmdlet: string, mac?: string) {
  const wanted = mac?.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  const found =
    wanted && wanted !== '000000000000'
      ? vm.adapters.filter((a) => a.mac.toUpperCase() === wanted)
      : vm.adapters.filter((a) => eq(a.name, name));
  if (found.length > 1) {
    throw refusal(ctx.site, {
      cmdlet,
      message: `More than one network adapter of virtual machine '${vm.name}' matches '${name}'; labform will not guess which one.`,
      category: 'InvalidOperation',
      errorId: 'AmbiguousAdapter',
      target: name,
    });
  }
  const adapter = found[0];
  if (!adapter) {
    throw refusal(ctx.site, {
      cmdlet,
      message: `Hyper-V was unable to find a network adapter named '${name}' on virtual machine '${vm.name}'.`,
      category: 'ObjectNotFound',
      errorId: 'ObjectNotFound',
      target: name,
    });
  }
  return adapter;
}

export function setAdapter(ctx: OpContext, op: Op<'setAdapter'>): void {
  const { host, vm } = findVmOrThrow(ctx, op.vm, 'Set-VMNetworkAdapter');
  const adapter = adapterOrThrow(ctx, vm, op.name, 'Set-VMNetworkAdapter', op.mac);
  if (op.switchName !== undefined) switchOrThrow(ctx, host, op.switchName, 'Connect-VMNetworkAdapter');
  adapter.switchName = op.switchName ?? adapter.switchName;
  adapter.macAddressSpoofing = op.macAddressSpoofing ?? adapter.macAddressSpoofing;
  if (op.vlan !== undefined) adapter.vlan = op.vlan;
}

export function removeAdapter(ctx: OpContext, op: Op<'removeAdapter'>): void {
  const { vm } = findVmOrThrow(ctx, op.vm, 'Remove-VMNetworkAdapter');
  const adapter = adapterOrThrow(ctx, vm, op.name, 'Remove-VMNetworkAdapter', op.mac);
  hotPlug(ctx, vm, 'Remove-VMNetworkAdapter');
  vm.adapters = vm.adapters.filter((a) => a !== adapter);
}

/** Dismount-VMHostAssignableDevice (when still mounted on the host), then Add-VMAssignableDevice. */
export function assignDevice(ctx: OpContext, op: Op<'assignDevice'>): void {
  const { host, vm } = findVmOrThrow(ctx, op.vm, 'Add-VMAssignableDevice');
  const device = ctx.world.host(host).devices.find((d) => eq(d.locationPath, op.locationPath));
  if (!device) {
    throw refusal(ctx.site, {
      cmdlet: 'Dismount-VMHostAssignableDevice',
      message: `The specified device was not found: no device at location path '${op.locationPath}'.`,
      category: 'ObjectNotFound',
      errorId: 'ObjectNotFound',
      target: op.locationPath,
    });
  }
  if (device.assignedTo !== null && !eq(device.assignedTo, vm.name)) {
    throw refusal(ctx.site, {
      cmdlet: 'Add-VMAssignableDevice',
      message: `The device '${op.locationPath}' is already assigned to virtual machine '${device.assignedTo}'.`,
      category: 'ResourceUnavailable',
      errorId: 'InvalidParameter',
      target: op.locationPath,
    });
  }
  if (vm.power.state !== 'Off')
    throw refuseInState(ctx, 'Add-VMAssignableDevice', vm.name, 'devices are assigned while the VM is off');
  if (device.assignedTo !== null) return;
  device.dismounted = true;
  addAssignableDevice(ctx, vm, device);
}

function addAssignableDevice(
  ctx: OpContext,
  vm: SimVm,
  device: { locationPath: string; dismounted: boolean; assignedTo: string | null },
): void {
  // Hyper-V only assigns a device the host no longer uses.
  if (!device.dismounted) {
    throw refusal(ctx.site, {
      cmdlet: 'Add-VMAssignableDevice',
      message: `The required device '${device.locationPath}' is still mounted on the host. Dismount it with Dismount-VMHostAssignableDevice first.`,
      category: 'InvalidOperation',
      errorId: 'InvalidState',
      target: device.locationPath,
    });
  }
  device.assignedTo = vm.name;
  vm.assignedDevices.push(device.locationPath);
}

export function removeDevice(ctx: OpContext, op: Op<'removeDevice'>): void {
  const { host, vm } = findVmOrThrow(ctx, op.vm, 'Remove-VMAssignableDevice');
  const device = ctx.world.host(host).devices.find((d) => eq(d.locationPath, op.locationPath));
  if (!device || device.assignedTo === null || !eq(device.assignedTo, vm.name)) {
    throw refusal(ctx.site, {
      cmdlet: 'Remove-VMAssignableDevice',
      message: `The device '${op.locationPath}' is not assigned to virtual machine '${vm.name}'.`,
      category: 'ObjectNotFound',
      errorId: 'ObjectNotFound',
      target: op.locationPath,
    });
  }
  if (vm.power.state !== 'Off')
    throw refuseInState(ctx, 'Remove-VMAssignableDevice', vm.name, 'devices are removed while the VM is off');
  // labform gives the device back to the host at once: Remove-VMAssignableDevice, then
  // Mount-VMHostAssignableDevice and Enable-PnpDevice (Microsoft's DDA guide).
  device.assignedTo = null;
  device.dismounted = false;
  vm.assignedDevices = vm.assignedDevices.filter((p) => !eq(p, op.locationPath));
}

function checkpointOrThrow(ctx: OpContext, vm: SimVm, name: string, cmdlet: string): SimCheckpoint {
  const found = vm.checkpoints.find((c) => c.name === name);
  if (!found) {
    throw refusal(ctx.site, {
      cmdlet,
      message: `Hyper-V was unable to find a checkpoint named "${name}" for virtual machine '${vm.name}'.`,
      category: 'ObjectNotFound',
      errorId: 'InvalidParameter',
      target: name,
    });
  }
  return found;
}

export function checkpointVm(ctx: OpContext, op: Op<'checkpointVm'>): void {
  const { vm } = findVmOrThrow(ctx, op.vm, 'Checkpoint-VM');
  if (vm.checkpointType === 'disabled') {
    throw refusal(ctx.site, {
      cmdlet: 'Checkpoint-VM',
      message: `Checkpoint operation failed for '${vm.name}': checkpoints are disabled for this virtual machine.`,
      category: 'InvalidOperation',
      errorId: 'InvalidState',
      target: vm.name,
    });
  }
  if (vm.checkpoints.some((c) => c.name === op.checkpoint)) {
    throw refusal(ctx.site, {
      cmdlet: 'Checkpoint-VM',
      message: `A checkpoint named '${op.checkpoint}' already exists for virtual machine '${vm.name}'.`,
      category: 'ResourceExists',
      errorId: 'ObjectAlreadyExists',
      target: op.checkpoint,
      explain: 'labform keeps checkpoint names unique per VM',
    });
  }
  const { checkpoints: _c, power: _p, ...settings } = vm;
  vm.checkpoints.push({
    name: op.checkpoint,
    createdAt: ctx.world.now,
    vm: JSON.parse(JSON.stringify(settings)) as SimCheckpoint['vm'],
    wasRunning: vm.power.state === 'Running',
  });
}

/**
 * Restore-VMSnapshot: settings, drives, adapters and the guest go back. A production
 * checkpoint (or one taken while off) leaves the VM off; a standard one taken while running
 * leaves it saved (memory state included).
 */
export function restoreCheckpoint(ctx: OpContext, op: Op<'restoreCheckpoint'>): void {
  const { vm } = findVmOrThrow(ctx, op.vm, 'Restore-VMSnapshot');
  const checkpoint = checkpointOrThrow(ctx, vm, op.checkpoint, 'Restore-VMSnapshot');
  const restored = JSON.parse(JSON.stringify(checkpoint.vm)) as SimCheckpoint['vm'];
  Object.assign(vm, restored, { name: vm.name, id: vm.id, clustered: vm.clustered });
  const saved = checkpoint.wasRunning && vm.checkpointType === 'standard';
  vm.power = { state: saved ? 'Saved' : 'Off', since: ctx.world.now, boots: [] };
}

export function removeCheckpoint(ctx: OpContext, op: Op<'removeCheckpoint'>): void {
  const { vm } = findVmOrThrow(ctx, op.vm, 'Remove-VMSnapshot');
  const checkpoint = checkpointOrThrow(ctx, vm, op.checkpoint, 'Remove-VMSnapshot');
  vm.checkpoints = vm.checkpoints.filter((c) => c !== checkpoint);
}

export function addClusterRole(ctx: OpContext, op: Op<'addClusterRole'>): void {
  const { host, vm } = findVmOrThrow(ctx, op.vm, 'Add-ClusterVirtualMachineRole');
  const cluster = ctx.world.host(host).cluster;
  const id =
    'AddClusterVirtualMachineRole,Microsoft.FailoverClusters.PowerShell.AddClusterVirtualMachineRoleCommand';
  if (!cluster || !eq(cluster.name, op.cluster)) {
    throw refusal(ctx.site, {
      cmdlet: 'Add-ClusterVirtualMachineRole',
      message: `The cluster '${op.cluster}' could not be found: host '${host}' is not one of its nodes.`,
      category: 'ObjectNotFound',
      errorId: id,
      target: op.cluster,
      exceptionType: 'Microsoft.FailoverClusters.PowerShell.ClusterCmdletException',
    });
  }
  if (vm.clustered) {
    throw refusal(ctx.site, {
      cmdlet: 'Add-ClusterVirtualMachineRole',
      message: `The virtual machine '${vm.name}' is already a clustered role.`,
      category: 'ResourceExists',
      errorId: id,
      target: vm.name,
      exceptionType: 'Microsoft.FailoverClusters.PowerShell.ClusterCmdletException',
    });
  }
  const local = [vm.path, ...vm.disks.map((d) => d.path)].filter(
    (p) => !cluster.sharedVolumes.some((v) => isUnder(p, v)) && !/^\\\\/.test(p),
  );
  if (local.length > 0) {
    throw refusal(ctx.site, {
      cmdlet: 'Add-ClusterVirtualMachineRole',
      message: `The virtual machine '${vm.name}' has files that are not on cluster shared storage: ${local.join(', ')}.`,
      category: 'InvalidOperation',
      errorId: id,
      target: vm.name,
      exceptionType: 'Microsoft.FailoverClusters.PowerShell.ClusterCmdletException',
    });
  }
  vm.clustered = true;
}
