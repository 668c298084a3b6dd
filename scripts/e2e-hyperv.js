#!/usr/bin/env node
/**
 * End to end through PowerShell: `npm run e2e:hyperv -- FILE [FILE ...]`.
 *
 * For each manifest: applies it through the real CLI (bin/labform.js) with the Hyper-V provider,
 * whose host sessions run real pwsh with the fake Hyper-V module (test/fake-hyperv) imported
 * through labform's test hook (LABFORM_HYPERV_MODULES, src/providers/hyperv/test-hooks.ts);
 * guest operations included (PowerShell Direct in the fake, and ssh.exe/scp.exe for Linux guests
 * from test/fake-hyperv/bin). Then plans again, which must find nothing to do
 * (`--detailed-exitcode` exits 0), then destroys, and checks that every fake host is back to the
 * inventory it was seeded with.
 *
 * What stands in for the manifest's hosts:
 * - every host connects locally (the fake cannot be reached over ssh:// or winrm://): the run
 *   works on a copy of the manifest with `connect: local`, `fromFile` paths made absolute;
 * - each host gets its own fake state (`<run folder>/hosts/<host>.json`), seeded with the host
 *   inventory the manifest expects to find (`fakeInventory`): the images, the ISOs in DVD drives,
 *   the physical adapters external networks bind to, the devices VMs take, the host clusters.
 *
 * Needs a built dist/ (the npm script builds first) and pwsh (LABFORM_PWSH, PATH, or
 * ~/.dotnet/tools). Exit code 0 when every manifest passed, 1 otherwise.
 */
import { spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'labform.js');
export const FAKE_MODULE = path.join(ROOT, 'test', 'fake-hyperv', 'FakeHyperV.psm1');
const GiB = 1024 ** 3;

/** pwsh: LABFORM_PWSH, else pwsh on PATH, else the .NET global tool location. */
export function findPwsh(env = process.env) {
  if (env.LABFORM_PWSH) return env.LABFORM_PWSH;
  const dirs = [...(env.PATH ?? '').split(path.delimiter), path.join(os.homedir(), '.dotnet', 'tools')];
  for (const dir of dirs) {
    const candidate = path.join(dir, process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
    try {
      if (dir) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Files every host sees: SMB shares, and cluster shared volumes (src/model/hyperv-rules.ts). */
const onSharedStorage = (p) =>
  /^\\\\[^\\]+\\[^\\]+/.test(p.replace(/\//g, '\\')) ||
  /^c:\\clusterstorage\\[^\\]+/i.test(p.replace(/\//g, '\\'));

const imageVhd = (image) => ({
  path: image.path,
  type: 'Dynamic',
  parentPath: null,
  size: 40 * GiB,
  mounted: false,
  diskNumber: 0,
  os: image.os,
});

/**
 * The fake host states the manifest expects to find, one per host (the fake's state file format),
 * and the storage they share (test/fake-hyperv/host/shared-storage.ps1): images on SMB shares or
 * cluster shared volumes are there once, not on every host.
 */
export function fakeInventory(lab) {
  const states = {};
  const shared = {
    format: 'labform-fake-hyperv-shared/1',
    vhds: lab.images.filter((i) => onSharedStorage(i.path)).map(imageVhd),
  };
  lab.hosts.forEach((host, index) => {
    const vms = lab.vms.filter((vm) => vm.host === host.name);
    const external = lab.networks.filter((n) => n.type === 'external' && n.hosts.includes(host.name));
    const adapters = [{ name: 'Ethernet', interfaceDescription: 'Microsoft Hyper-V Network Adapter' }];
    for (const network of external) {
      if (adapters.some((a) => a.name.toLowerCase() === network.adapter.toLowerCase())) continue;
      adapters.push({
        name: network.adapter,
        interfaceDescription: `Microsoft Hyper-V Network Adapter #${adapters.length + 1}`,
      });
    }
    const memory = vms.reduce((sum, vm) => sum + vm.memory.startup, 0);
    const devices = [...new Set(vms.flatMap((vm) => vm.assignDevices.map((d) => d.locationPath)))];
    const files = [...new Set(vms.flatMap((vm) => vm.dvd))];
    const clusters = lab.clusters.filter((c) => c.nodes.includes(host.name));
    states[host.name] = {
      format: 'labform-fake-hyperv/1',
      hostName: host.name,
      computerName: host.name.toUpperCase().slice(0, 15),
      seq: 0,
      totalMemory: Math.max(128 * GiB, 4 * memory),
      baseFreeMemory: Math.max(64 * GiB, 2 * memory),
      netAdapters: adapters,
      hostAddresses: [{ interfaceAlias: 'Ethernet', address: `10.254.0.${10 + index}`, prefixLength: 24 }],
      switches: [],
      nats: [],
      natMappings: [],
      vhds: lab.images.filter((i) => !onSharedStorage(i.path)).map(imageVhd),
      files,
      devices: devices.map((locationPath, i) => ({
        locationPath,
        instanceId: `PCI\\VEN_10DE&DEV_1DB4\\E2E${index}${i}`,
        dismounted: false,
        assignedTo: null,
      })),
      vms: [],
      cluster:
        clusters.length > 0
          ? { name: clusters[0].name, nodes: clusters[0].nodes, sharedVolumes: [clusters[0].sharedVolume] }
          : null,
      calls: [],
    };
  });
  return { hosts: states, shared };
}

/**
 * What a custom script role does in the run: its own text installs software the fake guest cannot
 * have (SQL Server from a DVD, a GPU driver), so it is replaced by a script the fake guest runs
 * for real, which leaves a mark its test reads: the simulator's model of a script ("the run
 * recorded stands for test"). The role keeps everything else (shell, reboots, credential), so
 * labform's probe, run, restart and waits are exercised as written.
 */
export function recordedScript(shell, id) {
  if (shell === 'bash')
    return {
      run: `mkdir -p /var/lib/labform-e2e && touch /var/lib/labform-e2e/${id}.ran`,
      test: `test -f /var/lib/labform-e2e/${id}.ran && echo true`,
    };
  return {
    run: [
      "$folder = Join-Path $env:ProgramData 'labform-e2e'",
      '$null = New-Item -ItemType Directory -Force -Path $folder',
      `Set-Content -LiteralPath (Join-Path $folder '${id}.ran') -Value 'ran'`,
    ].join('\n'),
    test: `Test-Path -LiteralPath (Join-Path (Join-Path $env:ProgramData 'labform-e2e') '${id}.ran')`,
  };
}

/**
 * The manifest's text for the run: every host `connect: local` (the fake stands in for the
 * connection too), `fromFile` paths absolute (the copy lives elsewhere), custom scripts as
 * `recordedScript` says. Everything else as written.
 */
export function localCopyText(text, manifestDir) {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const hosts = doc.get('hosts');
  for (const host of hosts?.items ?? []) host.set('connect', 'local');
  (doc.get('vms')?.items ?? []).forEach((vm, v) => {
    (vm.get?.('roles')?.items ?? []).forEach((role, r) => {
      const script = role.get?.('script');
      if (!script?.set) return;
      const shell = script.get('shell') === 'bash' || vm.get('os') === 'linux' ? 'bash' : 'powershell';
      const recorded = recordedScript(shell, `vm${v}-role${r}`);
      script.set('run', recorded.run);
      script.set('test', recorded.test);
    });
  });
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node.items)) {
      for (const item of node.items) {
        if (item && item.key !== undefined) {
          const key = item.key?.value ?? item.key;
          const value = item.value;
          if (key === 'fromFile' && typeof value?.value === 'string' && !path.isAbsolute(value.value))
            value.value = path.resolve(manifestDir, value.value);
          else visit(value);
        } else visit(item);
      }
    }
  };
  visit(doc.contents);
  return doc.toString();
}

function runCli(args, env, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

const tail = (text, lines = 40) => text.trimEnd().split('\n').slice(-lines).join('\n');

/** What must be back as seeded after destroy: nothing of the lab left on the host. */
export function leftovers(seeded, now) {
  const problems = [];
  const names = (list, key) => (list ?? []).map((x) => String(x[key]));
  const same = (what, a, b) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      problems.push(`${what}: expected ${JSON.stringify(a)}, found ${JSON.stringify(b)}`);
  };
  same('VMs', [], names(now.vms, 'name'));
  same('switches', [], names(now.switches, 'name'));
  same('NATs', [], names(now.nats, 'name'));
  same('NAT mappings', [], names(now.natMappings, 'externalPort'));
  same('virtual hard disks', names(seeded.vhds, 'path').sort(), names(now.vhds, 'path').sort());
  same(
    'host addresses',
    names(seeded.hostAddresses, 'address').sort(),
    names(now.hostAddresses, 'address').sort(),
  );
  same(
    'assignable devices (given back to the host)',
    seeded.devices.map((d) => `${d.locationPath} dismounted=false`),
    (now.devices ?? []).map(
      (d) =>
        `${d.locationPath} dismounted=${Boolean(d.dismounted)}${d.assignedTo ? ` assignedTo=${d.assignedTo}` : ''}`,
    ),
  );
  return problems;
}

/**
 * Applies, plans again and destroys one manifest against fake hosts. Resolves with the steps
 * run and their times; `ok` false with `failure` saying which step failed and why.
 */
export async function runE2eHyperV(options) {
  const file = path.resolve(options.file);
  const pwsh = options.pwsh ?? findPwsh();
  if (!pwsh) throw new Error('pwsh not found: install PowerShell 7 or set LABFORM_PWSH');
  const { loadLab } = await import(pathToFileURL(path.join(ROOT, 'dist', 'manifest', 'load-lab.js')).href);
  const loaded = await loadLab({ file });
  if (!loaded.lab) {
    const errors = loaded.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}: ${d.message}`);
    return { file, ok: false, steps: [], failure: `the manifest is not valid:\n${errors.join('\n')}` };
  }
  const lab = loaded.lab;
  const dir = mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), 'labform-e2e-'));
  const hostsDir = path.join(dir, 'hosts');
  mkdirSync(hostsDir);
  const { hosts: inventory, shared } = fakeInventory(lab);
  writeFileSync(path.join(hostsDir, 'shared-storage.json'), JSON.stringify(shared));
  for (const [host, state] of Object.entries(inventory))
    writeFileSync(
      path.join(hostsDir, `${host.replace(/[^A-Za-z0-9._-]/g, '_')}.json`),
      JSON.stringify(state),
    );
  const copy = path.join(dir, path.basename(file));
  writeFileSync(copy, localCopyText(readFileSync(file, 'utf8'), path.dirname(file)));
  const stateDir = path.join(dir, 'state');
  const env = {
    ...process.env,
    LABFORM_PWSH: pwsh,
    LABFORM_HYPERV_MODULES: FAKE_MODULE,
    LABFORM_FAKE_HYPERV_STATE_DIR: hostsDir,
    // The fake's guests boot at once: labform's polls need not wait real seconds (test-hooks.ts).
    LABFORM_HYPERV_CLOCK_SPEED: '10',
    LABFORM_FAKE_BOOT_SECONDS: '0',
    LABFORM_FAKE_REBOOT_SECONDS: '0',
    LABFORM_FAKE_AD_SECONDS: '0',
    NO_COLOR: '1',
  };
  delete env.LABFORM_FAKE_HYPERV_STATE;
  const steps = [];
  const log = options.log ?? (() => undefined);
  const step = async (name, args, expectCode) => {
    const started = Date.now();
    const logFile = path.join(dir, `${name.replace(/ /g, '-')}.log.json`);
    const run = await runCli([...args, '--state-dir', stateDir, '--log-file', logFile], env, dir);
    const ms = Date.now() - started;
    steps.push({ name, code: run.code, ms });
    log(`${path.basename(file)}: ${name} exited ${run.code} in ${(ms / 1000).toFixed(1)} s`);
    if (run.code !== expectCode) {
      return `${name} (labform ${args.join(' ')}) exited ${run.code}, expected ${expectCode}\n--- stdout\n${tail(run.stdout)}\n--- stderr\n${tail(run.stderr)}`;
    }
    return undefined;
  };
  let failure =
    (await step('apply', ['apply', copy, '--auto-approve'], 0)) ??
    (await step('plan again', ['plan', copy, '--detailed-exitcode'], 0)) ??
    (await step('destroy', ['destroy', copy, '--auto-approve'], 0));
  if (!failure) {
    const problems = [];
    for (const [host, seeded] of Object.entries(inventory)) {
      const statePath = path.join(hostsDir, `${host.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
      const now = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : {};
      for (const problem of leftovers(seeded, now)) problems.push(`${host}: ${problem}`);
    }
    const sharedNow = JSON.parse(readFileSync(path.join(hostsDir, 'shared-storage.json'), 'utf8'));
    const paths = (list) => JSON.stringify((list ?? []).map((v) => v.path).sort());
    if (paths(sharedNow.vhds) !== paths(shared.vhds))
      problems.push(`shared storage: expected ${paths(shared.vhds)}, found ${paths(sharedNow.vhds)}`);
    if (problems.length > 0)
      failure = `after destroy, the hosts still hold lab resources:\n${problems.join('\n')}`;
  }
  if (!options.keep && !failure) rmSync(dir, { recursive: true, force: true });
  return { file, ok: !failure, steps, failure, dir: options.keep || failure ? dir : undefined };
}

async function main(argv) {
  const keep = argv.includes('--keep');
  const files = argv.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    console.error('usage: npm run e2e:hyperv -- FILE [FILE ...] [--keep]');
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const started = Date.now();
    let result;
    try {
      result = await runE2eHyperV({ file, keep, log: (line) => console.log(line) });
    } catch (error) {
      result = { ok: false, failure: error instanceof Error ? error.message : String(error) };
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.ok) console.log(`PASS ${file} (${seconds} s)${result.dir ? ` kept in ${result.dir}` : ''}`);
    else {
      failed++;
      console.log(
        `FAIL ${file} (${seconds} s): ${result.failure}${result.dir ? `\nrun folder: ${result.dir}` : ''}`,
      );
    }
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
