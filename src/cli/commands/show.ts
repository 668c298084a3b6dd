import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../global-options.js';
import { InternalError } from '../../errors.js';

export async function runShow(options: { file: string; json: boolean; global: GlobalOptions; io: CommandIo }): Promise<number> {
  throw new InternalError(`show is not built yet (${options.file})`);
}
