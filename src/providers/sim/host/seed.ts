/**
 * Test seeding: put things on a simulated host that labform did not create (unmarked
 * resources, another lab's, extra addresses, less memory), straight into the state.
 */
import type { LiveHostAddress, LiveNatMapping, LiveSwitch } from '../../../model/live-state.js';
import type { SimHost, SimVhd, SimVm } from '../sim-state.js';
import { physicalAdaptersOf, stableHex } from './fresh-host.js';
import { newSimVm } from './new-vm.js';
import { simulatedFileSize } from './host-files.js';
import { isUnder } from '../../../model/windows-path.js';
import type { ImageEdition } from '../../../model/image-build.js';

const GiB = 1024 ** 3;

export interface SeedVm {
  name: string;
  /** Notes (ownership mark or free text); default none: an unmarked VM. */
  notes?: string;
  state?: 'Off' | 'Running' | 'Saved';
  generation?: 1 | 2;
  memoryStartup?: number;
  processors?: number;
  path?: string;
  adapters?: { name: string; switchName: string | null; mac?: string }[];
  disks?: string[];
}

/** Mutators for a host's raw state (used inside `SimProvider.seed`). */
export function seedTools(host: SimHost, now: number) {
  return {
    vm(spec: SeedVm): SimVm {
      host.seq += 1;
      const state = spec.state ?? 'Off';
      const vm: SimVm = {
        ...newSimVm({
          name: spec.name,
          idSeed: `${host.host}/${spec.name}/seed/${host.seq}`,
          notes: spec.notes ?? '',
          generation: spec.generation ?? 2,
          path: spec.path ?? `C:\\ProgramData\\Microsoft\\Windows\\Hyper-V\\${spec.name}`,
          memoryStartup: spec.memoryStartup ?? 1 * GiB,
          now,
        }),
        processors: spec.processors ?? 1,
        disks: (spec.disks ?? []).map((path, i) => ({
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: i,
          path,
          supportPersistentReservations: false,
        })),
        adapters: (spec.adapters ?? []).map((a, i) => ({
          name: a.name,
          switchName: a.switchName,
          mac:
            a.mac ?? `00155DFF${(host.seq * 16 + i).toString(16).toUpperCase().padStart(4, '0').slice(-4)}`,
          staticMac: a.mac !== undefined,
          macAddressSpoofing: false,
          vlan: null,
        })),
        // A seeded running VM has no guest labform can reach (it is not from the lab's images).
        power: { state, since: now, boots: state === 'Running' ? [{ at: now, kind: 'cold' }] : [] },
      };
      host.vms.push(vm);
      return vm;
    },
    switch(spec: Partial<LiveSwitch> & { name: string }): void {
      host.switches.push({
        name: spec.name,
        type: spec.type ?? 'internal',
        notes: spec.notes ?? '',
        adapter: spec.adapter ?? null,
        allowManagementOS: spec.allowManagementOS ?? spec.type !== 'private',
      });
    },
    nat(spec: { name: string; internalPrefix: string }): void {
      host.nats.push({ ...spec });
    },
    natMapping(spec: LiveNatMapping): void {
      host.natMappings.push({ ...spec });
    },
    hostAddress(spec: LiveHostAddress): void {
      host.hostAddresses.push({ ...spec });
    },
    vhd(spec: Partial<SimVhd> & { path: string }): void {
      host.vhds.push({ format: 'vhdx', type: 'dynamic', parentPath: null, size: 10 * GiB, ...spec });
    },
    device(spec: { locationPath: string; dismounted?: boolean }): void {
      host.devices.push({
        locationPath: spec.locationPath,
        instanceId: `PCI\\VEN_8086&DEV_0953\\${stableHex(spec.locationPath, 12)}`,
        dismounted: spec.dismounted ?? false,
        assignedTo: null,
      });
    },
    /** A file on the host (an ISO); size defaults to the simulator's stable size for the path. */
    /**
     * A file on the host (replacing one at that path): `sha256` stands for its content, `editions`
     * makes it a Windows installation ISO, `modified` its LastWriteTimeUtc.
     */
    file(spec: {
      path: string;
      size?: number;
      sha256?: string;
      modified?: string;
      editions?: ImageEdition[];
    }): void {
      host.files = [
        ...(host.files ?? []).filter((f) => f.path.toLowerCase() !== spec.path.toLowerCase()),
        {
          path: spec.path,
          size: spec.size ?? simulatedFileSize(spec.path),
          ...(spec.sha256 ? { sha256: spec.sha256 } : {}),
          ...(spec.modified ? { modified: spec.modified } : {}),
          ...(spec.editions ? { editions: spec.editions.map((e) => ({ ...e })) } : {}),
        },
      ];
    },
    /** Takes a file away, or a folder with everything in it. */
    removeFile(path: string): void {
      host.files = (host.files ?? []).filter((f) => !isUnder(f.path, path));
    },
    /** A physical network adapter (Get-NetAdapter -Physical). */
    netAdapter(spec: { name: string; interfaceDescription?: string }): void {
      const adapters = physicalAdaptersOf(host).filter(
        (a) => a.name.toLowerCase() !== spec.name.toLowerCase(),
      );
      adapters.push({
        name: spec.name,
        interfaceDescription: spec.interfaceDescription ?? `Simulated Ethernet Adapter (${spec.name})`,
      });
      host.netAdapters = adapters;
    },
    /** Takes a physical adapter away (it stays away: the simulator provides an adapter once). */
    removeNetAdapter(name: string): void {
      host.netAdapters = physicalAdaptersOf(host).filter((a) => a.name.toLowerCase() !== name.toLowerCase());
    },
    /** Free memory with no VM running (bytes). */
    freeMemory(bytes: number): void {
      host.baseFreeMemory = bytes;
    },
    totalMemory(bytes: number): void {
      host.totalMemory = bytes;
    },
    /** Get-VMHost LogicalProcessorCount. */
    logicalProcessors(count: number): void {
      host.logicalProcessors = count;
    },
  };
}

export type SeedTools = ReturnType<typeof seedTools>;
