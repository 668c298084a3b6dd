import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../global-options.js';
import { InternalError } from '../../errors.js';

export async function runApply(options: { file: string; planFile?: string; autoApprove: boolean; parallelism?: number; global: GlobalOptions; io: CommandIo }): Promise<number> {
  throw new InternalError(`apply is not built yet (${options.file})`);
}
