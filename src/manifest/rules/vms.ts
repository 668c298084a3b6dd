import { joinPointer } from '../pointer.js';
import { formatSize } from '../../model/units.js';
import { hasCloudInitSeed, type VmSpec } from '../lab.js';
import type { Rule, RuleContext } from './context.js';
import { dvdSlots } from '../../model/dvd-slots.js';
import {
  generationAllows,
  MEMORY_MIN_BYTES,
  memoryAligned,
  processorsProblem,
  validMmioLow,
  validNetbiosComputerName,
} from '../../model/hyperv-rules.js';

const MAX_ADAPTERS = 8;

/** What Hyper-V refuses for a VM's hardware: generation, memory, MMIO, devices, adapters. */
export const checkVmHardware: Rule = (ctx) => {
  for (const vm of ctx.entryVms) checkVm(ctx, vm);
  checkMacs(ctx);
  checkComputerNames(ctx);
};

/** Two configured Windows guests with one computer name collide in DNS and in Active Directory. */
function checkComputerNames(ctx: RuleContext): void {
  const first = new Map<string, VmSpec>();
  for (const vm of ctx.lab.vms) {
    if (vm.os !== 'windows' || vm.image === undefined) continue;
    const key = vm.computerName.toUpperCase();
    const earlier = first.get(key);
    if (!earlier) first.set(key, vm);
    else if (earlier.name.toLowerCase() !== vm.name.toLowerCase()) {
      const raw = ctx.rawVm(vm);
      ctx.report.error({
        rule: 'computer-name-duplicate',
        pointer: joinPointer(vm.pointer, raw.computerName !== undefined ? 'computerName' : 'name'),
        message: `vm ${vm.name} has computer name ${vm.computerName}, already used by vm ${earlier.name}`,
        hint: 'give each Windows guest its own computerName',
      });
    }
  }
}

function checkVm(ctx: RuleContext, vm: VmSpec): void {
  const { report } = ctx;
  const raw = ctx.rawVm(vm);
  const name = ctx.entryName(vm);
  const at = (...path: (string | number)[]) => joinPointer(vm.pointer, ...path);
  const image = vm.image === undefined ? undefined : ctx.lab.images.find((i) => i.name === vm.image);
  // What a generation 1 VM lacks (src/model/hyperv-rules.ts GENERATION_FEATURES); device
  // assignment is not among it: Hyper-V assigns devices to generation 1 VMs too.
  if (!generationAllows(vm.generation, 'secureBoot')) {
    if (raw.firmware?.secureBoot === true)
      report.error({
        rule: 'generation-secure-boot',
        pointer: at('firmware', 'secureBoot'),
        message: `vm ${name} is generation 1: secure boot needs generation 2`,
        hint: 'set generation: 2 (with a generation 2 image), or drop secureBoot',
      });
    else if (raw.firmware?.secureBootTemplate !== undefined)
      report.error({
        rule: 'generation-secure-boot',
        pointer: at('firmware', 'secureBootTemplate'),
        message: `vm ${name} is generation 1: it has no UEFI secure boot template`,
        hint: 'remove firmware, or use generation 2',
      });
  }
  if (!generationAllows(vm.generation, 'tpm') && vm.tpm)
    report.error({
      rule: 'generation-tpm',
      pointer: at('tpm'),
      message: `vm ${name} is generation 1: a virtual TPM needs generation 2`,
      hint: 'set generation: 2, or drop tpm',
    });
  const processors = processorsProblem(vm.processors, vm.generation);
  if (processors)
    report.error({
      rule: 'processors-limit',
      pointer: at('processors'),
      message: `vm ${name}: ${processors}`,
    });
  if (
    generationAllows(vm.generation, 'secureBoot') &&
    raw.firmware?.secureBoot === false &&
    raw.firmware.secureBootTemplate !== undefined
  ) {
    report.error({
      rule: 'secure-boot-template',
      pointer: at('firmware', 'secureBootTemplate'),
      message: `vm ${name}: secureBootTemplate is set but secureBoot is off`,
      hint: 'turn secureBoot on, or remove the template',
    });
  }
  if (
    vm.os === 'linux' &&
    vm.firmware.secureBoot &&
    raw.firmware?.secureBootTemplate === 'MicrosoftWindows'
  ) {
    report.warning({
      rule: 'secure-boot-template',
      pointer: at('firmware', 'secureBootTemplate'),
      message: `vm ${name} runs Linux with the MicrosoftWindows secure boot template; most Linux loaders will not boot`,
      hint: 'use MicrosoftUEFICertificateAuthority',
    });
  }
  if (image && raw.generation !== undefined && raw.generation !== image.generation) {
    report.error({
      rule: 'image-generation',
      pointer: at('generation'),
      message: `vm ${name} is generation ${raw.generation} but image ${image.name} is made for generation ${image.generation}`,
      hint: `an image boots only in the generation it was made for: set generation: ${image.generation} or use another image`,
    });
  }
  if (image && raw.os !== undefined && raw.os !== image.os) {
    report.error({
      rule: 'image-os',
      pointer: at('os'),
      message: `vm ${name} says os ${raw.os} but image ${image.name} is ${image.os}`,
      hint: "drop os: (it defaults to the image's) or fix the image",
    });
  }
  checkMemory(ctx, vm, name, at);
  if (vm.mmio && !validMmioLow(vm.mmio.low)) {
    report.error({
      rule: 'mmio-low-limit',
      pointer: at('mmio', 'low'),
      message: `vm ${name}: mmio.low is ${formatSize(vm.mmio.low)}, above the 3.5GB Hyper-V allows`,
      hint: 'low MMIO lives below 4GB; put large BARs in mmio.high',
    });
  }
  if (vm.assignDevices.length > 0) {
    if (vm.memory.dynamic)
      report.error({
        rule: 'assign-devices-dynamic-memory',
        pointer: at('memory'),
        message: `vm ${name} has assigned devices and dynamic memory; device assignment needs static memory`,
        hint: 'use static memory (memory: 8GB)',
      });
    if (vm.automaticStopAction !== 'turnOff')
      report.error({
        rule: 'assign-devices-stop-action',
        pointer: raw.automaticStopAction ? at('automaticStopAction') : at('assignDevices'),
        message: `vm ${name} has assigned devices, which need automaticStopAction: turnOff (it is ${vm.automaticStopAction})`,
        hint: 'Hyper-V cannot save a VM with an assigned device: set automaticStopAction: turnOff',
      });
  }
  const slots = dvdSlots({
    generation: vm.generation,
    hasOsDisk: vm.image !== undefined,
    dataDisks: vm.disks.length,
    seedDisk: hasCloudInitSeed(ctx.lab, vm),
  });
  if (vm.dvd.length > slots.length) {
    const where =
      vm.generation === 1
        ? `IDE (generation 1 reads DVDs from IDE only; IDE 0:0 holds the OS disk${hasCloudInitSeed(ctx.lab, vm) ? ', 0:1 the cloud-init seed' : ''})`
        : 'SCSI controller 0 after the disks';
    report.error({
      rule: 'dvd-slots',
      pointer: at('dvd', slots.length),
      message: `vm ${name} has ${vm.dvd.length} DVD drives; ${slots.length} fit on ${where}`,
      hint:
        vm.generation === 1
          ? `a generation 1 VM takes at most ${slots.length} DVD drives beside its OS disk${hasCloudInitSeed(ctx.lab, vm) ? ' and cloud-init seed' : ''}`
          : 'use fewer drives or fewer data disks',
    });
  }
  if (vm.network.length > MAX_ADAPTERS)
    report.error({
      rule: 'adapter-limit',
      pointer: at('network', MAX_ADAPTERS),
      message: `vm ${name} has ${vm.network.length} network adapters; Hyper-V allows ${MAX_ADAPTERS}`,
    });
  const hasHyperV = vm.roles.some((r) => r.kind === 'hyperV');
  if (hasHyperV && !vm.nestedVirtualization) {
    const index = vm.roles.findIndex((r) => r.kind === 'hyperV');
    report.error({
      rule: 'hyperv-role-nested',
      pointer: at('roles', index),
      message: `vm ${name} takes the hyperV role without nestedVirtualization`,
      hint: 'set nestedVirtualization: true (and static memory)',
    });
  }
  if ((vm.nestedVirtualization || hasHyperV) && vm.memory.dynamic) {
    report.error({
      rule: 'nested-dynamic-memory',
      pointer: at('memory'),
      message: `vm ${name} ${vm.nestedVirtualization ? 'has nestedVirtualization' : 'takes the hyperV role'} with dynamic memory; Hyper-V refuses nested virtualization with dynamic memory`,
      hint: 'use static memory, e.g. memory: 4GB',
    });
  }
  checkGuestConfig(ctx, vm, name, at);
}

function checkMemory(
  ctx: RuleContext,
  vm: VmSpec,
  name: string,
  at: (...path: (string | number)[]) => string,
): void {
  const { report } = ctx;
  const { startup, minimum, maximum, dynamic } = vm.memory;
  const object = typeof ctx.rawVm(vm).memory === 'object';
  for (const [key, value] of [
    ['startup', startup],
    ['minimum', minimum],
    ['maximum', maximum],
  ] as const) {
    if (value !== undefined && !memoryAligned(value))
      report.error({
        rule: 'memory-alignment',
        pointer: object ? at('memory', key) : at('memory'),
        message: `vm ${name}: memory ${key} ${formatSize(value)} is not a multiple of 2MB`,
        hint: 'Hyper-V sizes memory in 2MB steps, e.g. 2GB or 2050MB',
      });
  }
  if (startup < MEMORY_MIN_BYTES)
    report.error({
      rule: 'memory-limit',
      pointer: at('memory'),
      message: `vm ${name}: ${formatSize(startup)} of memory is below Hyper-V's 32MB minimum`,
    });
  if (!dynamic && (minimum !== undefined || maximum !== undefined)) {
    report.error({
      rule: 'memory-static-range',
      pointer: at('memory', minimum !== undefined ? 'minimum' : 'maximum'),
      message: `vm ${name}: memory minimum/maximum apply to dynamic memory only`,
      hint: 'set dynamic: true, or remove minimum and maximum',
    });
  }
  if (
    dynamic &&
    ((minimum !== undefined && minimum > startup) || (maximum !== undefined && startup > maximum))
  ) {
    report.error({
      rule: 'memory-dynamic-range',
      pointer: at('memory'),
      message: `vm ${name}: dynamic memory needs minimum <= startup <= maximum (${[minimum, startup, maximum].map((v) => (v === undefined ? '-' : formatSize(v))).join(' / ')})`,
      hint: 'adjust minimum, startup or maximum',
    });
  }
}

/** A VM without an image cannot be configured; a Windows one needs a valid name and an administrator credential. */
function checkGuestConfig(
  ctx: RuleContext,
  vm: VmSpec,
  name: string,
  at: (...path: (string | number)[]) => string,
): void {
  const { report } = ctx;
  const raw = ctx.rawVm(vm);
  if (vm.image === undefined) {
    if (vm.roles.length > 0)
      report.error({
        rule: 'no-image-guest-config',
        pointer: at('roles'),
        message: `vm ${name} has no image, so nothing can configure its guest: it cannot take roles`,
        hint: 'give it an image, or remove its roles',
      });
    if (vm.files.length > 0)
      report.error({
        rule: 'no-image-guest-config',
        pointer: at('files'),
        message: `vm ${name} has no image, so no guest answers to copy files into`,
        hint: 'give it an image, or remove files:',
      });
    vm.network.forEach((a, j) => {
      if (a.ip.kind === 'static')
        report.error({
          rule: 'no-image-guest-config',
          pointer: at('network', j, 'ip'),
          message: `vm ${name} has no image, so labform cannot set ${a.ip.auto ? 'an automatic' : 'a static'} address inside it`,
          hint: 'use ip: dhcp, leave ip out, or give the VM an image',
        });
    });
    return;
  }
  if (vm.os === 'windows') {
    if (!validNetbiosComputerName(vm.computerName)) {
      const given = raw.computerName !== undefined;
      const why =
        vm.computerName.length > 15
          ? 'longer than 15 characters'
          : /^[0-9]+$/.test(vm.computerName)
            ? 'all digits'
            : 'not only letters, digits and hyphens';
      report.error({
        rule: 'netbios-name',
        pointer: at(given ? 'computerName' : 'name'),
        message: `vm ${name}: computer name ${vm.computerName} is not a valid NetBIOS name (${why})`,
        hint: given
          ? 'use at most 15 letters, digits and hyphens, not all digits'
          : `the computer name defaults to the VM name: set computerName: (at most 15 letters, digits and hyphens)`,
      });
    }
    if (vm.credential === undefined)
      report.error({
        rule: 'credential-missing',
        pointer: vm.pointer,
        message: `Windows vm ${name} has an image but no credential: the answer file needs the administrator password and PowerShell Direct needs a login`,
        hint: 'add credential: <a credential from credentials>',
      });
  } else if (
    vm.credential === undefined &&
    (vm.files.length > 0 || vm.roles.some((r) => r.kind === 'script' && r.credential === undefined))
  ) {
    report.error({
      rule: 'credential-missing',
      pointer: at(vm.files.length > 0 ? 'files' : 'roles'),
      message: `Linux vm ${name} has ${vm.files.length > 0 ? 'files to copy' : 'script roles'} but no credential to log in over SSH`,
      hint: 'add credential: to the VM or to each script',
    });
  }
}

/** MACs: unicast, and each used once (count copies included). */
function checkMacs(ctx: RuleContext): void {
  const first = new Map<string, string>();
  for (const vm of ctx.lab.vms) {
    vm.network.forEach((a, j) => {
      if (a.mac === undefined) return;
      const pointer = joinPointer(vm.pointer, 'network', j, 'mac');
      if (a.mac === '000000000000' || (parseInt(a.mac.slice(0, 2), 16) & 1) === 1) {
        ctx.report.error({
          rule: 'mac-invalid',
          pointer,
          message: `vm ${vm.name}: ${a.mac} is ${a.mac === '000000000000' ? 'all zeros' : 'a multicast address'}, not a usable adapter MAC`,
          hint: "use a unicast MAC, e.g. from Hyper-V's 00-15-5D range",
        });
        return;
      }
      const earlier = first.get(a.mac);
      if (earlier)
        ctx.report.error({
          rule: 'mac-duplicate',
          pointer,
          message: `vm ${vm.name}: MAC ${a.mac} is already used by ${earlier}`,
          hint: 'each adapter needs its own MAC; with count, leave mac out',
        });
      else first.set(a.mac, `vm ${vm.name}`);
    });
  }
  const devices = new Map<string, string>();
  for (const vm of ctx.lab.vms) {
    vm.assignDevices.forEach((d, j) => {
      const earlier = devices.get(d.locationPath.toUpperCase());
      if (earlier)
        ctx.report.error({
          rule: 'assign-devices-duplicate',
          pointer: joinPointer(vm.pointer, 'assignDevices', j, 'locationPath'),
          message: `vm ${vm.name}: device ${d.locationPath} is already assigned to ${earlier}`,
          hint: 'a device can be assigned to one VM only',
        });
      else devices.set(d.locationPath.toUpperCase(), `vm ${vm.name}`);
    });
  }
}
