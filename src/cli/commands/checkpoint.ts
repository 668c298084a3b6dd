import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../global-options.js';
import { InternalError } from '../../errors.js';

export async function runCheckpoint(options: { file: string; name: string; global: GlobalOptions; io: CommandIo }): Promise<number> {
  throw new InternalError(`checkpoint is not built yet (${options.file})`);
}
