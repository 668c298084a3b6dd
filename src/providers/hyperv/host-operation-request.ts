/**
 * A HostOperation as a request to the host library: the function to call and its named
 * parameters (data, splatted on the far side; never pasted into script text).
 */
import { CLOUD_INIT_DISK_SIZE } from '../../model/cloud-init-seed.js';
import type { HostOperation, VmSettings } from '../../model/host-operation.js';
import type { InvokeRequest } from '../../powershell/session.js';
import type { Credential } from '../../secrets/secret.js';
import { normaliseMac } from '../../model/mac.js';
import { simpleSettingParameters } from '../../model/vm-settings.js';

export interface OperationRequest {
  command: string;
  parameters: Record<string, unknown>;
  /** Re-sending after the session died cannot do harm (the function is idempotent). */
  safeToRetry: boolean;
  timeoutMs?: number;
}

/** Parameters of Set-LabformVm for the settings a plan changes (absent settings stay untouched). */
export function vmSettingsParameters(settings: Partial<VmSettings>): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  if (settings.processors !== undefined) p.ProcessorCount = settings.processors;
  if (settings.memory) {
    const m = settings.memory;
    p.MemoryStartupBytes = m.startup;
    p.DynamicMemory = m.dynamic;
    // Hyper-V needs minimum <= startup <= maximum; without explicit bounds the startup size is both.
    if (m.dynamic) {
      p.MemoryMinimumBytes = m.minimum ?? m.startup;
      p.MemoryMaximumBytes = m.maximum ?? m.startup;
    }
  }
  if (settings.firmware) {
    p.SecureBoot = settings.firmware.secureBoot;
    if (settings.firmware.secureBootTemplate) p.SecureBootTemplate = settings.firmware.secureBootTemplate;
  }
  if (settings.tpm !== undefined) p.Tpm = settings.tpm;
  if (settings.nestedVirtualization !== undefined) p.NestedVirtualization = settings.nestedVirtualization;
  if (settings.mmio) {
    p.LowMemoryMappedIoSpace = settings.mmio.low;
    p.HighMemoryMappedIoSpace = settings.mmio.high;
  }
  // One value each on Set-VM: passed through as Set-VM's own parameters (model/vm-settings.ts).
  const simple = simpleSettingParameters(settings);
  if (Object.keys(simple).length > 0) p.VmSettings = simple;
  if (settings.notes !== undefined) p.Notes = settings.notes;
  return p;
}

/**
 * The request for `operation`. `credential` resolves credential names (answer files); it is
 * only called for operations that carry one.
 */
export function operationRequest(
  operation: HostOperation,
  credential: (name: string) => Credential,
): OperationRequest {
  const op = operation;
  switch (op.op) {
    case 'createSwitch': {
      const p: Record<string, unknown> = { Name: op.name, Type: op.type, Notes: op.notes };
      if (op.type === 'external') {
        p.Adapter = op.adapter;
        p.AllowManagementOS = op.allowManagementOS ?? true;
      }
      return { command: 'New-LabformSwitch', parameters: p, safeToRetry: false };
    }
    case 'removeSwitch':
      return { command: 'Remove-LabformSwitch', parameters: { Name: op.name }, safeToRetry: false };
    case 'renameSwitch':
      return {
        command: 'Rename-LabformSwitch',
        parameters: { Name: op.name, NewName: op.newName },
        safeToRetry: false,
      };
    case 'setHostAddress':
      return {
        command: 'Set-LabformHostAddress',
        parameters: { SwitchName: op.switchName, IPAddress: op.address, PrefixLength: op.prefixLength },
        safeToRetry: false,
      };
    case 'removeHostAddress':
      return {
        command: 'Remove-LabformHostAddress',
        parameters: { SwitchName: op.switchName, IPAddress: op.address },
        safeToRetry: false,
      };
    case 'createNat':
      return {
        command: 'New-LabformNat',
        parameters: { Name: op.name, InternalPrefix: op.internalPrefix },
        safeToRetry: false,
      };
    case 'removeNat':
      return { command: 'Remove-LabformNat', parameters: { Name: op.name }, safeToRetry: false };
    case 'addNatMapping':
      return {
        command: 'Add-LabformNatMapping',
        parameters: {
          NatName: op.nat,
          Protocol: op.protocol,
          ExternalPort: op.externalPort,
          InternalIPAddress: op.internalAddress,
          InternalPort: op.internalPort,
        },
        safeToRetry: false,
      };
    case 'removeNatMapping':
      return {
        command: 'Remove-LabformNatMapping',
        parameters: { NatName: op.nat, Protocol: op.protocol, ExternalPort: op.externalPort },
        safeToRetry: false,
      };
    case 'createVhd': {
      const p: Record<string, unknown> = { Path: op.path, Type: op.parentPath ? 'differencing' : op.type };
      if (op.parentPath) p.ParentPath = op.parentPath;
      else p.SizeBytes = op.size;
      return { command: 'New-LabformVhd', parameters: p, safeToRetry: false };
    }
    case 'removeVhd':
      return { command: 'Remove-LabformVhd', parameters: { Path: op.path }, safeToRetry: false };
    case 'resizeVhd':
      // Resizing to a size the disk already has is a no-op: safe to run again.
      return {
        command: 'Resize-LabformVhd',
        parameters: { Path: op.path, SizeBytes: op.size },
        safeToRetry: true,
      };
    case 'injectAnswerFile': {
      const admin = credential(op.credential);
      // The password travels as a Secret: the session turns it into a SecureString on the far side.
      return {
        command: 'Set-LabformAnswerFile',
        parameters: {
          VhdPath: op.vhdPath,
          ComputerName: op.computerName,
          Password: admin.password,
          TimeZone: op.timeZone,
        },
        safeToRetry: true,
      };
    }
    case 'createVm':
      return {
        command: 'New-LabformVm',
        parameters: {
          Name: op.name,
          Generation: op.generation,
          Path: op.path,
          MemoryStartupBytes: op.memoryStartup,
          Notes: op.notes,
        },
        safeToRetry: false,
      };
    case 'configureVm':
      return {
        command: 'Set-LabformVm',
        parameters: { Name: op.name, ...vmSettingsParameters(op.settings) },
        safeToRetry: true,
      };
    case 'startVm':
      return { command: 'Start-LabformVm', parameters: { Name: op.name }, safeToRetry: true };
    case 'stopVm': {
      const timeoutMs = op.timeoutMs ?? 300_000;
      // The request outlives the graceful wait by a margin so the turn-off fallback can run.
      return {
        command: 'Stop-LabformVm',
        parameters: { Name: op.name, Force: op.force ?? false, TimeoutMs: timeoutMs },
        safeToRetry: true,
        timeoutMs: timeoutMs + 120_000,
      };
    }
    case 'removeVm':
      return { command: 'Remove-LabformVm', parameters: { Name: op.name }, safeToRetry: false };
    case 'attachDisk':
      return {
        command: 'Add-LabformDisk',
        parameters: {
          VMName: op.vm,
          Path: op.path,
          ControllerType: op.controllerType,
          ControllerNumber: op.controllerNumber,
          ControllerLocation: op.controllerLocation,
          SupportPersistentReservations: op.supportPersistentReservations,
        },
        safeToRetry: false,
      };
    case 'detachDisk':
      return {
        command: 'Remove-LabformDisk',
        parameters: {
          VMName: op.vm,
          ControllerType: op.controllerType,
          ControllerNumber: op.controllerNumber,
          ControllerLocation: op.controllerLocation,
        },
        safeToRetry: false,
      };
    case 'addDvdDrive':
      return {
        command: 'Add-LabformDvdDrive',
        parameters: {
          VMName: op.vm,
          ControllerType: op.controllerType,
          ControllerNumber: op.controllerNumber,
          ControllerLocation: op.controllerLocation,
          Path: op.path,
        },
        safeToRetry: false,
      };
    case 'setDvdDrive':
      return {
        command: 'Set-LabformDvdDrive',
        parameters: {
          VMName: op.vm,
          ControllerType: op.controllerType,
          ControllerNumber: op.controllerNumber,
          ControllerLocation: op.controllerLocation,
          Path: op.path,
        },
        safeToRetry: true,
      };
    case 'removeDvdDrive':
      return {
        command: 'Remove-LabformDvdDrive',
        parameters: {
          VMName: op.vm,
          ControllerType: op.controllerType,
          ControllerNumber: op.controllerNumber,
          ControllerLocation: op.controllerLocation,
        },
        safeToRetry: false,
      };
    case 'addAdapter': {
      const p: Record<string, unknown> = {
        VMName: op.vm,
        Name: op.name,
        SwitchName: op.switchName,
        MacAddressSpoofing: op.macAddressSpoofing,
      };
      if (op.mac) p.StaticMacAddress = normaliseMac(op.mac);
      if (op.vlan !== undefined) p.VlanId = op.vlan;
      return { command: 'Add-LabformAdapter', parameters: p, safeToRetry: false };
    }
    case 'setAdapter': {
      const p: Record<string, unknown> = { VMName: op.vm, Name: op.name };
      if (op.mac) p.MacAddress = op.mac;
      if (op.switchName !== undefined) p.SwitchName = op.switchName;
      if (op.macAddressSpoofing !== undefined) p.MacAddressSpoofing = op.macAddressSpoofing;
      // null means "no VLAN": the library sets the adapter untagged for VlanId 0.
      if (op.vlan !== undefined) p.VlanId = op.vlan ?? 0;
      return { command: 'Set-LabformAdapter', parameters: p, safeToRetry: true };
    }
    case 'removeAdapter':
      return {
        command: 'Remove-LabformAdapter',
        parameters: { VMName: op.vm, Name: op.name, ...(op.mac ? { MacAddress: op.mac } : {}) },
        safeToRetry: false,
      };
    case 'assignDevice':
      return {
        command: 'Add-LabformDevice',
        parameters: { VMName: op.vm, LocationPath: op.locationPath },
        safeToRetry: false,
      };
    case 'removeDevice':
      return {
        command: 'Remove-LabformDevice',
        parameters: { VMName: op.vm, LocationPath: op.locationPath },
        safeToRetry: false,
      };
    case 'checkpointVm':
      return {
        command: 'New-LabformCheckpoint',
        parameters: { VMName: op.vm, Checkpoint: op.checkpoint },
        safeToRetry: false,
      };
    case 'restoreCheckpoint':
      return {
        command: 'Restore-LabformCheckpoint',
        parameters: { VMName: op.vm, Checkpoint: op.checkpoint },
        safeToRetry: true,
      };
    case 'removeCheckpoint':
      return {
        command: 'Remove-LabformCheckpoint',
        parameters: { VMName: op.vm, Checkpoint: op.checkpoint },
        safeToRetry: false,
      };
    case 'addClusterRole':
      return {
        command: 'Add-LabformClusterRole',
        parameters: { VMName: op.vm, Cluster: op.cluster },
        safeToRetry: false,
      };
    case 'installFeaturesOffline':
      return {
        command: 'Install-LabformFeaturesOffline',
        parameters: { VhdPath: op.vhdPath, Features: [...op.features] },
        safeToRetry: true,
      };
    case 'writeCloudInitSeed':
      return {
        command: 'Write-LabformCloudInitSeed',
        parameters: {
          VMName: op.vm,
          Path: op.path,
          InstanceId: op.instanceId,
          MetaData: op.files['meta-data'],
          UserData: op.files['user-data'],
          NetworkConfig: op.files['network-config'],
          // JSON text, kept as it is in the seed's record (no ConvertTo-Json depth to cut it short).
          Summary: JSON.stringify(op.summary),
          SizeBytes: CLOUD_INIT_DISK_SIZE,
        },
        // The write starts by removing what an earlier attempt left, and the rename comes last.
        safeToRetry: true,
      };
    case 'buildImage':
      // Applying an edition takes minutes (the step's own timeout, settings.timeouts.step, bounds it too).
      return {
        command: 'Build-LabformImage',
        parameters: {
          Path: op.path,
          Generation: op.generation,
          Iso: op.iso,
          Edition: op.edition,
          SizeBytes: op.size,
          Updates: [...op.updates],
        },
        safeToRetry: false,
        timeoutMs: 2 * 60 * 60 * 1000,
      };
  }
}

/** The InvokeRequest for an operation request and the resource it concerns. */
export function toInvokeRequest(request: OperationRequest, address: string): InvokeRequest {
  const invoke: InvokeRequest = {
    command: request.command,
    parameters: request.parameters,
    safeToRetry: request.safeToRetry,
    address,
  };
  if (request.timeoutMs !== undefined) invoke.timeoutMs = request.timeoutMs;
  return invoke;
}
