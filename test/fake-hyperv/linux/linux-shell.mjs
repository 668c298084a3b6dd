/**
 * The fake Linux guest's bash: the part of the language and the commands that labform's Linux
 * scripts and `labform exec` use, each as bash and GNU coreutils behave (bash(1):
 * https://www.gnu.org/software/bash/manual/bash.html; coreutils:
 * https://www.gnu.org/software/coreutils/manual/coreutils.html). Anything else fails as bash
 * fails for a command it cannot find ("bash: line N: NAME: command not found", exit 127), so
 * nothing gets an invented success.
 *
 * Language: words with '...', "..." (with $VAR, ${VAR}, $?, $(...)), backslash escapes and
 * `#` comments; simple commands with NAME=value assignments and redirections (>, >>, 2>, &>,
 * n>&m, <); pipelines `|` (and `!`); lists with `;`, newlines, `&&`, `||` and `&` (run to the end
 * before the next command: the fake guest has no clock of its own); `if/then/elif/else/fi`,
 * `while/do/done`, `{ list; }` groups; `${name#pattern}` and `${name%pattern}` (shortest match,
 * `*` and `?` globs); `set -e`, `set -u`, `set -o pipefail` (bash's rules: a failure inside a
 * condition or before the last `&&`/`||` does not end the script).
 * Commands: echo, printf, true, false, :, exit, test/[, set, cd, pwd, read (-r, -d DELIM; `IFS=`
 * before it keeps blanks), umask (octal), hostname, whoami, id, uname, cat, head, tail, ls, mkdir
 * (-p), touch, rm, mv (-f), chmod (octal modes), base64 (-d, -w COLS), stat (-c %s %n),
 * sha256sum, cut (-d -f, -c), find (paths, -type f|d, -name GLOB, -print, -print0; findutils:
 * https://www.gnu.org/software/findutils/manual/html_mono/find.html), bash/sh (-c, -s), sudo (-n:
 * the image's user may sudo without a password, docs/hyperv-hosts.md), nohup, sleep, reboot. The
 * listing labform runs for `files:` copies (src/providers/hyperv/guest/linux-guest.ts
 * copyListingScript) uses the group, the while loop, read -d "", find -print0, stat, sha256sum,
 * cut and base64 -w 0; the role records (recordRoleScript, roleListingScript) umask, mkdir -p,
 * chmod, printf into a file, mv -f, find -name and cat.
 * File modes are the real ones of the folder that holds the guest's files: the umask masks what
 * mkdir and a redirection create (bash(1), SHELL BUILTIN COMMANDS, umask: "the file creation mask
 * of the process"), as open(2) and mkdir(2) apply it.
 * The exec subset the simulator models (src/providers/sim/guest/guest-commands.ts) prints the
 * same lines and exit codes here.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  chmodSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

/** The folders every fresh guest has (src/providers/sim/guest/guest-files.ts LINUX_FOLDERS). */
const LINUX_FOLDERS = [
  '/',
  '/tmp',
  '/root',
  '/home',
  '/etc',
  '/opt',
  '/usr',
  '/usr/local',
  '/var',
  '/var/tmp',
  '/var/lib',
];

/** A guest's file system in a real folder: guest paths never leave it. */
export class GuestFiles {
  constructor(root, user) {
    this.root = root;
    this.home = user === 'root' ? '/root' : `/home/${user}`;
    for (const folder of [...LINUX_FOLDERS, this.home]) mkdirSync(this.local(folder), { recursive: true });
  }
  resolve(p, cwd = this.home) {
    return path.posix
      .normalize(path.posix.isAbsolute(p) ? p : path.posix.join(cwd, p))
      .replace(/(.)\/$/, '$1');
  }
  local(guestPath) {
    const clean = path.posix.normalize(`/${guestPath}`).replace(/^(\/\.\.)+/, '');
    return path.join(this.root, ...clean.split('/').filter(Boolean));
  }
  exists(p) {
    return existsSync(this.local(p));
  }
  isFolder(p) {
    return this.exists(p) && statSync(this.local(p)).isDirectory();
  }
  isFile(p) {
    return this.exists(p) && statSync(this.local(p)).isFile();
  }
}

class ExitSignal {
  constructor(code) {
    this.code = code;
  }
}

// ---------------------------------------------------------------- parser

const KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'fi', 'while', 'do', 'done']);
/** Words that start a compound command where a command may start. */
const OPENERS = new Set(['if', 'while', '{']);

function parse(src) {
  let i = 0;
  const lineAt = (at) => src.slice(0, at).split('\n').length;
  const blank = () => {
    for (;;) {
      if (src[i] === ' ' || src[i] === '\t' || src[i] === '\r') i++;
      else if (src[i] === '\\' && src[i + 1] === '\n') i += 2;
      else if (src[i] === '#') while (i < src.length && src[i] !== '\n') i++;
      else return;
    }
  };
  const space = () => {
    for (;;) {
      blank();
      if (src[i] === '\n') i++;
      else return;
    }
  };
  const keyword = () => {
    blank();
    // `{` and `}` are reserved words only as a word of their own (bash(1), Compound Commands).
    if ((src[i] === '{' || src[i] === '}') && /^[\s;&|]|^$/.test(src.slice(i + 1, i + 2))) return src[i];
    const m = /^[a-z]+(?=[\s;&|]|$)/.exec(src.slice(i));
    return m && KEYWORDS.has(m[0]) ? m[0] : undefined;
  };
  const expect = (word) => {
    if (keyword() !== word) throw new SyntaxError(`syntax error: expected \`${word}'`);
    i += word.length;
  };
  const dollar = () => {
    // At `$`: $(...), ${name}, $name, $? and the like; a lone `$` is literal.
    i++;
    if (src[i] === '(') {
      let depth = 1;
      const start = ++i;
      let quote = null;
      while (i < src.length && depth > 0) {
        const c = src[i];
        if (quote) {
          if (c === quote) quote = null;
          else if (c === '\\' && quote === '"') i++;
        } else if (c === "'" || c === '"') quote = c;
        else if (c === '(') depth++;
        else if (c === ')') depth--;
        i++;
      }
      return { t: 'cmd', src: src.slice(start, i - 1) };
    }
    if (src[i] === '{') {
      const end = src.indexOf('}', i);
      const name = src.slice(i + 1, end);
      i = end + 1;
      return { t: 'var', name };
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])/.exec(src.slice(i));
    if (!m) return { t: 'lit', v: '$' };
    i += m[0].length;
    return { t: 'var', name: m[0] };
  };
  const word = () => {
    const parts = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ t: 'lit', v: lit });
      lit = '';
    };
    while (i < src.length) {
      const c = src[i];
      if (' \t\r\n;&|<>()'.includes(c)) break;
      if (c === "'") {
        flush();
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new SyntaxError("unexpected EOF while looking for matching `''");
        parts.push({ t: 'sq', v: src.slice(i + 1, end) });
        i = end + 1;
      } else if (c === '"') {
        flush();
        i++;
        const inner = [];
        let text = '';
        while (i < src.length && src[i] !== '"') {
          if (src[i] === '\\' && '"\\$`\n'.includes(src[i + 1])) {
            if (src[i + 1] !== '\n') text += src[i + 1];
            i += 2;
          } else if (src[i] === '$') {
            if (text) inner.push({ t: 'lit', v: text });
            text = '';
            inner.push(dollar());
          } else text += src[i++];
        }
        if (src[i] !== '"') throw new SyntaxError('unexpected EOF while looking for matching `"\'');
        i++;
        if (text) inner.push({ t: 'lit', v: text });
        parts.push({ t: 'dq', parts: inner });
      } else if (c === '\\') {
        if (src[i + 1] !== '\n') lit += src[i + 1] ?? '';
        i += 2;
      } else if (c === '$') {
        flush();
        parts.push(dollar());
      } else {
        lit += c;
        i++;
      }
    }
    flush();
    return parts;
  };
  const command = () => {
    blank();
    if (keyword() === 'if') {
      i += 2;
      const clauses = [];
      const cond = list(new Set(['then']));
      expect('then');
      clauses.push({ cond, body: list(new Set(['elif', 'else', 'fi'])) });
      let elseBody;
      for (;;) {
        const k = keyword();
        if (k === 'elif') {
          i += 4;
          const c = list(new Set(['then']));
          expect('then');
          clauses.push({ cond: c, body: list(new Set(['elif', 'else', 'fi'])) });
        } else if (k === 'else') {
          i += 4;
          elseBody = list(new Set(['fi']));
        } else break;
      }
      expect('fi');
      return { kind: 'if', clauses, elseBody };
    }
    if (keyword() === 'while') {
      i += 5;
      const cond = list(new Set(['do']));
      expect('do');
      const body = list(new Set(['done']));
      expect('done');
      return { kind: 'while', cond, body };
    }
    if (keyword() === '{') {
      i += 1;
      const body = list(new Set(['}']));
      expect('}');
      return { kind: 'group', body };
    }
    const line = lineAt(i);
    const words = [];
    const redirects = [];
    for (;;) {
      blank();
      if (i >= src.length || ';\n&|)'.includes(src[i])) {
        if (src[i] === '&' && src[i + 1] === '>') {
          i += 2;
          blank();
          redirects.push({ fd: 'both', op: '>', target: word() });
          continue;
        }
        break;
      }
      const r = /^(\d?)(>>|>&|>|<)/.exec(src.slice(i));
      if (r) {
        i += r[0].length;
        const op = r[2];
        const fd = r[1] ? Number(r[1]) : op === '<' ? 0 : 1;
        if (op === '>&') {
          const m = /^\d/.exec(src.slice(i));
          i += 1;
          redirects.push({ fd, op, to: Number(m?.[0] ?? 1) });
        } else {
          blank();
          redirects.push({ fd, op, target: word() });
        }
        continue;
      }
      words.push(word());
    }
    return { kind: 'simple', words, redirects, line };
  };
  const pipeline = () => {
    blank();
    let bang = false;
    if (src[i] === '!' && /\s/.test(src[i + 1] ?? '')) {
      bang = true;
      i++;
    }
    const commands = [command()];
    for (;;) {
      blank();
      if (src[i] === '|' && src[i + 1] !== '|') {
        i++;
        space();
        commands.push(command());
      } else break;
    }
    return { commands, bang };
  };
  const andOr = () => {
    const first = pipeline();
    const rest = [];
    for (;;) {
      blank();
      const op = src.slice(i, i + 2);
      if (op !== '&&' && op !== '||') break;
      i += 2;
      space();
      rest.push({ op, pipeline: pipeline() });
    }
    return { first, rest };
  };
  const list = (terminators = new Set()) => {
    const items = [];
    for (;;) {
      space();
      while (src[i] === ';') {
        i++;
        space();
      }
      if (i >= src.length) break;
      const k = keyword();
      if (k && terminators.has(k)) break;
      if (k && !OPENERS.has(k)) throw new SyntaxError(`syntax error near unexpected token \`${k}'`);
      const item = { andOr: andOr(), background: false };
      blank();
      if (src[i] === '&' && src[i + 1] !== '&') {
        item.background = true;
        i++;
      } else if (src[i] === ';' || src[i] === '\n') i++;
      else if (i < src.length && !(keyword() && terminators.has(keyword())))
        throw new SyntaxError(`syntax error near unexpected token \`${src[i]}'`);
      items.push(item);
    }
    return items;
  };
  const result = list();
  if (i < src.length) throw new SyntaxError(`syntax error near unexpected token \`${src.slice(i, i + 10)}'`);
  return result;
}

// ---------------------------------------------------------------- runtime

function sink() {
  const s = { text: '', write: (t) => (s.text += t) };
  return s;
}
const NULL_SINK = { write: () => undefined };

class Shell {
  constructor(context, vars) {
    this.ctx = context;
    this.user = context.user;
    this.files = context.files;
    this.cwd = context.files.home;
    this.vars =
      vars ??
      new Map([
        ['HOME', context.files.home],
        ['USER', context.user],
        ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        ['SHELL', '/bin/bash'],
      ]);
    this.status = 0;
    /** The file creation mask (bash's umask builtin); a child shell inherits it, as a process does. */
    this.umask = context.umask ?? 0o022;
    this.errexit = false;
    this.nounset = false;
    this.pipefail = false;
  }

  child(user = this.user) {
    const shell = new Shell({ ...this.ctx, user, umask: this.umask }, new Map(this.vars));
    if (user !== this.user) {
      shell.vars.set('USER', user);
      shell.vars.set('HOME', user === 'root' ? '/root' : `/home/${user}`);
    }
    return shell;
  }

  /** Runs a script; `exit` and set -e end it with their status. */
  script(src, io) {
    let tree;
    try {
      tree = parse(src);
    } catch (error) {
      io.err.write(`bash: ${error.message}\n`);
      return 2;
    }
    try {
      return this.list(tree, io, false);
    } catch (error) {
      if (error instanceof ExitSignal) return error.code;
      throw error;
    }
  }

  list(items, io, inCondition) {
    let status = 0;
    for (const item of items) {
      const { status: s, final } = this.andOr(item.andOr, io, inCondition);
      status = item.background ? 0 : s;
      this.status = status;
      if (this.errexit && !inCondition && !item.background && s !== 0 && final) throw new ExitSignal(s);
    }
    return status;
  }

  andOr(node, io, inCondition) {
    let status = this.pipeline(node.first, io, inCondition || node.rest.length > 0);
    let final = node.rest.length === 0 && !node.first.bang;
    node.rest.forEach((next, k) => {
      if ((next.op === '&&') === (status === 0)) {
        const last = k === node.rest.length - 1;
        status = this.pipeline(next.pipeline, io, inCondition || !last);
        final = last && !next.pipeline.bang;
      }
    });
    return { status, final };
  }

  pipeline(node, io, inCondition) {
    let stdin = io.stdin;
    let status = 0;
    let failed = 0;
    node.commands.forEach((cmd, k) => {
      const last = k === node.commands.length - 1;
      const out = last ? io.out : sink();
      status = this.command(
        cmd,
        { stdin, input: k === 0 ? io.input : undefined, out, err: io.err },
        inCondition,
      );
      if (status !== 0) failed = status;
      if (!last) stdin = out.text;
    });
    if (this.pipefail && failed !== 0) status = failed;
    return node.bang ? (status === 0 ? 1 : 0) : status;
  }

  command(cmd, io, inCondition) {
    if (cmd.kind === 'group') return this.list(cmd.body, io, inCondition);
    if (cmd.kind === 'while') {
      // The loop's commands share one input: each `read` takes the next line (or record) of it.
      const loop = { ...io, input: io.input ?? { rest: io.stdin } };
      let status = 0;
      while (this.list(cmd.cond, loop, true) === 0) status = this.list(cmd.body, loop, inCondition);
      return status;
    }
    if (cmd.kind === 'if') {
      for (const clause of cmd.clauses) {
        if (this.list(clause.cond, io, true) === 0) return this.list(clause.body, io, inCondition);
      }
      return cmd.elseBody ? this.list(cmd.elseBody, io, inCondition) : 0;
    }
    this.line = cmd.line;
    let fields = [];
    for (const w of cmd.words) fields.push(...this.expand(w, io));
    const assignments = [];
    while (fields.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(fields[0])) assignments.push(fields.shift());
    let status = this.substitutionStatus ?? 0;
    this.substitutionStatus = undefined;
    if (fields.length === 0) {
      for (const a of assignments) this.vars.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
      return status;
    }
    const fds = { 0: io.stdin, 1: io.out, 2: io.err };
    const files = [];
    for (const r of cmd.redirects) {
      if (r.op === '>&') {
        fds[r.fd] = fds[r.to];
        continue;
      }
      const target = this.expand(r.target, io).join(' ');
      if (r.op === '<') {
        const p = this.files.resolve(target, this.cwd);
        if (!this.files.isFile(p)) {
          io.err.write(`bash: line ${this.line}: ${target}: No such file or directory\n`);
          return 1;
        }
        fds[0] = readFileSync(this.files.local(p), 'utf8');
        continue;
      }
      let to = NULL_SINK;
      if (target !== '/dev/null') {
        const p = this.files.resolve(target, this.cwd);
        if (!this.files.isFolder(path.posix.dirname(p))) {
          io.err.write(`bash: line ${this.line}: ${target}: No such file or directory\n`);
          return 1;
        }
        to = sink();
        files.push({ local: this.files.local(p), append: r.op === '>>', out: to });
      }
      if (r.fd === 'both') {
        fds[1] = to;
        fds[2] = to;
      } else fds[r.fd] = to;
    }
    // NAME=value before a command is in that command's environment only.
    const saved = assignments.map((a) => {
      const name = a.slice(0, a.indexOf('='));
      const had = this.vars.has(name);
      const before = this.vars.get(name);
      this.vars.set(name, a.slice(a.indexOf('=') + 1));
      return () => (had ? this.vars.set(name, before) : this.vars.delete(name));
    });
    const input = fds[0] === io.stdin ? io.input : undefined;
    try {
      status = this.run(fields, { stdin: fds[0] ?? '', input, out: fds[1], err: fds[2] }, inCondition);
    } finally {
      for (const restore of saved) restore();
    }
    // A file a redirection creates gets 0666 less the umask (open(2) with O_CREAT); an existing one keeps its mode.
    const mode = 0o666 & ~this.umask;
    for (const f of files) (f.append ? appendFileSync : writeFileSync)(f.local, f.out.text, { mode });
    return status;
  }

  expand(word, io) {
    const fields = [''];
    let any = false;
    const add = (text) => (fields[fields.length - 1] += text);
    const value = (part) => {
      if (part.t === 'cmd') {
        const sub = this.child();
        sub.cwd = this.cwd;
        const out = sink();
        const code = sub.script(part.src, { stdin: '', out, err: io.err });
        this.substitutionStatus = code;
        return out.text.replace(/\n+$/, '');
      }
      const trim = /^([A-Za-z_][A-Za-z0-9_]*)(#|%)(.*)$/.exec(part.name);
      if (trim) return trimPattern(value({ t: 'var', name: trim[1] }), trim[2], trim[3]);
      const name = part.name;
      if (name === '?') return String(this.status);
      if (name === '$') return '4242';
      if (name === '#') return '0';
      if (name === '0') return 'bash';
      if (/^[1-9]$/.test(name)) return '';
      if (!this.vars.has(name)) {
        if (this.nounset) {
          io.err.write(`bash: line ${this.line}: ${name}: unbound variable\n`);
          throw new ExitSignal(1);
        }
        return '';
      }
      return this.vars.get(name);
    };
    for (const part of word) {
      if (part.t === 'lit' || part.t === 'sq') {
        add(part.v);
        any = true;
      } else if (part.t === 'dq') {
        any = true;
        for (const inner of part.parts) add(inner.t === 'lit' ? inner.v : value(inner));
      } else {
        const pieces = value(part).split(/[ \t\n]+/);
        pieces.forEach((piece, k) => {
          if (k > 0 && fields[fields.length - 1] !== '') fields.push('');
          add(piece);
          if (piece) any = true;
        });
      }
    }
    if (!any && fields.length === 1 && fields[0] === '') return [];
    return fields.filter((f, k) => f !== '' || k === 0);
  }

  /** One command by name: a builtin, or bash's "command not found". */
  run(argv, io, inCondition) {
    const [name, ...args] = argv;
    const command = COMMANDS[name];
    if (!command) {
      io.err.write(`bash: line ${this.line ?? 1}: ${name}: command not found\n`);
      return 127;
    }
    return command.call(this, args, io, inCondition);
  }

  path(p) {
    return this.files.resolve(p, this.cwd);
  }
}

/** A glob with `*` and `?` (bash(1), Pattern Matching) as a regular expression of the whole text. */
function globRegExp(pattern) {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*?')
      .replace(/\?/g, '.')}$`,
    's',
  );
}

/** `${v#pattern}` / `${v%pattern}`: the shortest prefix or suffix matching the glob removed. */
function trimPattern(text, op, pattern) {
  const glob = globRegExp(pattern);
  if (op === '#') {
    for (let n = 0; n <= text.length; n++) if (glob.test(text.slice(0, n))) return text.slice(n);
  } else {
    for (let n = text.length; n >= 0; n--) if (glob.test(text.slice(n))) return text.slice(0, n);
  }
  return text;
}

const operands = (args) => args.filter((a) => !/^-./.test(a));
const flags = (args) => args.filter((a) => /^-./.test(a)).join('');

function printfFormat(format, args) {
  const escapes = (s) => s.replace(/\\(n|t|\\|r)/g, (_, c) => ({ n: '\n', t: '\t', '\\': '\\', r: '\r' })[c]);
  let out = '';
  let rest = [...args];
  do {
    let used = 0;
    out += escapes(format).replace(/%([sd%])/g, (_, c) => {
      if (c === '%') return '%';
      used++;
      const v = rest.shift() ?? '';
      return c === 'd' ? String(Number.parseInt(v, 10) || 0) : v;
    });
    if (used === 0) break;
  } while (rest.length > 0);
  return out;
}

function testExpression(shell, args) {
  const file = (p) => shell.path(p);
  const unary = (op, x) => {
    switch (op) {
      case '-e':
        return shell.files.exists(file(x));
      case '-f':
        return shell.files.isFile(file(x));
      case '-d':
        return shell.files.isFolder(file(x));
      case '-s':
        return shell.files.isFile(file(x)) && statSync(shell.files.local(file(x))).size > 0;
      case '-n':
        return x !== '';
      case '-z':
        return x === '';
      default:
        return undefined;
    }
  };
  const binary = (a, op, b) => {
    const n = (v) => Number.parseInt(v, 10);
    switch (op) {
      case '=':
      case '==':
        return a === b;
      case '!=':
        return a !== b;
      case '-eq':
        return n(a) === n(b);
      case '-ne':
        return n(a) !== n(b);
      case '-lt':
        return n(a) < n(b);
      case '-le':
        return n(a) <= n(b);
      case '-gt':
        return n(a) > n(b);
      case '-ge':
        return n(a) >= n(b);
      default:
        return undefined;
    }
  };
  if (args.length === 0) return false;
  if (args[0] === '!') {
    const inner = testExpression(shell, args.slice(1));
    return inner === undefined ? undefined : !inner;
  }
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) return unary(args[0], args[1]);
  if (args.length === 3) return binary(args[0], args[1], args[2]);
  return undefined;
}

function lines(text) {
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all;
}

function readInputs(shell, args, io, tool) {
  const names = operands(args);
  if (names.length === 0) return { text: io.stdin, status: 0 };
  let text = '';
  let status = 0;
  for (const p of names) {
    const full = shell.path(p);
    if (shell.files.isFolder(full)) {
      io.err.write(`${tool}: ${p}: Is a directory\n`);
      status = 1;
    } else if (!shell.files.isFile(full)) {
      io.err.write(`${tool}: ${p}: No such file or directory\n`);
      status = 1;
    } else text += readFileSync(shell.files.local(full), 'utf8');
  }
  return { text, status };
}

const COMMANDS = {
  true: () => 0,
  ':': () => 0,
  false: () => 1,
  echo(args, io) {
    let newline = true;
    while (args[0] === '-n' || args[0] === '-e' || args[0] === '-E')
      if (args.shift() === '-n') newline = false;
    io.out.write(args.join(' ') + (newline ? '\n' : ''));
    return 0;
  },
  printf(args, io) {
    if (args.length === 0) {
      io.err.write('printf: usage: printf [-v var] format [arguments]\n');
      return 2;
    }
    io.out.write(printfFormat(args[0], args.slice(1)));
    return 0;
  },
  exit(args) {
    const n = args.length === 0 ? this.status : Number(args[0]);
    throw new ExitSignal(Number.isInteger(n) ? ((n % 256) + 256) % 256 : 2);
  },
  test(args, io) {
    const result = testExpression(this, args);
    if (result === undefined) {
      io.err.write(`bash: line ${this.line}: test: too many arguments\n`);
      return 2;
    }
    return result ? 0 : 1;
  },
  '['(args, io) {
    if (args.at(-1) !== ']') {
      io.err.write(`bash: line ${this.line}: [: missing \`]'\n`);
      return 2;
    }
    return COMMANDS.test.call(this, args.slice(0, -1), io);
  },
  set(args) {
    for (let k = 0; k < args.length; k++) {
      const a = args[k];
      if (!/^[-+]/.test(a)) continue;
      const on = a[0] === '-';
      for (const f of a.slice(1)) {
        if (f === 'e') this.errexit = on;
        else if (f === 'u') this.nounset = on;
        else if (f === 'o' && args[k + 1] === 'pipefail') {
          this.pipefail = on;
          k++;
        }
      }
    }
    return 0;
  },
  cd(args, io) {
    const to = this.path(args[0] ?? this.files.home);
    if (!this.files.isFolder(to)) {
      io.err.write(`bash: line ${this.line}: cd: ${args[0]}: No such file or directory\n`);
      return 1;
    }
    this.cwd = to;
    return 0;
  },
  pwd(args, io) {
    io.out.write(`${this.cwd}\n`);
    return 0;
  },
  hostname(args, io) {
    io.out.write(`${this.ctx.hostname}\n`);
    return 0;
  },
  whoami(args, io) {
    io.out.write(`${this.user}\n`);
    return 0;
  },
  id(args, io) {
    const uid = this.user === 'root' ? 0 : 1000;
    const f = flags(args);
    if (f.includes('u') && f.includes('n')) io.out.write(`${this.user}\n`);
    else if (f.includes('u')) io.out.write(`${uid}\n`);
    else if (f.includes('g')) io.out.write(`${uid}\n`);
    else io.out.write(`uid=${uid}(${this.user}) gid=${uid}(${this.user}) groups=${uid}(${this.user})\n`);
    return 0;
  },
  uname(args, io) {
    io.out.write(flags(args).includes('n') ? `${this.ctx.hostname}\n` : 'Linux\n');
    return 0;
  },
  cat(args, io) {
    const { text, status } = readInputs(this, args, io, 'cat');
    io.out.write(text);
    return status;
  },
  head(args, io) {
    const n = Number(
      args.includes('-n') ? args[args.indexOf('-n') + 1] : (/^-(\d+)$/.exec(args[0] ?? '')?.[1] ?? 10),
    );
    const rest = args.filter((a, k) => !/^-/.test(a) && args[k - 1] !== '-n');
    const { text, status } = readInputs(this, rest, io, 'head');
    for (const l of lines(text).slice(0, n)) io.out.write(`${l}\n`);
    return status;
  },
  tail(args, io) {
    const n = Number(
      args.includes('-n') ? args[args.indexOf('-n') + 1] : (/^-(\d+)$/.exec(args[0] ?? '')?.[1] ?? 10),
    );
    const rest = args.filter((a, k) => !/^-/.test(a) && args[k - 1] !== '-n');
    const { text, status } = readInputs(this, rest, io, 'tail');
    for (const l of n > 0 ? lines(text).slice(-n) : []) io.out.write(`${l}\n`);
    return status;
  },
  ls(args, io) {
    const targets = operands(args);
    let status = 0;
    for (const p of targets.length > 0 ? targets : ['.']) {
      const full = this.path(p);
      if (!this.files.exists(full)) {
        io.err.write(`ls: cannot access '${p}': No such file or directory\n`);
        status = 2;
      } else if (this.files.isFile(full)) io.out.write(`${p}\n`);
      else for (const name of readdirSync(this.files.local(full)).sort()) io.out.write(`${name}\n`);
    }
    return status;
  },
  mkdir(args, io) {
    const parents = flags(args).includes('p');
    for (const p of operands(args)) {
      const full = this.path(p);
      if (this.files.isFolder(full)) {
        if (parents) continue;
        io.err.write(`mkdir: cannot create directory '${p}': File exists\n`);
        return 1;
      }
      if (!parents && !this.files.isFolder(path.posix.dirname(full))) {
        io.err.write(`mkdir: cannot create directory '${p}': No such file or directory\n`);
        return 1;
      }
      // mkdir(2) gives each folder it makes 0777 less the umask (coreutils mkdir: without -m).
      mkdirSync(this.files.local(full), { recursive: true, mode: 0o777 & ~this.umask });
    }
    return 0;
  },
  umask(args, io) {
    // bash(1) umask [mode]: without a mode, prints the mask (four octal digits); octal modes only here.
    if (args.length === 0) {
      io.out.write(`${this.umask.toString(8).padStart(4, '0')}\n`);
      return 0;
    }
    if (!/^[0-7]{1,4}$/.test(args[0])) {
      io.err.write(`bash: line ${this.line}: umask: ${args[0]}: octal number out of range\n`);
      return 1;
    }
    this.umask = Number.parseInt(args[0], 8);
    return 0;
  },
  chmod(args, io) {
    // coreutils chmod MODE FILE...: octal modes (symbolic ones are not modelled: refused, never guessed).
    const [mode, ...names] = operands(args);
    if (!mode || !/^[0-7]{1,4}$/.test(mode)) {
      io.err.write(`chmod: invalid mode: '${mode ?? ''}' (the fake guest takes octal modes only)\n`);
      return 1;
    }
    let status = 0;
    for (const p of names) {
      const full = this.path(p);
      if (!this.files.exists(full)) {
        io.err.write(`chmod: cannot access '${p}': No such file or directory\n`);
        status = 1;
      } else chmodSync(this.files.local(full), Number.parseInt(mode, 8));
    }
    return status;
  },
  mv(args, io) {
    // coreutils mv [-f] SOURCE DEST: rename(2), which replaces DEST in one step; into DEST when it is a folder.
    const names = operands(args);
    if (names.length !== 2) {
      io.err.write(
        `mv: ${names.length < 2 ? 'missing destination file operand' : 'the fake guest moves one file at a time'}\n`,
      );
      return 1;
    }
    const [from, to] = names.map((p) => this.path(p));
    if (!this.files.exists(from)) {
      io.err.write(`mv: cannot stat '${names[0]}': No such file or directory\n`);
      return 1;
    }
    const target = this.files.isFolder(to) ? path.posix.join(to, path.posix.basename(from)) : to;
    if (!this.files.isFolder(path.posix.dirname(target))) {
      io.err.write(`mv: cannot move '${names[0]}' to '${names[1]}': No such file or directory\n`);
      return 1;
    }
    renameSync(this.files.local(from), this.files.local(target));
    return 0;
  },
  touch(args, io) {
    for (const p of operands(args)) {
      const full = this.path(p);
      if (!this.files.isFolder(path.posix.dirname(full))) {
        io.err.write(`touch: cannot touch '${p}': No such file or directory\n`);
        return 1;
      }
      if (!this.files.exists(full)) writeFileSync(this.files.local(full), '');
    }
    return 0;
  },
  rm(args, io) {
    const f = flags(args);
    let status = 0;
    for (const p of operands(args)) {
      const full = this.path(p);
      if (!this.files.exists(full)) {
        if (!f.includes('f')) {
          io.err.write(`rm: cannot remove '${p}': No such file or directory\n`);
          status = 1;
        }
      } else if (this.files.isFolder(full) && !/[rR]/.test(f)) {
        io.err.write(`rm: cannot remove '${p}': Is a directory\n`);
        status = 1;
      } else rmSync(this.files.local(full), { recursive: true, force: true });
    }
    return status;
  },
  base64(args, io) {
    const decode = args.includes('-d') || args.includes('--decode');
    // -w COLS wraps encoded lines at COLS characters (76 by default); 0 disables wrapping.
    const w = args.indexOf('-w');
    const wrap = w >= 0 ? Number(args[w + 1]) : 76;
    const { text, status } = readInputs(
      this,
      args.filter((a, k) => a !== '-d' && a !== '--decode' && k !== w && (w < 0 || k !== w + 1)),
      io,
      'base64',
    );
    if (status !== 0) return status;
    if (decode) {
      const clean = text.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
        io.err.write('base64: invalid input\n');
        return 1;
      }
      io.out.write(Buffer.from(clean, 'base64').toString('utf8'));
      return 0;
    }
    const encoded = Buffer.from(text, 'utf8').toString('base64');
    // GNU base64 ends the output with a newline unless it is empty or -w 0 turned wrapping off.
    if (wrap <= 0) io.out.write(encoded);
    else if (encoded)
      io.out.write(`${encoded.replace(new RegExp(`(.{${wrap}})`, 'g'), '$1\n').replace(/\n$/, '')}\n`);
    return 0;
  },
  read(args, io) {
    // bash(1) read: -r keeps backslashes, -d DELIM ends the record at DELIM ('' is NUL) instead
    // of a newline; the status is 1 at end of input. Without `IFS=`, blanks around it are trimmed.
    let delim = '\n';
    const names = [];
    for (let k = 0; k < args.length; k++) {
      if (args[k] === '-d') delim = args[++k] === '' ? '\0' : (args[k]?.[0] ?? '\n');
      else if (!args[k].startsWith('-')) names.push(args[k]);
    }
    const input = io.input ?? { rest: io.stdin };
    if (input.rest === '') return 1;
    const end = input.rest.indexOf(delim);
    let record = end < 0 ? input.rest : input.rest.slice(0, end);
    input.rest = end < 0 ? '' : input.rest.slice(end + 1);
    if (this.vars.get('IFS') !== '') record = record.replace(/^[ \t\n]+|[ \t\n]+$/g, '');
    this.vars.set(names[0] ?? 'REPLY', record);
    return end < 0 ? 1 : 0;
  },
  stat(args, io) {
    // GNU stat -c FORMAT: %s the size in bytes, %n the name, one line per file.
    const c = args.indexOf('-c');
    const format = c >= 0 ? args[c + 1] : '%n';
    const files = args.filter((a, k) => k !== c && k !== c + 1 && a !== '--');
    let status = 0;
    for (const p of files) {
      const full = this.path(p);
      if (!this.files.exists(full)) {
        io.err.write(`stat: cannot statx '${p}': No such file or directory\n`);
        status = 1;
        continue;
      }
      const size = statSync(this.files.local(full)).size;
      io.out.write(
        `${format.replace(/%([sn%])/g, (_, f) => (f === 's' ? String(size) : f === 'n' ? p : '%'))}\n`,
      );
    }
    return status;
  },
  sha256sum(args, io) {
    // GNU sha256sum: `<hash>  <name>` per file (two spaces: text mode), `-` for standard input.
    const names = args.filter((a) => a !== '--');
    if (names.length === 0) {
      io.out.write(`${createHash('sha256').update(io.stdin).digest('hex')}  -\n`);
      return 0;
    }
    let status = 0;
    for (const p of names) {
      const full = this.path(p);
      if (this.files.isFolder(full)) {
        io.err.write(`sha256sum: ${p}: Is a directory\n`);
        status = 1;
      } else if (!this.files.isFile(full)) {
        io.err.write(`sha256sum: ${p}: No such file or directory\n`);
        status = 1;
      } else
        io.out.write(
          `${createHash('sha256')
            .update(readFileSync(this.files.local(full)))
            .digest('hex')}  ${p}\n`,
        );
    }
    return status;
  },
  cut(args, io) {
    // GNU cut: -d DELIM -f LIST fields, or -c LIST characters; LIST of N, N-M, N- and commas.
    let delim = '\t';
    let fields;
    let chars;
    const rest = [];
    for (let k = 0; k < args.length; k++) {
      if (args[k] === '-d') delim = args[++k] ?? '\t';
      else if (args[k] === '-f') fields = args[++k];
      else if (args[k] === '-c') chars = args[++k];
      else rest.push(args[k]);
    }
    const list = fields ?? chars;
    if (!list) {
      io.err.write('cut: you must specify a list of bytes, characters, or fields\n');
      return 1;
    }
    const wanted = (n) =>
      list.split(',').some((range) => {
        const [a, b] = range.includes('-') ? range.split('-') : [range, range];
        return n >= (Number(a) || 1) && n <= (b === '' ? Infinity : Number(b));
      });
    const { text, status } = readInputs(this, rest, io, 'cut');
    for (const line of lines(text)) {
      if (chars) io.out.write(`${[...line].filter((_, k) => wanted(k + 1)).join('')}\n`);
      else if (!line.includes(delim)) io.out.write(`${line}\n`);
      else
        io.out.write(
          `${line
            .split(delim)
            .filter((_, k) => wanted(k + 1))
            .join(delim)}\n`,
        );
    }
    return status;
  },
  find(args, io) {
    // GNU find START... [-type f|d] [-print|-print0]: every entry under each start (the start
    // included), named from the start as given; entries in name order (readdir order on a real
    // file system; sorted here so that the fake is repeatable).
    const starts = [];
    let k = 0;
    for (; k < args.length && !args[k].startsWith('-'); k++) starts.push(args[k]);
    let type;
    let name;
    let end = '\n';
    for (; k < args.length; k++) {
      if (args[k] === '-type') type = args[++k];
      else if (args[k] === '-name') name = globRegExp(args[++k] ?? '');
      else if (args[k] === '-print0') end = '\0';
      else if (args[k] !== '-print') {
        io.err.write(`find: unknown predicate \`${args[k]}'\n`);
        return 1;
      }
    }
    let status = 0;
    const walk = (shown, full) => {
      const folder = this.files.isFolder(full);
      // -name: the entry's base name matches the glob (find(1): leading directories removed).
      const named = !name || name.test(path.posix.basename(full));
      if ((!type || (type === 'd') === folder) && named) io.out.write(`${shown}${end}`);
      if (!folder) return;
      for (const name of readdirSync(this.files.local(full)).sort())
        walk(`${shown.replace(/\/$/, '')}/${name}`, path.posix.join(full, name));
    };
    for (const start of starts.length > 0 ? starts : ['.']) {
      const full = this.path(start);
      if (!this.files.exists(full)) {
        io.err.write(`find: '${start}': No such file or directory\n`);
        status = 1;
      } else walk(start, full);
    }
    return status;
  },
  bash(args, io) {
    const sub = this.child();
    const c = args.indexOf('-c');
    if (c >= 0) return sub.script(args[c + 1] ?? '', { stdin: io.stdin, out: io.out, err: io.err });
    const file = operands(args)[0];
    if (file !== undefined) {
      const full = this.path(file);
      if (!this.files.isFile(full)) {
        io.err.write(`bash: ${file}: No such file or directory\n`);
        return 127;
      }
      return sub.script(readFileSync(this.files.local(full), 'utf8'), {
        stdin: '',
        out: io.out,
        err: io.err,
      });
    }
    return sub.script(io.stdin, { stdin: '', out: io.out, err: io.err });
  },
  sh(args, io) {
    return COMMANDS.bash.call(this, args, io);
  },
  sudo(args, io, inCondition) {
    let k = 0;
    while (k < args.length && args[k].startsWith('-')) k++;
    if (k >= args.length) {
      io.err.write('usage: sudo -h | -K | -k | -V\n');
      return 1;
    }
    const root = this.child('root');
    root.line = this.line;
    return root.run(args.slice(k), io, inCondition);
  },
  nohup(args, io, inCondition) {
    return this.run(args, io, inCondition);
  },
  sleep(args, io) {
    if (args.length === 0 || !args.every((a) => /^\d+(\.\d+)?[smhd]?$/.test(a))) {
      io.err.write(`sleep: invalid time interval '${args[0] ?? ''}'\n`);
      return 1;
    }
    return 0;
  },
  reboot(args, io) {
    if (this.user !== 'root') {
      io.err.write(
        'Failed to set wall message, ignoring: Interactive authentication required.\nCall to Reboot failed: Interactive authentication required.\n',
      );
      return 1;
    }
    this.ctx.onReboot();
    return 0;
  },
};

/** Runs a bash command line in the guest: what it printed on stdout and stderr, and its exit status. */
export function runBash(command, context) {
  const shell = new Shell(context);
  const out = sink();
  const err = sink();
  const code = shell.script(command, { stdin: '', out, err });
  return { code, stdout: out.text, stderr: err.text };
}
