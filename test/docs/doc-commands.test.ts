import { describe, expect, it } from 'vitest';
import { extractBlocks, forSimulator } from './doc-commands.js';

const md = [
  '# Title',
  '```sh',
  'npx labform validate examples/nat-lab.yaml',
  'npx labform plan examples/nat-lab.yaml --sim --detailed-exitcode   # exit 2',
  '# a comment line',
  'LABFORM_SIM_FAIL=createVm:web1 npx labform apply \\',
  '  examples/nat-lab.yaml --sim -y   # exit 3',
  '```',
  '',
  '<!-- no-test: needs a Hyper-V host -->',
  '',
  '```sh',
  'npx labform apply examples/nat-lab.yaml',
  '```',
  '<!-- no-test: stale marker -->',
  'some prose',
  '```sh',
  'npx labform show examples/nat-lab.yaml',
  '```',
  '```text',
  'labform will perform these actions',
  '```',
].join('\n');

describe('extracting the docs commands', () => {
  const blocks = extractBlocks('x.md', md);

  it('finds sh blocks only, with their lines, expected exit codes and continuations', () => {
    expect(blocks).toHaveLength(3);
    expect(blocks[0]!.commands.map((c) => [c.line, c.text, c.expectedExit])).toEqual([
      [3, 'npx labform validate examples/nat-lab.yaml', 0],
      [4, 'npx labform plan examples/nat-lab.yaml --sim --detailed-exitcode', 2],
      [6, 'LABFORM_SIM_FAIL=createVm:web1 npx labform apply examples/nat-lab.yaml --sim -y', 3],
    ]);
  });

  it('skips a block marked no-test right before it, and only that block', () => {
    expect(blocks.map((b) => b.skipped)).toEqual([undefined, 'needs a Hyper-V host', undefined]);
  });

  it('rewrites labform to the checkout CLI with the simulator and a state dir', () => {
    const options = { cli: '/repo/bin/labform.js', stateDir: '/tmp/s' };
    expect(forSimulator('npx labform apply examples/a.yaml -y', options)).toBe(`"${process.execPath}" "/repo/bin/labform.js" apply examples/a.yaml -y --sim --state-dir "/tmp/s"`);
    expect(forSimulator('npx labform validate examples/a.yaml', options)).toBe(`"${process.execPath}" "/repo/bin/labform.js" validate examples/a.yaml --state-dir "/tmp/s"`);
    expect(forSimulator('X=1 labform show a.yaml --sim', options)).toBe(`X=1 "${process.execPath}" "/repo/bin/labform.js" show a.yaml --sim --state-dir "/tmp/s"`);
    expect(forSimulator('ls examples/labform-x', options)).toBe('ls examples/labform-x');
    expect(forSimulator('labform exec a.yaml dc01 -- hostname --sim', options)).toBe(`"${process.execPath}" "/repo/bin/labform.js" exec a.yaml dc01 --sim --state-dir "/tmp/s" -- hostname --sim`);
  });
});
