import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../global-options.js';
import { InternalError } from '../../errors.js';

export async function runGraph(options: { file: string; format: 'dot' | 'mermaid'; global: GlobalOptions; io: CommandIo }): Promise<number> {
  throw new InternalError(`graph is not built yet (${options.file})`);
}
