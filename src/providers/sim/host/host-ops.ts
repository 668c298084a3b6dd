import type { HostOperation } from '../../../model/host-operation.js';
import type { OpContext } from './op-context.js';
import * as net from './network-ops.js';
import * as disk from './disk-ops.js';
import * as vms from './vm-ops.js';
import * as parts from './vm-parts-ops.js';
import * as dvd from './dvd-ops.js';
import * as images from './image-ops.js';
import * as features from './feature-ops.js';
import * as cloudInit from './cloud-init-ops.js';
import { heartbeatAt } from '../time/power-model.js';

const GiB = 1024 ** 3;

/** Apply one host operation to the world (validating first; throws ProviderError on refusal). */
export function applyHostOperation(ctx: OpContext, op: HostOperation): void {
  switch (op.op) {
    case 'createSwitch':
      return net.createSwitch(ctx, op);
    case 'removeSwitch':
      return net.removeSwitch(ctx, op);
    case 'renameSwitch':
      return net.renameSwitch(ctx, op);
    case 'setHostAddress':
      return net.setHostAddress(ctx, op);
    case 'removeHostAddress':
      return net.removeHostAddress(ctx, op);
    case 'createNat':
      return net.createNat(ctx, op);
    case 'removeNat':
      return net.removeNat(ctx, op);
    case 'addNatMapping':
      return net.addNatMapping(ctx, op);
    case 'removeNatMapping':
      return net.removeNatMapping(ctx, op);
    case 'createVhd':
      return disk.createVhd(ctx, op);
    case 'removeVhd':
      return disk.removeVhd(ctx, op);
    case 'resizeVhd':
      return disk.resizeVhd(ctx, op);
    case 'injectAnswerFile':
      return disk.injectAnswerFile(ctx, op);
    case 'attachDisk':
      return disk.attachDisk(ctx, op);
    case 'detachDisk':
      return disk.detachDisk(ctx, op);
    case 'createVm':
      return vms.createVm(ctx, op);
    case 'configureVm':
      return vms.configureVm(ctx, op);
    case 'startVm':
      return vms.startVm(ctx, op);
    case 'stopVm':
      return vms.stopVm(ctx, op);
    case 'removeVm':
      return vms.removeVm(ctx, op);
    case 'addDvdDrive':
      return dvd.addDvdDrive(ctx, op);
    case 'setDvdDrive':
      return dvd.setDvdDrive(ctx, op);
    case 'removeDvdDrive':
      return dvd.removeDvdDrive(ctx, op);
    case 'addAdapter':
      return parts.addAdapter(ctx, op);
    case 'setAdapter':
      return parts.setAdapter(ctx, op);
    case 'removeAdapter':
      return parts.removeAdapter(ctx, op);
    case 'assignDevice':
      return parts.assignDevice(ctx, op);
    case 'removeDevice':
      return parts.removeDevice(ctx, op);
    case 'checkpointVm':
      return parts.checkpointVm(ctx, op);
    case 'restoreCheckpoint':
      return parts.restoreCheckpoint(ctx, op);
    case 'removeCheckpoint':
      return parts.removeCheckpoint(ctx, op);
    case 'addClusterRole':
      return parts.addClusterRole(ctx, op);
    case 'buildImage':
      return images.buildImage(ctx, op);
    case 'installFeaturesOffline':
      return features.installFeaturesOffline(ctx, op);
    case 'writeCloudInitSeed':
      return cloudInit.writeCloudInitSeed(ctx, op);
  }
}

/** Simulated duration of an operation that passed validation, from the world before it runs. */
export function hostOperationDuration(ctx: OpContext, op: HostOperation): number {
  const t = ctx.timing.host;
  switch (op.op) {
    case 'createSwitch':
      return op.type === 'external' ? t.createExternalSwitch : t.createSwitch;
    case 'removeSwitch':
    case 'renameSwitch':
      return t.removeSwitch;
    case 'setHostAddress':
    case 'removeHostAddress':
      return t.setHostAddress;
    case 'createNat':
    case 'removeNat':
      return t.createNat;
    case 'addNatMapping':
    case 'removeNatMapping':
      return t.natMapping;
    case 'createVhd':
      if (op.type === 'differencing') return t.createDifferencingVhd;
      return op.type === 'fixed'
        ? t.createDynamicVhd + Math.ceil((op.size / GiB) * t.fixedVhdPerGiB)
        : t.createDynamicVhd;
    case 'removeVhd':
    case 'resizeVhd':
      return t.removeVhd;
    case 'injectAnswerFile':
      return t.injectAnswerFile;
    case 'createVm':
      return t.createVm;
    case 'configureVm':
      return t.configureVm;
    case 'startVm':
      return t.startVm;
    case 'stopVm': {
      const found = ctx.world.findVm(ctx.host, op.name);
      if (!found || found.vm.power.state !== 'Running' || op.force) return t.stopVmForce;
      // A guest that does not answer the shutdown request is turned off after the timeout.
      if (heartbeatAt(found.vm, ctx.world.now, ctx.timing) !== 'OK')
        return Math.min(op.timeoutMs ?? t.stopVmGraceful, t.stopVmGraceful * 3) + t.stopVmForce;
      return Math.min(t.stopVmGraceful, op.timeoutMs ?? t.stopVmGraceful);
    }
    case 'removeVm':
      return t.removeVm;
    case 'attachDisk':
    case 'detachDisk':
      return t.attachDisk;
    case 'addDvdDrive':
    case 'setDvdDrive':
    case 'removeDvdDrive':
      return t.attachDisk;
    case 'addAdapter':
    case 'setAdapter':
    case 'removeAdapter':
      return t.adapter;
    case 'assignDevice':
    case 'removeDevice':
      return t.assignDevice;
    case 'checkpointVm':
    case 'removeCheckpoint':
      return t.checkpoint;
    case 'restoreCheckpoint':
      return t.restoreCheckpoint;
    case 'addClusterRole':
      return t.addClusterRole;
    case 'buildImage':
      return t.buildImage + op.updates.length * t.buildImagePerUpdate;
    case 'installFeaturesOffline':
      return features.installFeaturesOfflineDuration(ctx, op);
    case 'writeCloudInitSeed':
      // New-VHD, Mount-VHD, a FAT32 format and three small files: the answer file's mount-write-dismount.
      return t.injectAnswerFile;
  }
}

/** The resource an operation acts on, for `<operation>:<resource>` fault keys. */
export function hostOperationResource(op: HostOperation): string {
  switch (op.op) {
    case 'createSwitch':
    case 'removeSwitch':
    case 'renameSwitch':
    case 'createNat':
    case 'removeNat':
    case 'createVm':
    case 'configureVm':
    case 'startVm':
    case 'stopVm':
    case 'removeVm':
      return op.name;
    case 'setHostAddress':
    case 'removeHostAddress':
      return op.switchName;
    case 'addNatMapping':
    case 'removeNatMapping':
      return `${op.protocol}.${op.externalPort}`;
    case 'createVhd':
    case 'removeVhd':
    case 'resizeVhd':
    case 'buildImage':
      return op.path;
    case 'injectAnswerFile':
      return op.vhdPath;
    case 'installFeaturesOffline':
      return op.vm;
    default:
      return op.vm;
  }
}
