/**
 * What the simulated guest does with a command from `labform exec`: a small, defined set of
 * behaviours, each as the real shell shows it. Anything else fails the way the real shell
 * fails for an unknown command, so a test or a demo never gets an invented success.
 *
 * Windows (the text runs as `powershell.exe -NoProfile -NonInteractive -Command`):
 *   echo / Write-Output ARGS (one line per argument), Write-Host ARGS (one line), hostname,
 *   $env:COMPUTERNAME, whoami, Get-Content / cat / type PATH, Test-Path PATH, Get-ChildItem /
 *   dir / ls [PATH], New-Item -ItemType Directory PATH / mkdir / md PATH, Write-Error MSG,
 *   exit N. Statements are separated by `;` or new lines; a failed statement does not stop the
 *   next; the exit code is N after `exit N`, else 1 when the last statement failed, else 0
 *   (powershell.exe -Command's rule: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_powershell_exe).
 * Linux (a bash command line): echo ARGS, hostname, whoami, cat PATH, ls [PATH], mkdir [-p] PATH,
 *   test -e|-f|-d PATH, true, false, uname [-s], exit N; `;`, `&&` and new lines. An unknown
 *   command exits 127 with bash's "command not found"; the exit code is the last command's.
 */
import type { GuestOutput } from '../../guest-shell.js';
import type { SimGuest } from '../sim-state.js';
import { GuestFileSystem } from './guest-files.js';

export interface GuestCommandRun {
  output: GuestOutput[];
  exitCode: number;
}

interface Statement {
  words: string[];
  /** Joined to the previous one with `&&` (run only when it succeeded). */
  and: boolean;
}

/** Splits a command line into statements and words, honouring '…' and "…" quoting. */
export function parseStatements(text: string): Statement[] {
  const statements: Statement[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | null = null;
  let and = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endStatement = (nextAnd: boolean) => {
    endWord();
    if (words.length > 0) statements.push({ words, and });
    words = [];
    and = nextAnd;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '&' && text[i + 1] === '&') {
      endStatement(true);
      i++;
    } else if (c === ';' || c === '\n' || c === '\r') endStatement(false);
    else if (c === ' ' || c === '\t') endWord();
    else {
      word += c;
      inWord = true;
    }
  }
  endStatement(false);
  return statements;
}

interface Shell {
  guest: SimGuest;
  user: string;
  fs: GuestFileSystem;
  now: number;
  out: GuestOutput[];
}

const stdout = (sh: Shell, text: string) => sh.out.push({ stream: 'stdout', text });
const stderr = (sh: Shell, text: string) => sh.out.push({ stream: 'stderr', text });

function contentLines(content: string): string[] {
  const text = Buffer.from(content, 'base64').toString('utf8');
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function whoami(sh: Shell): string {
  const user = sh.user;
  if (sh.guest.os === 'linux') return user;
  if (user.includes('\\')) return user.toLowerCase();
  if (user.includes('@'))
    return `${user.split('@')[1]!.split('.')[0]!}\\${user.split('@')[0]!}`.toLowerCase();
  return `${sh.guest.computerName}\\${user}`.toLowerCase();
}

/** Windows PowerShell statements; returns whether the statement succeeded ($?), or an exit code. */
function windowsStatement(sh: Shell, words: string[]): boolean | { exit: number } {
  const [name, ...args] = words as [string, ...string[]];
  const cmd = name.toLowerCase();
  const pathArg = () => args.filter((a) => !a.startsWith('-'))[0];
  const notFound = (p: string, cmdlet: string) => {
    stderr(sh, `${cmdlet} : Cannot find path '${sh.fs.resolve(p)}' because it does not exist.`);
    return false;
  };
  switch (cmd) {
    case 'echo':
    case 'write-output':
    case 'write':
      for (const a of args) stdout(sh, a);
      return true;
    case 'write-host':
      stdout(sh, args.join(' '));
      return true;
    case 'hostname':
    case '$env:computername':
      stdout(sh, sh.guest.computerName);
      return true;
    case 'whoami':
      stdout(sh, whoami(sh));
      return true;
    case 'exit': {
      const n = args.length === 0 ? 0 : Number(args[0]);
      return { exit: Number.isInteger(n) ? n : 1 };
    }
    case 'write-error':
      stderr(sh, `${args.join(' ')}`);
      return false;
    case 'get-content':
    case 'cat':
    case 'type':
    case 'gc': {
      const p = pathArg();
      if (!p) return notFound('', 'Get-Content');
      const file = sh.fs.file(p);
      if (!file) return notFound(p, 'Get-Content');
      for (const line of contentLines(file.content)) stdout(sh, line);
      return true;
    }
    case 'test-path': {
      const p = pathArg() ?? '';
      stdout(sh, sh.fs.file(p) || sh.fs.folderExists(p) ? 'True' : 'False');
      return true;
    }
    case 'get-childitem':
    case 'dir':
    case 'ls':
    case 'gci': {
      const p = pathArg() ?? '.';
      if (!sh.fs.folderExists(p)) return notFound(p, 'Get-ChildItem');
      for (const f of sh.fs.list(p)) stdout(sh, `${sh.fs.paths.base(f.path)}  ${f.size}`);
      return true;
    }
    case 'new-item':
    case 'mkdir':
    case 'md': {
      const p = pathArg();
      if (
        cmd === 'new-item' &&
        !args.some((a, i) => a.toLowerCase() === '-itemtype' && args[i + 1]?.toLowerCase() === 'directory')
      )
        break;
      if (!p) break;
      stdout(sh, sh.fs.makeFolder(p));
      return true;
    }
    default:
      break;
  }
  stderr(
    sh,
    `${name} : The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
  );
  return false;
}

/** bash; returns the exit status, or an exit code that ends the script. */
function linuxStatement(sh: Shell, words: string[]): number | { exit: number } {
  const [cmd, ...args] = words as [string, ...string[]];
  const operands = args.filter((a) => !a.startsWith('-'));
  switch (cmd) {
    case 'echo':
      stdout(sh, args.join(' '));
      return 0;
    case 'hostname':
      stdout(sh, sh.guest.computerName);
      return 0;
    case 'whoami':
      stdout(sh, whoami(sh));
      return 0;
    case 'true':
      return 0;
    case 'false':
      return 1;
    case 'uname':
      stdout(sh, 'Linux');
      return 0;
    case 'exit': {
      const n = args.length === 0 ? 0 : Number(args[0]);
      return { exit: Number.isInteger(n) ? ((n % 256) + 256) % 256 : 2 };
    }
    case 'cat': {
      let status = 0;
      for (const p of operands) {
        const file = sh.fs.file(p);
        if (!file) {
          stderr(sh, `cat: ${p}: No such file or directory`);
          status = 1;
        } else for (const line of contentLines(file.content)) stdout(sh, line);
      }
      return status;
    }
    case 'ls': {
      const p = operands[0] ?? '.';
      if (!sh.fs.folderExists(p)) {
        stderr(sh, `ls: cannot access '${p}': No such file or directory`);
        return 2;
      }
      for (const f of sh.fs.list(p)) stdout(sh, sh.fs.paths.base(f.path));
      return 0;
    }
    case 'mkdir': {
      for (const p of operands) {
        if (!args.includes('-p') && !sh.fs.folderExists(sh.fs.paths.parent(sh.fs.resolve(p)))) {
          stderr(sh, `mkdir: cannot create directory '${p}': No such file or directory`);
          return 1;
        }
        sh.fs.makeFolder(p);
      }
      return 0;
    }
    case 'test': {
      const [flag, p] = args;
      if (!p) return 1;
      const exists =
        flag === '-d'
          ? sh.fs.folderExists(p)
          : flag === '-f'
            ? Boolean(sh.fs.file(p))
            : Boolean(sh.fs.file(p)) || sh.fs.folderExists(p);
      return exists ? 0 : 1;
    }
    default:
      stderr(sh, `bash: line 1: ${cmd}: command not found`);
      return 127;
  }
}

/** Runs `command` in the guest as `user`; changes the guest's files and folders as the command does. */
export function runGuestCommand(options: {
  guest: SimGuest;
  user: string;
  command: string;
  now: number;
}): GuestCommandRun {
  const sh: Shell = {
    guest: options.guest,
    user: options.user,
    fs: new GuestFileSystem(options.guest, options.user),
    now: options.now,
    out: [],
  };
  const statements = parseStatements(options.command);
  if (options.guest.os === 'windows') {
    let ok = true;
    for (const s of statements) {
      const result = windowsStatement(sh, s.words);
      if (typeof result === 'object') return { output: sh.out, exitCode: result.exit };
      ok = result;
    }
    return { output: sh.out, exitCode: ok ? 0 : 1 };
  }
  let status = 0;
  for (const s of statements) {
    if (s.and && status !== 0) continue;
    const result = linuxStatement(sh, s.words);
    if (typeof result === 'object') return { output: sh.out, exitCode: result.exit };
    status = result;
  }
  return { output: sh.out, exitCode: status };
}
