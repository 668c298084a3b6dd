import type { Provider } from './provider.js';
import type { ProviderOptions } from './provider-options.js';

/** The provider for a lab: the simulator with `--sim`, else real Hyper-V through PowerShell. */
export async function createProvider(options: ProviderOptions): Promise<Provider> {
  if (options.sim) {
    const { createSimProvider } = await import('./sim/sim-provider.js');
    return createSimProvider(options);
  }
  const { createHyperVProvider } = await import('./hyperv/hyperv-provider.js');
  const { hyperVTestHooks } = await import('./hyperv/test-hooks.js');
  const hooks = hyperVTestHooks(process.env);
  if (hooks.modules)
    options.logger.warn(
      { modules: hooks.modules },
      'LABFORM_HYPERV_MODULES is set: test modules are imported into every host session',
    );
  return createHyperVProvider(options, hooks);
}
