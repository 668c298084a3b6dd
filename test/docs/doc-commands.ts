/**
 * Extracts the shell commands shown in the docs' ```sh blocks, so a test can run them on the
 * simulator. A block preceded by `<!-- no-test: reason -->` is skipped (it needs a real host,
 * or installs things). A trailing `# exit N` comment on a line is the exit code the command
 * must end with (default 0); other trailing comments are ignored.
 */
export interface DocCommand {
  file: string;
  /** 1-based line of the command in the doc. */
  line: number;
  /** The command as the doc shows it (continuations joined, comment removed). */
  text: string;
  expectedExit: number;
}

export interface DocBlock {
  file: string;
  line: number;
  skipped?: string;
  commands: DocCommand[];
}

const NO_TEST = /^<!--\s*no-test:\s*(.*?)\s*-->$/;

export function extractBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  let pendingSkip: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    const skip = NO_TEST.exec(trimmed);
    if (skip) {
      pendingSkip = skip[1] || 'no reason given';
      continue;
    }
    if (trimmed.startsWith('```')) {
      const lang = trimmed.slice(3).trim();
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith('```'); i++) body.push(lines[i]!);
      if (lang === 'sh' || lang === 'bash' || lang === 'shell') {
        blocks.push({ file, line: start + 1, skipped: pendingSkip, commands: commandsOf(file, start + 2, body) });
      }
      pendingSkip = undefined;
      continue;
    }
    // A no-test marker applies to the next block only if nothing but blank lines come between.
    if (trimmed !== '') pendingSkip = undefined;
  }
  return blocks;
}

function commandsOf(file: string, firstLine: number, body: string[]): DocCommand[] {
  const out: DocCommand[] = [];
  for (let i = 0; i < body.length; i++) {
    const line = firstLine + i;
    let text = body[i]!;
    while (text.trimEnd().endsWith('\\') && i + 1 < body.length) text = `${text.trimEnd().slice(0, -1).trimEnd()} ${body[++i]!.trim()}`;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const exit = /\s#\s*exit\s+(\d+)\s*$/.exec(trimmed);
    const withoutComment = trimmed.replace(/\s#\s.*$/, '').trim();
    out.push({ file, line, text: withoutComment, expectedExit: exit ? Number(exit[1]) : 0 });
  }
  return out;
}

/** Subcommands that read or change hosts: the test adds `--sim` where the doc means a real host. */
const HOST_COMMANDS = new Set(['plan', 'apply', 'destroy', 'show', 'graph', 'checkpoint', 'restore', 'exec', 'cp', 'console', 'rdp', 'start', 'stop', 'report']);

/**
 * The command as the test runs it: `npx labform` / `labform` -> this checkout's CLI, `--sim`
 * added to commands that reach hosts, and the test's own `--state-dir`.
 */
export function forSimulator(text: string, options: { cli: string; stateDir: string }): string {
  const invoke = `"${process.execPath}" "${options.cli}"`;
  let rewritten = text.replace(/(^|[\s;&|(])(?:npx\s+)?labform(?=\s)/g, (_m, before: string) => `${before}${invoke}`);
  if (rewritten === text) return text;
  const sub = /labform\.js"\s+(\S+)/.exec(rewritten)?.[1];
  // Options go before a `--` (what follows it is a guest command: `labform exec FILE VM -- …`).
  const separator = rewritten.indexOf(' -- ');
  let head = separator >= 0 ? rewritten.slice(0, separator) : rewritten;
  const tail = separator >= 0 ? rewritten.slice(separator) : '';
  if (sub && HOST_COMMANDS.has(sub) && !/\s--sim(\s|$)/.test(head)) head += ' --sim';
  if (!/\s--state-dir\s/.test(head)) head += ` --state-dir "${options.stateDir}"`;
  return head + tail;
}
