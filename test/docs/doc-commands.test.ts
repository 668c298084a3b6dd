import { describe, expect, it } from 'vitest';
import { extractBlocks, missingFromCommand, missingOutputLines, withCheckoutCli } from './doc-commands.js';

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
  '<!-- real-host: needs a Hyper-V host -->',
  '',
  '```sh',
  'npx labform apply examples/nat-lab.yaml',
  '```',
  '<!-- no-test: stale marker -->',
  'some prose',
  '<!-- edit: examples/nat-lab.yaml | processors: 2 | processors: 4 -->',
  '```sh',
  'npx labform show examples/nat-lab.yaml --sim',
  '```',
  '<!-- output -->',
  '```text',
  'labform will perform these actions',
  '...',
  '',
  'Plan: 1 to add',
  '```',
  '```powershell',
  'Get-VM',
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

  it('reads a marker right before a block, and only for that block', () => {
    expect(blocks.map((b) => [b.kind, b.reason])).toEqual([
      ['run', undefined],
      ['real-host', 'needs a Hyper-V host'],
      ['run', undefined],
    ]);
    expect(blocks[2]!.edits).toEqual([
      { file: 'examples/nat-lab.yaml', from: 'processors: 2', to: 'processors: 4' },
    ]);
    expect(blocks[0]!.edits).toEqual([]);
  });

  it('attaches a marked text block as the output of the block before it, without blanks and ...', () => {
    expect(blocks[2]!.output).toEqual({
      line: 22,
      lines: ['labform will perform these actions', 'Plan: 1 to add'],
    });
    expect(blocks[0]!.output).toBeUndefined();
  });

  it('rejects an output marker with no block run before it', () => {
    expect(() => extractBlocks('y.md', ['<!-- output -->', '```text', 'x', '```'].join('\n'))).toThrow(
      /y\.md:2: an output block must follow/,
    );
  });

  it('says what a command needs and does not say', () => {
    const c = (text: string) => ({ file: 'x.md', line: 1, text, expectedExit: 0 });
    expect(missingFromCommand(c('npx labform plan examples/a.yaml --detailed-exitcode'), 'run')).toMatch(
      /say --sim, or mark the block <!-- real-host/,
    );
    expect(missingFromCommand(c('npx labform plan examples/a.yaml --sim'), 'run')).toBeUndefined();
    expect(missingFromCommand(c('npx labform validate examples/a.yaml'), 'run')).toBeUndefined();
    expect(missingFromCommand(c('npx labform apply examples/a.yaml'), 'real-host')).toBeUndefined();
    expect(missingFromCommand(c('npx labform apply examples/a.yaml --sim -y'), 'real-host')).toMatch(
      /says --sim: run it/,
    );
    // After `--` comes the guest's command: a --sim there is not labform's.
    expect(missingFromCommand(c('npx labform exec a.yaml dc01 -- hostname --sim'), 'run')).toMatch(
      /`exec` reaches hosts/,
    );
    expect(missingFromCommand(c('npx labform exec a.yaml dc01 --sim -- hostname'), 'run')).toBeUndefined();
  });

  it('runs labform as the checkout CLI and changes nothing else', () => {
    expect(withCheckoutCli('npx labform apply examples/a.yaml -y', '/repo/bin/labform.js')).toBe(
      `"${process.execPath}" "/repo/bin/labform.js" apply examples/a.yaml -y`,
    );
    expect(withCheckoutCli('X=1 labform show a.yaml --sim', '/repo/bin/labform.js')).toBe(
      `X=1 "${process.execPath}" "/repo/bin/labform.js" show a.yaml --sim`,
    );
    expect(withCheckoutCli('ls examples/labform-x', '/repo/bin/labform.js')).toBe('ls examples/labform-x');
  });

  it('finds the output lines in order, ignoring trailing spaces', () => {
    expect(missingOutputLines(['a', 'c'], 'a  \nb\nc\n')).toEqual([]);
    expect(missingOutputLines(['c', 'a'], 'a\nb\nc\n')).toEqual(['a']);
    expect(missingOutputLines(['  + x'], '+ x\n')).toEqual(['  + x']);
    expect(missingOutputLines(['after 10m… (OK 0 of 3 polls)'], 'after 10m1s (OK 0 of 3 polls)\n')).toEqual(
      [],
    );
    expect(missingOutputLines(['after 10m… (OK 0 of 3 polls)'], 'after 10m1s (OK 1 of 3 polls)\n')).toEqual([
      'after 10m… (OK 0 of 3 polls)',
    ]);
    expect(missingOutputLines(['a (b) [c]'], 'a (b) [c]\n')).toEqual([]);
  });
});
