// Used where GNU time is absent: runs `node SCRIPT ARGS...` in this process and prints its peak
// RSS at exit (process.resourceUsage().maxRSS, KB) on stderr the way `time -f %M` would.
// The figure includes this wrapper's few MB, so it over-reports slightly.
import { pathToFileURL } from 'node:url';

const [, , command, script, ...args] = process.argv;
if (command !== process.execPath && !command.endsWith('node'))
  throw new Error('rss-wrapper only runs node scripts');
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(
    `\nLABFORM_BENCH_MAXRSS_KB=${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\n`,
  );
});
process.argv = [process.argv[0], script, ...args];
await import(pathToFileURL(script).href);
