import type { Provider } from '../provider.js';
import type { ProviderOptions } from '../create-provider.js';
import { InternalError } from '../../errors.js';

export async function createSimProvider(options: ProviderOptions): Promise<Provider> {
  throw new InternalError(`the simulator is not built yet (${options.lab.name})`);
}
