import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../src/log/logger.js';

/** A real pino logger at trace level whose output the test can read. */
export function captureLogger(): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'trace' }, stream) as unknown as Logger;
  return { logger, text: () => chunks.join('') };
}
