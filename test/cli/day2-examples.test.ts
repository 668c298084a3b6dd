import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../support/cli-harness.js';
import { loadLab } from '../../src/manifest/load-lab.js';

// Waits want a stable heartbeat over several polls: a simulated speed a loaded machine keeps up with.
const SIM = ['--sim', '--sim-speed', '300'];
const EXAMPLES = ['gpu-passthrough', 'guarded-fabric', 'linux-cluster', 'nat-lab'];

describe('every day-two verb on every example (simulator)', () => {
  for (const example of EXAMPLES) {
    it(`${example}: exec in every VM, cp in and out, console, rdp, stop, start, checkpoint, --list, --delete, report`, async () => {
      const FILE = path.resolve(`examples/${example}.yaml`);
      const { lab } = await loadLab({ file: FILE });
      const stateDir = await tempDir(`labform-${example}-`);
      const run = (args: string[]) => cli([args[0]!, ...SIM, '--state-dir', stateDir, ...args.slice(1)]);
      const applied = await run(['apply', FILE, '-y']);
      expect(applied.code, applied.stdout.split('\n').slice(-6).join('\n')).toBe(0);

      for (const vm of lab!.vms) {
        const r = await run(['exec', FILE, vm.name, '--', 'hostname']);
        expect({ vm: vm.name, ...r }).toEqual({
          vm: vm.name,
          code: 0,
          stdout: `${vm.os === 'linux' ? vm.computerName.toLowerCase() : vm.computerName}\n`,
          stderr: '',
        });
      }
      const first = lab!.vms[0]!;
      const linux = first.os === 'linux';
      const dir = await tempDir('labform-cp-');
      await writeFile(path.join(dir, 'notes.txt'), `${example}\n`);
      const folder = linux ? '/tmp/' : 'C:\\Windows\\Temp\\';
      expect((await run(['cp', FILE, path.join(dir, 'notes.txt'), `${first.name}:${folder}`])).code).toBe(0);
      const cat = await run([
        'exec',
        FILE,
        first.name,
        '--',
        linux ? 'cat /tmp/notes.txt' : 'Get-Content C:\\Windows\\Temp\\notes.txt',
      ]);
      expect(cat.stdout).toBe(`${example}\n`);
      expect(
        (await run(['cp', FILE, `${first.name}:${folder}notes.txt`, path.join(dir, 'back.txt')])).code,
      ).toBe(0);
      expect(await readFile(path.join(dir, 'back.txt'), 'utf8')).toBe(`${example}\n`);
      const unknown = await run(['exec', FILE, first.name, '--', 'no-such-tool']);
      expect(unknown.code).toBe(linux ? 127 : 1);

      expect((await run(['console', FILE, first.name])).stdout).toContain(`vmconnect.exe `);
      const rdp = await run(['rdp', FILE, first.name, '--out', path.join(dir, 'vm.rdp')]);
      if (linux) {
        expect(rdp.code).toBe(1);
        expect(rdp.stderr).toContain('is a Linux guest');
      } else {
        expect(rdp.code).toBe(0);
        expect(await readFile(path.join(dir, 'vm.rdp'), 'utf8')).toMatch(
          /^full address:s:\d+\.\d+\.\d+\.\d+\r\n/,
        );
      }

      const stopped = await run(['stop', FILE]);
      expect(stopped.code).toBe(0);
      expect([...stopped.stdout.matchAll(/done\s+stop VM (\S+)/g)].map((m) => m[1]).sort()).toEqual(
        lab!.vms.map((v) => v.name).sort(),
      );
      const started = await run(['start', FILE]);
      expect(started.code).toBe(0);
      expect(started.stdout).toMatch(/Start .* complete in .* of simulated time/);
      expect((await run(['exec', FILE, first.name, '--', 'hostname'])).code).toBe(0);
      expect((await run(['checkpoint', FILE, '--list'])).stdout).toBe(
        `Lab ${lab!.name} has no checkpoints.\n`,
      );
      const taken = await run(['checkpoint', FILE, 'demo', '-y']);
      expect(taken.code, taken.stdout.split('\n').slice(-6).join('\n')).toBe(0);
      expect((await run(['checkpoint', FILE, '--list'])).stdout).toBe(
        `Checkpoints of lab ${lab!.name}:\n  demo  ${lab!.vms.map((v) => v.name).join(', ')}\n`,
      );
      expect((await run(['checkpoint', FILE, '--delete', 'demo', '-y'])).code).toBe(0);
      const report = await run(['report', FILE, '--out', path.join(dir, 'lab.html')]);
      expect(report.stdout).toContain(
        `(topology, ${lab!.vms.length} VM${lab!.vms.length === 1 ? '' : 's'}, last apply:`,
      );
      const html = await readFile(path.join(dir, 'lab.html'), 'utf8');
      for (const vm of lab!.vms) expect(html).toContain(`data-kind="vm" data-name="${vm.name}"`);
    }, 300_000);
  }
});
