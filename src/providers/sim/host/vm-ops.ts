/** VM life cycle and settings, with the refusals Hyper-V makes. */
import type { HostOperation } from '../../../model/host-operation.js';
import type { SimVm } from '../sim-state.js';
import { refusal } from '../sim-errors.js';
import { hostOf, type OpContext } from './op-context.js';
import { findVmOrThrow, refuseInState } from './vm-lookup.js';
import { bootGuest } from '../guest/guest-model.js';
import { applyCloudInitSeed } from '../guest/cloud-init-boot.js';
import { freeMemory } from './discover.js';
import { newSimVm } from './new-vm.js';
import { DEFAULT_HOST } from './fresh-host.js';
import {
  isOfflineOnly,
  SIMPLE_SETTING_KEYS,
  simpleSettingLabel,
  type SimpleVmSettings,
} from '../../../model/vm-settings.js';
import {
  GENERATION_FEATURES,
  generationAllows,
  memoryProblem,
  processorsProblem,
  hostProcessorsProblem,
  validMmioLow,
  type GenerationFeature,
} from '../../../model/hyperv-rules.js';

type Op<K extends HostOperation['op']> = Extract<HostOperation, { op: K }>;

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function createVm(ctx: OpContext, op: Op<'createVm'>): void {
  const host = hostOf(ctx);
  if (ctx.world.findVm(ctx.host, op.name)) {
    throw refusal(ctx.site, {
      cmdlet: 'New-VM',
      message: `Failed to create a new virtual machine. A virtual machine named '${op.name}' already exists.`,
      category: 'ResourceExists',
      errorId: 'ObjectAlreadyExists',
      target: op.name,
      explain: 'labform keeps VM names unique per host',
    });
  }
  if (op.generation !== 1 && op.generation !== 2) {
    throw refusal(ctx.site, {
      cmdlet: 'New-VM',
      message: `Cannot validate argument on parameter 'Generation'. The argument "${String(op.generation)}" does not belong to the set "1,2".`,
      category: 'InvalidArgument',
      errorId: 'ParameterArgumentValidationError',
      target: op.name,
    });
  }
  checkMemoryValue(ctx, 'New-VM', op.name, op.memoryStartup, op.generation);
  host.seq += 1;
  host.vms.push(
    newSimVm({
      name: op.name,
      idSeed: `${host.host}/${op.name}/${host.seq}`,
      notes: op.notes,
      generation: op.generation,
      path: op.path,
      memoryStartup: op.memoryStartup,
      now: ctx.world.now,
    }),
  );
}

/** The same limits validate applies (src/model/hyperv-rules.ts). */
function checkMemoryValue(
  ctx: OpContext,
  cmdlet: string,
  vm: string,
  bytes: number,
  generation: 1 | 2,
): void {
  const problem = memoryProblem(bytes, generation);
  if (problem) {
    throw refusal(ctx.site, {
      cmdlet,
      message: `Failed to modify device 'Memory'. Invalid memory amount assigned for '${vm}': ${bytes} bytes. The amount of memory must be a multiple of 2 MB and at least 32 MB.`,
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      target: vm,
      explain: problem,
    });
  }
}

/** Refuses `feature` on a VM whose generation lacks it (src/model/hyperv-rules.ts). */
function requireGeneration(ctx: OpContext, cmdlet: string, vm: SimVm, feature: GenerationFeature): void {
  if (generationAllows(vm.generation, feature)) return;
  const { label, since } = GENERATION_FEATURES[feature];
  throw refusal(ctx.site, {
    cmdlet,
    message: `The operation is not supported on generation ${vm.generation} virtual machines: ${label} requires generation ${since}.`,
    category: 'InvalidOperation',
    errorId: 'InvalidParameter',
    target: vm.name,
    explain: 'the generation is fixed when the VM is created',
  });
}

export function configureVm(ctx: OpContext, op: Op<'configureVm'>): void {
  const { vm } = findVmOrThrow(ctx, op.name, 'Set-VM');
  const s = op.settings;
  const off = vm.power.state === 'Off';
  const offline = (cmdlet: string, what: string) => {
    if (!off)
      throw refuseInState(
        ctx,
        cmdlet,
        vm.name,
        `${what} can only be changed while the VM is off (it is ${vm.power.state})`,
      );
  };
  if (s.processors !== undefined && s.processors !== vm.processors) {
    offline('Set-VMProcessor', 'the processor count');
    const logical = hostOf(ctx).logicalProcessors ?? DEFAULT_HOST.logicalProcessors;
    if (processorsProblem(s.processors, vm.generation) || hostProcessorsProblem(s.processors, logical)) {
      throw refusal(ctx.site, {
        cmdlet: 'Set-VMProcessor',
        message: `Failed to modify device 'Processor'. Invalid processor count: ${s.processors}.`,
        category: 'InvalidArgument',
        errorId: 'InvalidParameter',
        target: vm.name,
      });
    }
  }
  let memory = vm.memory;
  if (s.memory) {
    const dynamic = s.memory.dynamic;
    memory = {
      startup: s.memory.startup,
      dynamic,
      minimum: s.memory.minimum ?? (dynamic ? Math.min(512 * MiB, s.memory.startup) : vm.memory.minimum),
      maximum: s.memory.maximum ?? (dynamic ? Math.max(1024 * GiB, s.memory.startup) : vm.memory.maximum),
    };
    if (memory.startup !== vm.memory.startup) offline('Set-VMMemory', 'the startup memory');
    if (memory.dynamic !== vm.memory.dynamic) offline('Set-VMMemory', 'dynamic memory');
    for (const value of dynamic ? [memory.startup, memory.minimum, memory.maximum] : [memory.startup])
      checkMemoryValue(ctx, 'Set-VMMemory', vm.name, value, vm.generation);
    if (dynamic && !(memory.minimum <= memory.startup && memory.startup <= memory.maximum)) {
      throw refusal(ctx.site, {
        cmdlet: 'Set-VMMemory',
        message: `Failed to modify device 'Memory'. The minimum amount of memory must be less than or equal to the startup amount, and the startup amount less than or equal to the maximum amount.`,
        category: 'InvalidArgument',
        errorId: 'InvalidParameter',
        target: vm.name,
      });
    }
  }
  const nested = s.nestedVirtualization ?? vm.nestedVirtualization;
  if (nested !== vm.nestedVirtualization)
    offline('Set-VMProcessor', 'nested virtualization (ExposeVirtualizationExtensions)');
  if (nested && memory.dynamic) {
    const cmdlet = nested !== vm.nestedVirtualization ? 'Set-VMProcessor' : 'Set-VMMemory';
    throw refusal(ctx.site, {
      cmdlet,
      message: 'Cannot enable nested virtualization on a virtual machine with dynamic memory enabled.',
      category: 'InvalidOperation',
      errorId: 'InvalidParameter',
      target: vm.name,
      explain: 'nested virtualization needs static memory',
    });
  }
  if (s.mmio && (s.mmio.low !== vm.mmio.low || s.mmio.high !== vm.mmio.high)) {
    offline('Set-VM', 'memory-mapped I/O space');
    if (!validMmioLow(s.mmio.low) || s.mmio.high < 0) {
      throw refusal(ctx.site, {
        cmdlet: 'Set-VM',
        message: `The value ${s.mmio.low} for LowMemoryMappedIoSpace is out of range: it must not exceed 3.5 GB.`,
        category: 'InvalidArgument',
        errorId: 'InvalidParameter',
        target: vm.name,
      });
    }
  }
  for (const key of SIMPLE_SETTING_KEYS) {
    if (s[key] !== undefined && s[key] !== vm[key] && isOfflineOnly(key))
      offline('Set-VM', simpleSettingLabel(key));
  }
  if (s.tpm !== undefined && s.tpm !== vm.tpm) {
    if (s.tpm) requireGeneration(ctx, 'Enable-VMTPM', vm, 'tpm');
    offline(s.tpm ? 'Enable-VMTPM' : 'Disable-VMTPM', 'the virtual TPM');
  }
  let firmware = vm.firmware;
  if (s.firmware) {
    if (!generationAllows(vm.generation, 'secureBoot')) {
      if (s.firmware.secureBoot) requireGeneration(ctx, 'Set-VMFirmware', vm, 'secureBoot');
    } else {
      firmware = {
        secureBoot: s.firmware.secureBoot,
        secureBootTemplate: s.firmware.secureBootTemplate ?? vm.firmware.secureBootTemplate,
      };
      if (
        firmware.secureBoot !== vm.firmware.secureBoot ||
        firmware.secureBootTemplate !== vm.firmware.secureBootTemplate
      )
        offline('Set-VMFirmware', 'firmware settings');
    }
  }
  vm.processors = s.processors ?? vm.processors;
  vm.memory = memory;
  vm.nestedVirtualization = nested;
  if (s.mmio) vm.mmio = { ...s.mmio };
  vm.tpm = s.tpm ?? vm.tpm;
  vm.firmware = firmware;
  Object.assign(vm, pickDefined(s));
  vm.notes = s.notes ?? vm.notes;
}

export function startVm(ctx: OpContext, op: Op<'startVm'>): void {
  const { host, vm } = findVmOrThrow(ctx, op.name, 'Start-VM');
  if (vm.power.state === 'Running') return;
  const free = freeMemory(ctx.world.host(host));
  if (vm.memory.startup > free) {
    throw refusal(ctx.site, {
      cmdlet: 'Start-VM',
      message: `'${vm.name}' failed to start. Not enough memory in the system to start the virtual machine ${vm.name}.`,
      category: 'ResourceUnavailable',
      errorId: 'OutOfMemory',
      target: vm.name,
      explain: `it needs ${vm.memory.startup} bytes, the host has ${free} free`,
    });
  }
  const now = ctx.world.now;
  if (vm.power.state === 'Saved') {
    vm.power = { state: 'Running', since: now, boots: [{ at: now, kind: 'resume' }] };
    return;
  }
  const first = vm.guest === null;
  if (first) vm.guest = bootGuest(ctx.world, host, vm);
  // cloud-init reads its seed at every boot and applies one whose instance-id is new.
  if (vm.guest) applyCloudInitSeed(ctx.world, host, vm, vm.guest);
  vm.power = { state: 'Running', since: now, boots: [{ at: now, kind: first ? 'first' : 'cold' }] };
}

export function stopVm(ctx: OpContext, op: Op<'stopVm'>): void {
  const { vm } = findVmOrThrow(ctx, op.name, 'Stop-VM');
  if (vm.power.state === 'Off') return;
  vm.power = { state: 'Off', since: ctx.world.now, boots: [] };
}

export function removeVm(ctx: OpContext, op: Op<'removeVm'>): void {
  const { host, vm } = findVmOrThrow(ctx, op.name, 'Remove-VM');
  if (vm.power.state === 'Running')
    throw refuseInState(ctx, 'Remove-VM', vm.name, 'stop the VM before removing it');
  const h = ctx.world.host(host);
  for (const device of h.devices)
    if (device.assignedTo !== null && eq(device.assignedTo, vm.name)) device.assignedTo = null;
  h.vms = h.vms.filter((v) => v !== vm);
}

/** The simple settings `s` sets (absent ones stay as they are). */
function pickDefined(s: Partial<SimpleVmSettings>): Partial<SimpleVmSettings> {
  return Object.fromEntries(SIMPLE_SETTING_KEYS.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
}
