import { createRequire } from 'node:module';
import type Pino from 'pino';
import { environmentErrorOf } from '../errors.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';

/** Paths redacted in every log record, whatever else the Secret type already hides. */
const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'secret',
  '*.secret',
  'safeModePassword',
  '*.safeModePassword',
  'blob',
  '*.blob',
];

/**
 * The run's logger: pino JSON to `file` (appending) at `level`, or silent when no file is given.
 * The default level is debug: a log file is asked for to see every step, provider call and
 * wait poll (those are debug records). Human output is the renderer's job, not the logger's.
 */
export function createLogger(options: { file?: string; level?: string }): Logger {
  if (!options.file) return silentLogger;
  // Loaded only when a log file is asked for: a run without one never pays for pino's start.
  const pino = createRequire(import.meta.url)('pino') as typeof Pino;
  let destination: ReturnType<typeof pino.destination>;
  try {
    destination = pino.destination({ dest: options.file, append: true, sync: true, mkdir: true });
  } catch (error) {
    // A folder, a read-only place, a path through a file: the user's environment, not a bug.
    throw (
      environmentErrorOf(
        error,
        options.file,
        'write the log file',
        'give --log-file the path of a file labform may write (its folder is created)',
      ) ?? error
    );
  }
  return pino(
    {
      level: options.level ?? 'debug',
      redact: { paths: REDACT, censor: '(sensitive)' },
      base: { pid: process.pid },
    },
    destination,
  ) as unknown as Logger;
}
