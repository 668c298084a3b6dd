import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../global-options.js';
import { InternalError } from '../../errors.js';

export async function runValidate(options: { file: string; global: GlobalOptions; io: CommandIo }): Promise<number> {
  throw new InternalError(`validate is not built yet (${options.file})`);
}
