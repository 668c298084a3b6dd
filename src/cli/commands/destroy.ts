import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../global-options.js';
import { InternalError } from '../../errors.js';

export async function runDestroy(options: { file: string; autoApprove: boolean; global: GlobalOptions; io: CommandIo }): Promise<number> {
  throw new InternalError(`destroy is not built yet (${options.file})`);
}
