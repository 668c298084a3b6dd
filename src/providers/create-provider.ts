import type { Provider } from './provider.js';
import type { ProviderOptions } from './provider-options.js';

/** The provider for a lab: the simulator with `--sim`, else real Hyper-V through PowerShell. */
export async function createProvider(options: ProviderOptions): Promise<Provider> {
  if (options.sim) {
    const { createSimProvider } = await import('./sim/sim-provider.js');
    return createSimProvider(options);
  }
  const { createHyperVProvider } = await import('./hyperv/hyperv-provider.js');
  return createHyperVProvider(options);
}
