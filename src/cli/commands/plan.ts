import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../global-options.js';
import { InternalError } from '../../errors.js';

export async function runPlan(options: { file: string; json: boolean; out?: string; detailedExitcode: boolean; global: GlobalOptions; io: CommandIo }): Promise<number> {
  throw new InternalError(`plan is not built yet (${options.file})`);
}
