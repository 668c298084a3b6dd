/**
 * The Hyper-V provider over real pwsh with the fake Hyper-V module: a temp folder per test
 * file, one state file per host, seeded like the simulator's fresh hosts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../../src/manifest/lab.js';
import type { Provider } from '../../../../src/providers/provider.js';
import type { CallContext } from '../../../../src/providers/call-context.js';
import { createHyperVProvider } from '../../../../src/providers/hyperv/hyperv-provider.js';
import { RealClock } from '../../../../src/clock/clock.js';
import { silentLogger, type Logger } from '../../../../src/log/logger.js';
import { Secret, type Credential } from '../../../../src/secrets/secret.js';
import { pwshPath } from '../../../support/pwsh.js';
import { hostsLab } from '../../../support/lab-builder.js';

export const FAKE_MODULE = fileURLToPath(new URL('../../../fake-hyperv/FakeHyperV.psm1', import.meta.url));

const GiB = 1024 ** 3;

/** A seed for one fake host (the state file's initial content, merged over a fresh host). */
export interface FakeSeed {
  computerName?: string;
  baseFreeMemory?: number;
  totalMemory?: number;
  /** Get-VMHost LogicalProcessorCount (default 16). */
  logicalProcessors?: number;
  /** Image files: present, with the OS the fake mounts. */
  images?: { path: string; os: 'windows' | 'linux'; size?: number }[];
  /** Other files present on the host (ISOs, installation media). */
  files?: string[];
  /** Installation media with real content (`files:` sources): real files, real sizes and hashes. */
  media?: { path: string; content: string | Buffer }[];
  /** Windows installation ISOs (test/fake-hyperv/host/windows-image.ps1): their editions and identity. */
  isos?: {
    path: string;
    size: number;
    modified: string;
    editions: { index: number; name: string }[];
    installFile?: 'install.wim' | 'install.esd' | null;
  }[];
  /** Assignable devices, mounted on the host. */
  devices?: { locationPath: string; instanceId?: string }[];
  cluster?: { name: string; nodes: string[]; sharedVolumes: string[] } | null;
  hostAddresses?: { interfaceAlias: string; address: string; prefixLength: number }[];
  /** Physical network adapters (default: Ethernet). */
  netAdapters?: { name: string; interfaceDescription: string }[];
  /** WinRM's MaxShellsPerUser: sessions over it are refused (test/fake-hyperv/host/remote-shells.ps1); default none. */
  maxShellsPerUser?: number;
}

/** Where the fake keeps a host path's media: <dir>/fake-host-media/<host>/D/Media/... (host/media-files.ps1). */
export function fakeMediaPath(dir: string, host: string, windowsPath: string): string {
  const m = /^([A-Za-z]):\\?(.*)$/.exec(windowsPath);
  if (!m) throw new Error(`not a drive path: ${windowsPath}`);
  return join(dir, 'fake-host-media', host, m[1]!.toUpperCase(), ...m[2]!.split('\\').filter(Boolean));
}

export function fakeState(seed: FakeSeed = {}, host = 'hv01'): Record<string, unknown> {
  return {
    format: 'labform-fake-hyperv/1',
    hostName: host,
    computerName: seed.computerName ?? 'FAKEHV',
    seq: 0,
    totalMemory: seed.totalMemory ?? 128 * GiB,
    ...(seed.logicalProcessors ? { logicalProcessors: seed.logicalProcessors } : {}),
    baseFreeMemory: seed.baseFreeMemory ?? 64 * GiB,
    netAdapters: seed.netAdapters ?? [
      { name: 'Ethernet', interfaceDescription: 'Microsoft Hyper-V Network Adapter' },
    ],
    hostAddresses: seed.hostAddresses ?? [
      { interfaceAlias: 'Ethernet', address: '10.254.0.10', prefixLength: 24 },
    ],
    switches: [],
    nats: [],
    natMappings: [],
    vhds: (seed.images ?? []).map((i) => ({
      path: i.path,
      type: 'Dynamic',
      parentPath: null,
      size: i.size ?? 40 * GiB,
      mounted: false,
      diskNumber: 0,
      os: i.os,
    })),
    files: [...(seed.files ?? []), ...(seed.isos ?? []).map((i) => i.path)],
    isos: (seed.isos ?? []).map((i) => ({
      path: i.path,
      size: i.size,
      modified: i.modified,
      editions: i.editions.map((e) => ({ ...e })),
      installFile: i.installFile === undefined ? 'install.wim' : i.installFile,
    })),
    devices: (seed.devices ?? []).map((d, i) => ({
      locationPath: d.locationPath,
      instanceId: d.instanceId ?? `PCI\\VEN_10DE&DEV_1DB4\\${i}`,
      dismounted: false,
      assignedTo: null,
    })),
    vms: [],
    cluster: seed.cluster ?? null,
    ...(seed.maxShellsPerUser !== undefined ? { maxShellsPerUser: seed.maxShellsPerUser } : {}),
    calls: [],
  };
}

export interface FakeHyperV {
  provider: Provider;
  dir: string;
  statePath(host: string): string;
  /** The raw fake state of a host (to see exactly what reached the cmdlets). */
  state(host?: string): any;
  seed(host: string, seed: FakeSeed): void;
  /** Writes (or with `null`, deletes) a host media file or folder (test/fake-hyperv/host/media-files.ps1). */
  media(host: string, path: string, content: string | Buffer | null): void;
  context(address?: string): CallContext;
  dispose(): Promise<void>;
}

export const PASSWORDS: Record<string, string> = { 'lab-admin': 'Pa$$w0rd!"`;$(whoami)' };

export function credentialFor(name: string): Credential {
  return { name, username: 'Administrator', password: new Secret(PASSWORDS[name] ?? 'Secret-1') };
}

/** A provider on the fake module; hosts are seeded with `seeds` (else fresh). */
export async function createFakeHyperV(
  options: { lab?: Lab; seeds?: Record<string, FakeSeed>; bootSeconds?: number; logger?: Logger } = {},
): Promise<FakeHyperV> {
  const lab = options.lab ?? hostsLab();
  const dir = mkdtempSync(join(tmpdir(), 'labform-fake-hyperv-'));
  const statePath = (host: string) => join(dir, `${host}.json`);
  const media = (host: string, path: string, content: string | Buffer | null) => {
    const real = fakeMediaPath(dir, host, path);
    if (content === null) return rmSync(real, { recursive: true, force: true });
    mkdirSync(dirname(real), { recursive: true });
    writeFileSync(real, content);
  };
  const seed = (host: string, s: FakeSeed) => {
    writeFileSync(statePath(host), JSON.stringify(fakeState(s, host)));
    for (const m of s.media ?? []) media(host, m.path, m.content);
  };
  for (const host of lab.hosts) seed(host.name, options.seeds?.[host.name] ?? {});
  const provider = await createHyperVProvider(
    { lab, sim: false, stateDir: dir, clock: new RealClock(), logger: options.logger ?? silentLogger },
    {
      executable: pwshPath(),
      shell: 'pwsh',
      modules: [FAKE_MODULE],
      env: (host) => ({
        LABFORM_FAKE_HYPERV_STATE: statePath(host),
        LABFORM_FAKE_BOOT_SECONDS: String(options.bootSeconds ?? 0),
        LABFORM_FAKE_AD_SECONDS: '0',
      }),
      defaultTimeoutMs: 60_000,
    },
  );
  return {
    provider,
    dir,
    statePath,
    state: (host = lab.hosts[0]!.name) =>
      existsSync(statePath(host)) ? JSON.parse(readFileSync(statePath(host), 'utf8')) : undefined,
    seed,
    media,
    context: (address = 'test') => ({ address, credentials: { get: credentialFor } }),
    async dispose() {
      await provider.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
