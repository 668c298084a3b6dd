import { expect } from 'vitest';
import { ProviderError } from '../../../src/errors.js';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { createSim, type SimOptions, type SimProvider } from '../../../src/providers/sim/sim-provider.js';
import { ctx, GiB, IMAGE, MARK, STORE, testLab } from './sim-lab.js';

export * from './sim-lab.js';

export async function newSim(
  extra: Partial<SimOptions> = {},
): Promise<{ sim: SimProvider; clock: VirtualClock }> {
  const clock = new VirtualClock();
  const sim = await createSim({ lab: testLab(), clock, memory: true, ...extra });
  return { sim, clock };
}

/** Create a Windows VM from the image with an answer file, its adapter on `switchName`, and start it. */
export async function windowsVm(
  sim: SimProvider,
  options: {
    name: string;
    host?: string;
    switchName?: string;
    mac?: string;
    start?: boolean;
    nested?: boolean;
    memory?: number;
    folder?: string;
  },
): Promise<void> {
  const host = options.host ?? 'hv01';
  const folder = options.folder ?? STORE;
  const c = ctx(`vm.${options.name}`);
  const disk = `${folder}\\${options.name}\\${options.name}.vhdx`;
  await sim.run(
    host,
    { op: 'createVhd', path: disk, size: 0, format: 'vhdx', type: 'differencing', parentPath: IMAGE },
    c,
  );
  await sim.run(
    host,
    {
      op: 'injectAnswerFile',
      vhdPath: disk,
      computerName: options.name.toUpperCase(),
      credential: 'lab-admin',
      timeZone: 'UTC',
    },
    c,
  );
  await sim.run(
    host,
    {
      op: 'createVm',
      name: options.name,
      generation: 2,
      path: `${folder}\\${options.name}`,
      memoryStartup: options.memory ?? 2 * GiB,
      notes: MARK,
    },
    c,
  );
  if (options.nested)
    await sim.run(
      host,
      { op: 'configureVm', name: options.name, settings: { nestedVirtualization: true } },
      c,
    );
  await sim.run(
    host,
    {
      op: 'attachDisk',
      vm: options.name,
      path: disk,
      controllerType: 'SCSI',
      controllerNumber: 0,
      controllerLocation: 0,
      supportPersistentReservations: false,
    },
    c,
  );
  if (options.switchName)
    await sim.run(
      host,
      {
        op: 'addAdapter',
        vm: options.name,
        name: 'Network Adapter',
        switchName: options.switchName,
        mac: options.mac,
        macAddressSpoofing: false,
      },
      c,
    );
  if (options.start !== false) await sim.run(host, { op: 'startVm', name: options.name }, c);
}

/** Advance virtual time by `ms`. */
export async function wait(clock: VirtualClock, ms: number): Promise<void> {
  await clock.sleep(ms);
}

/** The call was refused the way Hyper-V refuses: a non-retryable ProviderError with an error record. */
export async function refused(p: Promise<unknown>): Promise<ProviderError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  const pe = error as ProviderError;
  expect(pe.retryable).toBe(false);
  expect(pe.record?.message).toBeTruthy();
  expect(pe.record?.fullyQualifiedErrorId).toBeTruthy();
  return pe;
}
