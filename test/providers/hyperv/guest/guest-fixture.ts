/**
 * The guest runner over real pwsh and the fake Hyper-V module: one session per test file,
 * one state file rewritten per test (the fake reads it on every call), VMs seeded directly.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../../../src/log/logger.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { createSession } from '../../../../src/powershell/create-session.js';
import type { PowerShellSession } from '../../../../src/powershell/session.js';
import { createGuestRunner, type GuestRunner } from '../../../../src/providers/hyperv/guest/guest-runner.js';
import { guestLibraryScripts } from '../../../../src/providers/hyperv/guest/guest-library.js';
import type { CallContext, GuestTarget } from '../../../../src/providers/call-context.js';
import { Secret, type Credential } from '../../../../src/secrets/secret.js';
import { pwshPath } from '../../../support/pwsh.js';

export { captureLogger } from '../../../support/capture-logger.js';

export const FAKE_MODULE = fileURLToPath(new URL('../../../fake-hyperv/FakeHyperV.psm1', import.meta.url));

export interface SeedVm {
  name: string;
  state?: 'Running' | 'Off';
  macs?: string[];
  tpm?: boolean;
  /** Virtualization extensions exposed (nested virtualization: Hyper-V installs only then). */
  nested?: boolean;
  /** Shared disks on SCSI with persistent reservations (for clusters). */
  sharedDisks?: { path: string; size: number }[];
  guest?: Record<string, unknown> | null;
}

function vmEntry(vm: SeedVm, index: number): Record<string, unknown> {
  return {
    id: `0000000${index + 1}-0000-4000-8000-00000000000${index + 1}`,
    name: vm.name,
    state: vm.state ?? 'Running',
    startedAt: 0,
    generation: 2,
    path: `D:\\Labs\\test\\${vm.name}`,
    processors: 2,
    memoryStartup: 2147483648,
    dynamicMemory: false,
    tpm: vm.tpm ?? false,
    nested: vm.nested ?? false,
    disks: (vm.sharedDisks ?? []).map((d, i) => ({
      controllerType: 'SCSI',
      controllerNumber: 0,
      controllerLocation: i + 1,
      path: d.path,
      supportPersistentReservations: true,
    })),
    adapters: (vm.macs ?? []).map((mac, i) => ({
      name: `Network Adapter ${i}`,
      switchName: 'LabNet',
      mac,
      dynamicMac: false,
      spoofing: false,
      vlan: null,
      ipAddresses: [],
    })),
    devices: [],
    snapshots: [],
    guest: vm.guest ?? null,
  };
}

/** Timeouts for suites that start PowerShell (slow on a loaded machine). */
export const PWSH_TIMEOUTS = { testTimeout: 240_000, hookTimeout: 300_000 };

export interface GuestFixture {
  dir: string;
  statePath: string;
  session: PowerShellSession;
  runner: GuestRunner;
  seed(vms: SeedVm[]): void;
  state(): {
    vms: { name: string; guest: any; adapters: any[] }[];
    calls: { cmdlet: string; parameters: Record<string, unknown> }[];
  };
  guest(vm: string): any;
  target(vm: string, credential?: Credential): GuestTarget;
  context(credentials: Record<string, Credential>): CallContext;
  /** Starts PowerShell now (in a hook, where slow starts have their own timeout). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function credential(name: string, password: string, username = 'Administrator'): Credential {
  return { name, username, password: new Secret(password) };
}

/** A session with the fake module and the guest library, and a runner on it. */
export function guestFixture(options: { logger?: Logger; env?: Record<string, string> } = {}): GuestFixture {
  const dir = mkdtempSync(join(tmpdir(), 'labform-guest-'));
  const statePath = join(dir, 'hv01.json');
  const session = createSession({
    host: 'hv01',
    transport: { kind: 'local', shell: 'pwsh' },
    executable: pwshPath(),
    libraryScripts: guestLibraryScripts(),
    modules: [FAKE_MODULE],
    env: { LABFORM_FAKE_HYPERV_STATE: statePath, ...(options.env ?? {}) },
    logger: options.logger ?? silentLogger,
    // The machine may be busy (shared CI cores): give PowerShell time to start.
    startTimeoutMs: 240_000,
  });
  const runner = createGuestRunner({
    sessionFor: async () => session,
    logger: options.logger ?? silentLogger,
    sleep: async () => undefined,
  });
  const admin = credential('lab-admin', 'Initial#1');
  return {
    dir,
    statePath,
    session,
    runner,
    seed(vms) {
      rmSync(join(dir, 'fake-guests'), { recursive: true, force: true });
      writeFileSync(
        statePath,
        JSON.stringify({
          format: 'labform-fake-hyperv/1',
          seq: 100,
          vms: vms.map(vmEntry),
          // The shared disks' files: a guest sees a disk of its file's size.
          vhds: [
            ...new Map(
              vms.flatMap((vm) => vm.sharedDisks ?? []).map((d) => [d.path.toLowerCase(), d] as const),
            ).values(),
          ].map((d) => ({
            path: d.path,
            type: 'Fixed',
            parentPath: null,
            size: d.size,
            mounted: false,
            diskNumber: 0,
          })),
          calls: [],
        }),
      );
    },
    state() {
      return JSON.parse(readFileSync(statePath, 'utf8'));
    },
    guest(vm) {
      return this.state().vms.find((v) => v.name === vm)?.guest;
    },
    target(vm, cred = admin) {
      return { host: 'hv01', vm, os: 'windows', credential: cred };
    },
    context(credentials) {
      return {
        address: 'vm.test',
        credentials: {
          get(name: string) {
            const found = credentials[name];
            if (!found) throw new Error(`no credential ${name}`);
            return found;
          },
        },
      };
    },
    async start() {
      this.seed([{ name: 'warmup' }]);
      await runner.guestReachable(this.target('warmup'), this.context({}));
    },
    async close() {
      await session.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the fixture and points `$env:LABFORM_CANARY` at a file inside it: injection payloads
 * write that file if anything ever runs them. Returns the canary's path.
 */
export async function startWithCanary(fixture: GuestFixture): Promise<string> {
  await fixture.start();
  const canary = join(fixture.dir, 'canary.txt');
  process.env.LABFORM_CANARY = canary;
  return canary;
}
