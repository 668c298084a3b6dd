/** The VM record New-VM leaves behind, shared by the createVm operation and test seeding. */
import type { SimVm } from '../sim-state.js';
import { stableHex } from './fresh-host.js';
import { hyperVDefaultSettings } from '../../../model/vm-settings.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/**
 * A new VM with Hyper-V's defaults (off, one processor, static memory, no disks or adapters,
 * save on host shutdown, production checkpoints). `idSeed` makes the GUID-shaped id stable.
 */
export function newSimVm(options: {
  name: string;
  idSeed: string;
  notes: string;
  generation: 1 | 2;
  path: string;
  memoryStartup: number;
  now: number;
}): SimVm {
  const h = stableHex(options.idSeed, 32).toLowerCase();
  return {
    name: options.name,
    id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
    notes: options.notes,
    generation: options.generation,
    path: options.path,
    processors: 1,
    memory: { startup: options.memoryStartup, dynamic: false, minimum: 512 * MiB, maximum: 1024 * GiB },
    firmware:
      options.generation === 2
        ? { secureBoot: true, secureBootTemplate: 'MicrosoftWindows' }
        : { secureBoot: false, secureBootTemplate: null },
    tpm: false,
    nestedVirtualization: false,
    mmio: { low: 128 * MiB, high: 512 * MiB },
    ...hyperVDefaultSettings(),
    checkpoints: [],
    disks: [],
    // No DVD drive: labform's generation 1 drives are added explicitly (see model/dvd-slots.ts).
    dvdDrives: [],
    adapters: [],
    assignedDevices: [],
    clustered: false,
    power: { state: 'Off', since: options.now, boots: [] },
    guest: null,
  };
}
