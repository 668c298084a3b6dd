// Shared helpers of the benchmarks: argument parsing, spawning with peak RSS, the readable table.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { performance } from 'node:perf_hooks';

export function argValue(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

export function hasFlag(name) {
  return process.argv.includes(`--${name}`);
}

export function round(value, digits = 1) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function timeBinary() {
  if (process.env.LABFORM_BENCH_NO_GNU_TIME) return undefined;
  try {
    accessSync('/usr/bin/time', constants.X_OK);
    return '/usr/bin/time';
  } catch {
    return undefined;
  }
}

/**
 * Runs a command to its end: wall ms (from spawn to exit), exit code, stdout, and the peak RSS
 * of the whole process in MB. With GNU time the kernel's max RSS of the child is read
 * (`-f %M`, KB); without it the child's own figure from `bench/rss-wrapper.js`
 * (process.resourceUsage().maxRSS at exit) is used.
 */
export function runMeasured(command, args, options = {}) {
  const time = timeBinary();
  const marker = 'LABFORM_BENCH_MAXRSS_KB=';
  const [bin, argv] = time
    ? [time, ['-f', `${marker}%M %U %S`, command, ...args]]
    : [process.execPath, [new URL('./rss-wrapper.js', import.meta.url).pathname, command, ...args]];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(bin, argv, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      const stderr = Buffer.concat(err).toString('utf8');
      const line = stderr.split('\n').find((l) => l.startsWith(marker));
      const [rssKb, user, sys] = line ? line.slice(marker.length).trim().split(/\s+/).map(Number) : [];
      const peakRssMb = rssKb !== undefined ? rssKb / 1024 : NaN;
      // CPU seconds (user + system) of the child: steadier than wall time on a shared machine.
      const cpuMs = user !== undefined && sys !== undefined ? (user + sys) * 1000 : NaN;
      resolve({
        code,
        wallMs,
        peakRssMb,
        cpuMs,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: stderr
          .split('\n')
          .filter((l) => !l.startsWith(marker))
          .join('\n'),
      });
    });
  });
}

/** A plain text table of objects, columns in the order given. */
export function table(rows, columns) {
  const cells = [columns, ...rows.map((r) => columns.map((c) => (r[c] === undefined ? '' : String(r[c]))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
