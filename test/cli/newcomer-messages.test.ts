import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../src/cli/io.js';
import type { ExecuteResult } from '../../src/executor/events.js';
import { formatSummary } from '../../src/render/summary.js';
import { SIM, cli } from '../support/cli-harness.js';

// What a newcomer sees: every message names what the user gave and what would be accepted.
const FILE = path.resolve('test/fixtures/plan/plan-lab.yaml');
const dir = mkdtempSync(path.join(tmpdir(), 'labform-newcomer-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const stateDir = () => mkdtempSync(path.join(tmpdir(), 'labform-newcomer-state-'));

describe('numeric flags echo the value and say what is accepted', () => {
  it.each(['abc', '0', '-5', ''])('--sim-speed %j', async (value) => {
    const run = await cli(['plan', FILE, '--sim', '--sim-speed', value]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error: option '--sim-speed <n>' argument '${value}' is invalid. It takes a positive number of simulated seconds per real second, such as 200 (the default) or 1000.`,
    );
    expect(run.stderr).not.toContain('NaN');
  });

  it.each(['x', '2.5', '0'])('--parallelism %j', async (value) => {
    const run = await cli(['apply', FILE, '--sim', '-y', '--parallelism', value]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error: option '--parallelism <n>' argument '${value}' is invalid. It takes a whole number of steps, 1 or more, such as 4.`,
    );
  });
});

describe('saved plan files that are not plans', () => {
  const hint = '  hint: save a plan with: labform plan FILE --out PLAN, then labform apply FILE PLAN';

  it('a file that does not exist: in words, with the way to make one', async () => {
    const missing = path.join(dir, 'nonexist.plan');
    const run = await cli(['apply', FILE, missing, ...SIM, '--state-dir', stateDir()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: cannot read the plan file ${missing}: no such file\n${hint}\n`);
  });

  it('a directory', async () => {
    const folder = path.join(dir, 'a-folder.plan');
    mkdirSync(folder, { recursive: true });
    const run = await cli(['apply', FILE, folder, ...SIM, '--state-dir', stateDir()]);
    expect(run.stderr).toContain(`error: cannot read the plan file ${folder}: it is a directory`);
  });

  it('not JSON, another format, or the right format with fields missing: each says which', async () => {
    const notJson = write('notjson.plan', 'labform will perform these actions\n');
    expect((await cli(['apply', FILE, notJson, ...SIM, '--state-dir', stateDir()])).stderr).toBe(
      `error: ${notJson} is not a labform plan: it is not JSON (a plan is the file written by plan --out)\n${hint}\n`,
    );
    const other = write('other.plan', JSON.stringify({ format: 'terraform-plan/4' }));
    expect((await cli(['apply', FILE, other, ...SIM, '--state-dir', stateDir()])).stderr).toBe(
      `error: ${other} is not a labform plan: its format is "terraform-plan/4", a plan has format "labform-plan/1"\n${hint}\n`,
    );
    const none = write('none.plan', JSON.stringify({ steps: [] }));
    expect((await cli(['apply', FILE, none, ...SIM, '--state-dir', stateDir()])).stderr).toContain(
      'is not a labform plan: it has no format field, a plan has format "labform-plan/1"',
    );
    const partial = write(
      'partial.plan',
      JSON.stringify({ format: 'labform-plan/1', lab: 'plantest', steps: [], changes: [] }),
    );
    const run = await cli(['apply', FILE, partial, ...SIM, '--state-dir', stateDir()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: ${partial} says format labform-plan/1 but is not a whole plan: manifest.file, manifest.sha256, liveFingerprint, summary, conflicts are missing or of the wrong type (was it cut short or edited?)\n${hint}\n`,
    );
  });

  it('plan --out prints the apply command with the flags that reach the same hosts', async () => {
    const state = stateDir();
    const out = path.join(dir, 'saved.plan');
    const run = await cli(['plan', FILE, ...SIM, '--state-dir', state, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `Saved the plan to ${out}; apply it with: labform apply ${FILE} ${out} --sim --state-dir ${state}\n`,
    );
  });
});

describe('the state directory', () => {
  it('one that cannot be created is named, with the reason in words, before anything runs', async () => {
    const notAFolder = path.join(write('a-file', 'x'), 'state');
    const run = await cli(['plan', FILE, '--sim', '--state-dir', notAFolder]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: cannot use the state directory ${notAFolder}: a part of the path is not a directory\n  hint: give --state-dir a folder you can create and write to\n`,
    );
  });
});

describe('labform schema', () => {
  it('--path prints the absolute path of the schema file, which exists', async () => {
    const run = await cli(['schema', '--path']);
    expect(run.code).toBe(0);
    const printed = run.stdout.trim();
    expect(path.isAbsolute(printed)).toBe(true);
    expect(printed.endsWith(path.join('schemas', 'lab.schema.json'))).toBe(true);
    expect(existsSync(printed)).toBe(true);
  });

  it('without --path prints the schema itself', async () => {
    const run = await cli(['schema']);
    expect(JSON.parse(run.stdout)).toMatchObject({ $id: expect.stringContaining('lab.schema.json') });
  });
});

describe('validate hints', () => {
  const head = (name: string) =>
    `apiVersion: labform/v1\nkind: Lab\nname: ${name}\nsettings:\n  storagePath: D:\\Labs\\{lab}\n`;

  it('a pattern error shows what the value should look like, not the field description', async () => {
    const file = write(
      'badname.yaml',
      `${head('Bad_Lab')}hosts:\n  - name: hv01\nvms:\n  - { name: a, host: hv01 }\n`,
    );
    const run = await cli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error[schema]: name: `Bad_Lab` is not valid');
    expect(run.stderr).toContain(
      'hint: expected a lab name: lowercase letters, digits and `-`, starting with a letter, at most 40 characters, e.g. `nat-lab`',
    );
    expect(run.stderr).not.toContain('the ownership mark uses it');
  });

  it('a manifest path that does not exist says where it was looked for', async () => {
    const run = await cli(['validate', 'no-such-lab.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'no-such-lab.yaml: error[file-unreadable]: cannot read no-such-lab.yaml: no such file',
    );
    expect(run.stderr).toContain(
      `hint: the path is read from the current folder (${process.cwd()}); give the path of the lab YAML file`,
    );
  });

  it('every pattern written inline in the schema has a description for its hint', async () => {
    const { describedPatterns } = await import('../../src/manifest/schema-validator.js');
    const schema = JSON.parse(readFileSync(path.resolve('schemas/lab.schema.json'), 'utf8')) as unknown;
    const inline = new Set<string>();
    const walk = (node: unknown, inDefs: boolean): void => {
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (!inDefs && typeof o.pattern === 'string') inline.add(o.pattern);
      for (const [k, v] of Object.entries(o)) walk(v, inDefs || k === '$defs');
    };
    walk(schema, false);
    expect([...inline].filter((p) => !describedPatterns().includes(p))).toEqual([]);
  });

  it('a VM on another host than its NAT network: move the VM, not "add a host" to a NAT', async () => {
    const file = write(
      'nat-host.yaml',
      `${head('nat-host')}hosts:\n  - name: hv01\n  - name: hv02\nnetworks:\n  - { name: LabNat, type: nat, host: hv01, prefix: 192.168.70.0/24 }\nvms:\n  - { name: a, host: hv02, network: [{ network: LabNat }] }\n`,
    );
    const run = await cli(['validate', file]);
    expect(run.stderr).toContain(
      'error[network-host]: vm a runs on host hv02, but network LabNat exists only on hv01',
    );
    expect(run.stderr).toContain(
      'hint: a nat network is on exactly one host (WinNAT is per host): put the VM on hv01 (host: hv01), or give hv02 a network of its own',
    );
    expect(run.stderr).not.toContain("to the network's hosts");
  });

  it('an unquoted {n} name in a flow map gives one error with the fix, not a cascade', async () => {
    const file = write(
      'flow.yaml',
      `${head('flow')}hosts:\n  - name: hv01\nvms:\n  - { name: web{n}, host: hv01, count: 2, memory: 1GB }\n`,
    );
    const run = await cli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `${file}:9:13: error[yaml-syntax]: \`web{n}\` must be quoted here: YAML reads \`{\` as the start of a map\n  hint: write 'web{n}' (in quotes), or write the entry one key per line\n${file}: 1 error, 0 warnings\n`,
    );
    const quoted = write(
      'flow-quoted.yaml',
      `${head('flow')}hosts:\n  - name: hv01\nvms:\n  - { name: 'web{n}', host: hv01, count: 2, memory: 1GB }\n`,
    );
    expect((await cli(['validate', quoted])).stderr).not.toContain('yaml-syntax');
  });
});

describe('summaries count in the right number', () => {
  const result = (criticalSteps: number, retries: number): ExecuteResult =>
    ({
      steps: [{}, {}],
      rootCauses: [],
      counts: { done: 2, 'skipped-done': 0, failed: 0, 'skipped-dependency': 0, cancelled: 0 },
      interrupted: false,
      startedAt: 0,
      endedAt: 17_000,
      makespanMs: 17_000,
      criticalPath: { ms: 17_000, steps: Array.from({ length: criticalSteps }, (_, i) => `s${i}`) },
      sequentialMs: 20_000,
      retries,
    }) as unknown as ExecuteResult;

  it('1 step, 1 retry; 2 steps, 2 retries', () => {
    expect(formatSummary(result(1, 1), { verb: 'Apply', command: 'apply' })).toContain(
      'Critical path 17s (1 step); 20s of step time in all; 1 retry.',
    );
    expect(formatSummary(result(2, 2), { verb: 'Apply', command: 'apply' })).toContain(
      'Critical path 17s (2 steps); 20s of step time in all; 2 retries.',
    );
  });
});

describe('counted nouns', () => {
  it('1 VM, 2 VMs', async () => {
    const { counted } = await import('../../src/model/plural.js');
    expect([counted(1, 'VM'), counted(2, 'VM'), counted(0, 'step'), counted(1, 'retry', 'retries')]).toEqual([
      '1 VM',
      '2 VMs',
      '0 steps',
      '1 retry',
    ]);
  });
});

describe('step titles read the same in every command', () => {
  it('apply and checkpoint title the start and the waits of a VM alike', async () => {
    const state = stateDir();
    const apply = await cli(['apply', FILE, '-y', ...SIM, '--state-dir', state]);
    expect(apply.code).toBe(0);
    const checkpoint = await cli(['checkpoint', FILE, 'cp1', '-y', ...SIM, '--state-dir', state]);
    expect(checkpoint.code).toBe(0);
    const started = (out: string) =>
      new Set(out.split('\n').flatMap((l) => /\sstart {3}(.*) \[hv01\]$/.exec(l)?.[1] ?? []));
    const shared = [
      'start VM dc01',
      'wait for the heartbeat of dc01',
      'wait for PowerShell Direct into dc01',
    ];
    for (const title of shared) {
      expect(started(apply.stdout)).toContain(title);
      expect(started(checkpoint.stdout)).toContain(title);
    }
    expect(started(checkpoint.stdout)).toContain('checkpoint VM dc01 as "cp1"');
  });

  it('a Linux VM waits for SSH under an id that says ssh', async () => {
    const file = path.resolve('examples/linux-cluster.yaml');
    const run = await cli(['graph', file, '--format', 'mermaid', ...SIM, '--state-dir', stateDir()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\/wait-ssh<br\/>wait for SSH into /);
    expect(run.stdout).not.toContain('wait-powershell-direct');
    expect(run.stdout).not.toContain('wait for PowerShell Direct');
  });
});

describe('colour', () => {
  it('on a terminal by default; FORCE_COLOR forces it when piped; NO_COLOR and --no-color turn it off', () => {
    expect(colorEnabled({ isTTY: true, env: {} })).toBe(true);
    expect(colorEnabled({ isTTY: false, env: {} })).toBe(false);
    expect(colorEnabled({ isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(colorEnabled({ isTTY: false, env: { FORCE_COLOR: '' } })).toBe(true);
    expect(colorEnabled({ isTTY: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(colorEnabled({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colorEnabled({ isTTY: false, env: { FORCE_COLOR: '1' }, noColorFlag: true })).toBe(false);
  });
});
