import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../support/cli-harness.js';

const FILE = path.resolve('examples/nat-lab.yaml');
// Waits want a stable heartbeat over several polls: a simulated speed a loaded machine keeps up with.
const CALM = ['--sim', '--sim-speed', '500'];

describe('day-two verbs on the simulator (nat-lab example)', () => {
  let stateDir: string;
  // Options before the arguments: anything after `--` belongs to the guest command.
  const run = (args: string[], sim = CALM) =>
    cli([args[0]!, ...sim, '--state-dir', stateDir, ...args.slice(1)]);

  beforeAll(async () => {
    stateDir = await tempDir('labform-day2-');
    const applied = await run(['apply', FILE, '-y']);
    expect(
      applied.stdout
        .split('\n')
        .filter((l) => /fail|gave up/.test(l))
        .join('\n'),
    ).toBe('');
    expect(applied.code).toBe(0);
  }, 120_000);

  it('graph of the applied lab: no steps left, so the resource graph with a note; mermaid nests VMs in their host', async () => {
    const dot = await run(['graph', FILE]);
    expect(dot.code).toBe(0);
    expect(dot.stderr).toBe(
      'note: lab nat-lab is up to date, no steps left: showing its resources and their dependencies\n',
    );
    expect(dot.stdout).toContain(
      'label="lab nat-lab is up to date: no steps left; its resources and what each needs";',
    );
    expect(dot.stdout).toContain('"vm.corp-dc01" -> "role.corp-dc01.domainController";');
    const mermaid = await run(['graph', FILE, '--format', 'mermaid']);
    expect(mermaid.stdout).toMatch(/ {2}subgraph h0\["host hv01"\]\n[\s\S]* {4}subgraph v\d+\["vm web1"\]\n/);
  });

  it('exec prints the guest output and exits with the guest command exit code', async () => {
    const host = await run(['exec', FILE, 'corp-dc01', '--', 'hostname']);
    expect(host).toEqual({ code: 0, stdout: 'corp-dc01\n', stderr: '' });
    const mixed = await run([
      'exec',
      FILE,
      'web1',
      '--',
      'Write-Output',
      'one',
      'two;',
      'whoami;',
      'Get-Nothing;',
      'exit',
      '7',
    ]);
    expect(mixed.code).toBe(7);
    expect(mixed.stdout).toBe('one\ntwo\nweb1\\administrator\n');
    expect(mixed.stderr).toContain("Get-Nothing : The term 'Get-Nothing' is not recognized");
    const failed = await run(['exec', FILE, 'web1', '--', 'Get-Content', 'C:\\nothing.txt']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("Cannot find path 'C:\\nothing.txt' because it does not exist.");
  });

  it('exec with --credential uses that credential; a wrong one is refused by the guest, an unknown one by labform', async () => {
    expect((await run(['exec', FILE, 'member1', '--credential', 'corp-admin', '--', 'whoami'])).stdout).toBe(
      'corp\\administrator\n',
    );
    // A DC has no local accounts after promotion: PowerShell Direct refuses the DSRM account.
    const refused = await run(['exec', FILE, 'corp-dc01', '--credential', 'safe-mode', '--', 'hostname']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('The credential is invalid.');
    const unknown = await run(['exec', FILE, 'corp-dc01', '--credential', 'corp-admn', '--', 'hostname']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no credential named corp-admn; did you mean `corp-admin`?');
    const none = await run(['exec', FILE, 'corp-dc01']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no command to run');
  });

  it('cp copies a file in and out; a missing guest folder fails as Copy-Item does', async () => {
    const dir = await tempDir('labform-cp-');
    const local = path.join(dir, 'tools.txt');
    await writeFile(local, 'line one\nline two\n');
    const into = await run(['cp', FILE, local, 'member1:C:\\Windows\\Temp\\']);
    expect(into.code).toBe(0);
    expect(into.stdout).toBe(`copied ${local} (18 bytes) to member1:C:\\Windows\\Temp\\tools.txt\n`);
    expect(
      (await run(['exec', FILE, 'member1', '--', 'Get-Content', 'C:\\Windows\\Temp\\tools.txt'])).stdout,
    ).toBe('line one\nline two\n');
    const back = path.join(dir, 'back.txt');
    expect((await run(['cp', FILE, 'member1:c:/windows/temp/TOOLS.txt', back])).code).toBe(0);
    expect(await readFile(back, 'utf8')).toBe('line one\nline two\n');
    const missing = await run(['cp', FILE, local, 'member1:C:\\NoSuchFolder\\tools.txt']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(
      "Copy-Item: Could not find a part of the path 'C:\\NoSuchFolder\\tools.txt'.",
    );
    const both = await run(['cp', FILE, local, back]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('exactly one side must be VM:PATH');
  });

  it('stop and start: members stop before the DC, the DC starts first, waits included; exec on a stopped VM says how to start it', async () => {
    const stopped = await run(['stop', FILE]);
    expect(stopped.code).toBe(0);
    const doneOrder = [...stopped.stdout.matchAll(/done\s+stop VM (\S+)/g)].map((m) => m[1]);
    expect(doneOrder.at(-1)).toBe('corp-dc01');
    expect(doneOrder).toHaveLength(5);
    const off = await run(['exec', FILE, 'web1', '--', 'hostname']);
    expect(off.code).toBe(1);
    expect(off.stderr).toContain('VM web1 is Off, not running');
    expect(off.stderr).toContain('labform start FILE web1');
    const web = await run(['start', FILE, 'web1']);
    expect(web.code).toBe(0);
    expect(web.stdout).toContain('note: web1 depends on corp-dc01, which is not running');
    const started = await run(['start', FILE]);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain('web1 is already running');
    const lines = started.stdout.split('\n');
    const firstMemberStart = lines.findIndex((l) => /start\s+start VM member/.test(l));
    const adReady = lines.findIndex((l) => /done\s+wait for Active Directory on corp-dc01/.test(l));
    expect(adReady).toBeGreaterThan(-1);
    expect(firstMemberStart).toBeGreaterThan(adReady);
    expect((await run(['start', FILE])).stdout).toContain('Nothing to start.');
    expect((await run(['exec', FILE, 'web1', '--', 'hostname'])).stdout).toBe('web1\n');
  }, 60_000);

  it('checkpoint asks before stopping the lab, then --list and --delete', async () => {
    const asked = await run(['checkpoint', FILE, 'demo'], CALM);
    expect(asked.code).toBe(1);
    expect(asked.stdout).toContain('Checkpoint "demo" stops corp-dc01, member1, member2, web1, web2');
    expect(asked.stderr).toContain('refusing to stop the lab for a checkpoint without confirmation');
    expect((await run(['checkpoint', FILE, '--list'])).stdout).toBe('Lab nat-lab has no checkpoints.\n');
    const taken = await run(['checkpoint', FILE, 'demo', '-y'], CALM);
    expect(taken.code).toBe(0);
    expect((await run(['checkpoint', FILE, '--list'])).stdout).toBe(
      'Checkpoints of lab nat-lab:\n  demo  corp-dc01, member1, member2, web1, web2\n',
    );
    const unknown = await run(['checkpoint', FILE, '--delete', 'dmeo', '-y']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no lab VM has a checkpoint named "dmeo"');
    expect((await run(['checkpoint', FILE, '--delete', 'demo'])).code).toBe(1);
    const deleted = await run(['checkpoint', FILE, '--delete', 'demo', '-y']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('Delete checkpoint "demo" complete');
    expect((await run(['checkpoint', FILE, '--list'])).stdout).toBe('Lab nat-lab has no checkpoints.\n');
    expect((await run(['checkpoint', FILE, '--list', 'x'])).code).toBe(1);
  }, 120_000);

  it('console prints the vmconnect command; rdp writes a .rdp file for the guest address, without a password', async () => {
    const console = await run(['console', FILE, 'web2']);
    expect(console.code).toBe(0);
    expect(console.stdout).toBe(
      'the simulator has no console; on a real host run:\n  vmconnect.exe localhost "web2"\n',
    );
    const out = path.join(await tempDir('labform-rdp-'), 'dc.rdp');
    const rdp = await run(['rdp', FILE, 'corp-dc01', '--out', out]);
    expect(rdp.code).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text).toMatch(/^full address:s:192\.168\.60\.\d+\r\n/);
    expect(text).toContain('username:s:CORP\\Administrator\r\n');
    expect(text).not.toMatch(/password/i);
    const secret = (await readFile(path.resolve('examples/secrets/lab-admin.txt'), 'utf8')).trim();
    expect(text).not.toContain(secret);
  });
});
