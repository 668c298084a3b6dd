/**
 * Reads the shell commands of the docs' ```sh blocks, so a test can run them exactly as
 * written. How a page tells the test what a block is (an HTML comment on the line(s) right
 * before the block, blank lines allowed in between):
 *
 * - no marker: the block runs as written, in a temp copy of the checkout's `examples/`
 *   (`npx labform` / `labform` is this checkout's CLI, as `npx labform` is in a checkout).
 *   Commands that reach hosts must say `--sim`: nothing is added.
 * - `<!-- real-host: reason -->`: meant for a real Hyper-V host; skipped. Its labform
 *   commands must not say `--sim` (else they belong in a run block).
 * - `<!-- no-test: reason -->`: not a labform command the test can run (installs, clones,
 *   benchmarks, commands outside a checkout); skipped.
 * - `<!-- edit: FILE | OLD | NEW -->` (any number): a hand edit the prose asks for; the test
 *   replaces the first OLD in FILE by NEW before running the block.
 * - `<!-- output -->` before a ```text block: what the last command run before it prints.
 *   Every line of the block but blank lines and `...` must appear in that command's stdout,
 *   in that order (trailing spaces ignored); `…` within a line stands for any text (a time
 *   that varies from run to run).
 *
 * A trailing `# exit N` comment on a command is the exit code it must end with (default 0);
 * other trailing comments are ignored. ```powershell blocks are never run.
 */
export interface DocCommand {
  file: string;
  /** 1-based line of the command in the doc. */
  line: number;
  /** The command as the doc shows it (continuations joined, comment removed). */
  text: string;
  expectedExit: number;
}

export interface DocEdit {
  file: string;
  from: string;
  to: string;
}

export interface DocBlock {
  file: string;
  line: number;
  kind: 'run' | 'real-host' | 'no-test';
  /** Why a skipped block is skipped. */
  reason?: string;
  edits: DocEdit[];
  commands: DocCommand[];
  /** The `<!-- output -->` text block that follows, if any: lines the last command prints. */
  output?: { line: number; lines: string[] };
}

const MARKER = /^<!--\s*(real-host|no-test|edit|output)\s*(?::\s*(.*?))?\s*-->$/;

export function extractBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  let pending: { kind?: 'real-host' | 'no-test'; reason?: string; edits: DocEdit[]; output: boolean } = {
    edits: [],
    output: false,
  };
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    const marker = MARKER.exec(trimmed);
    if (marker) {
      const [, name, arg = ''] = marker;
      if (name === 'real-host' || name === 'no-test')
        pending = { ...pending, kind: name, reason: arg || 'no reason given' };
      else if (name === 'output') pending = { ...pending, output: true };
      else {
        const parts = arg.split('|').map((s) => s.trim());
        if (parts.length !== 3 || !parts[0] || !parts[1])
          throw new Error(`${file}:${i + 1}: an edit marker is <!-- edit: FILE | OLD | NEW -->`);
        pending.edits.push({ file: parts[0], from: parts[1], to: parts[2]! });
      }
      continue;
    }
    if (trimmed.startsWith('```')) {
      const lang = trimmed.slice(3).trim();
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith('```'); i++) body.push(lines[i]!);
      if (lang === 'sh' || lang === 'bash' || lang === 'shell') {
        if (pending.output)
          throw new Error(`${file}:${start + 1}: an output marker goes before a \`\`\`text block`);
        blocks.push({
          file,
          line: start + 1,
          kind: pending.kind ?? 'run',
          reason: pending.reason,
          edits: pending.edits,
          commands: commandsOf(file, start + 2, body),
        });
      } else if (pending.output) {
        const last = blocks.at(-1);
        if (!last || last.kind !== 'run')
          throw new Error(`${file}:${start + 1}: an output block must follow a block the test runs`);
        last.output = {
          line: start + 1,
          lines: body.map((l) => l.trimEnd()).filter((l) => l.trim() !== '' && l.trim() !== '...'),
        };
      }
      pending = { edits: [], output: false };
      continue;
    }
    // A marker applies to the next block only if nothing but blank lines come between.
    if (trimmed !== '') pending = { edits: [], output: false };
  }
  return blocks;
}

function commandsOf(file: string, firstLine: number, body: string[]): DocCommand[] {
  const out: DocCommand[] = [];
  for (let i = 0; i < body.length; i++) {
    const line = firstLine + i;
    let text = body[i]!;
    while (text.trimEnd().endsWith('\\') && i + 1 < body.length)
      text = `${text.trimEnd().slice(0, -1).trimEnd()} ${body[++i]!.trim()}`;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const exit = /\s#\s*exit\s+(\d+)\s*$/.exec(trimmed);
    const withoutComment = trimmed.replace(/\s#\s.*$/, '').trim();
    out.push({ file, line, text: withoutComment, expectedExit: exit ? Number(exit[1]) : 0 });
  }
  return out;
}

/** Subcommands that read or change hosts: on the simulator they must say `--sim`. */
export const HOST_COMMANDS = new Set([
  'plan',
  'apply',
  'destroy',
  'show',
  'graph',
  'checkpoint',
  'restore',
  'exec',
  'cp',
  'console',
  'rdp',
  'start',
  'stop',
  'report',
]);

const LABFORM = /(^|[\s;&|(])(?:npx\s+)?labform(?=\s)/g;

/** The labform subcommand a command line runs (undefined when it runs no labform). */
export function labformSubcommand(text: string): string | undefined {
  const m = /(?:^|[\s;&|(])(?:npx\s+)?labform\s+(\S+)/.exec(text);
  return m?.[1];
}

/**
 * What a command needs that it does not say: a host command without `--sim` in a block the
 * test runs, or with `--sim` in a block marked real-host. Undefined when the command is fine.
 */
export function missingFromCommand(command: DocCommand, kind: DocBlock['kind']): string | undefined {
  const sub = labformSubcommand(command.text);
  if (!sub || !HOST_COMMANDS.has(sub)) return undefined;
  // `show PLANFILE` prints a saved plan (the docs name them *.plan, as `plan --out` wrote them): no host.
  if (sub === 'show' && /(?:^|[\s;&|(])(?:npx\s+)?labform\s+show\s+\S+\.plan(\s|$)/.test(command.text))
    return undefined;
  // Options go before a `--` (what follows it is a guest command: `labform exec FILE VM -- …`).
  const separator = command.text.indexOf(' -- ');
  const sim = /\s--sim(\s|$)/.test(separator >= 0 ? command.text.slice(0, separator) : command.text);
  if (kind === 'run' && !sim)
    return `\`${sub}\` reaches hosts: say --sim, or mark the block <!-- real-host: reason -->`;
  if (kind === 'real-host' && sim) return 'a block marked real-host says --sim: run it (drop the marker)';
  return undefined;
}

/** The command as the test runs it: `npx labform` / `labform` -> this checkout's CLI; nothing else changes. */
export function withCheckoutCli(text: string, cli: string): string {
  return text.replace(LABFORM, (_m, before: string) => `${before}"${process.execPath}" "${cli}"`);
}

/** The lines of `expected` that are not in `actual` in order (trailing spaces ignored); [] when all are. */
export function missingOutputLines(expected: string[], actual: string): string[] {
  const have = actual.split(/\r?\n/).map((l) => l.trimEnd());
  const missing: string[] = [];
  let at = 0;
  for (const line of expected) {
    const pattern = new RegExp(
      `^${line
        .split('…')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    const found = have.findIndex((l, i) => i >= at && pattern.test(l));
    if (found === -1) missing.push(line);
    else at = found + 1;
  }
  return missing;
}
