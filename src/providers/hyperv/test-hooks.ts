import path from 'node:path';
import { UserError } from '../../errors.js';
import type { HyperVSessionOptions } from './hyperv-provider.js';

/**
 * The one test hook of the Hyper-V provider, read from the environment by the CLI:
 * LABFORM_HYPERV_MODULES names PowerShell modules (paths separated like PATH: `:` on Linux and
 * macOS, `;` on Windows) imported into every host session before labform's library. The
 * end-to-end run (`npm run e2e:hyperv`) sets it to the fake Hyper-V module of test/fake-hyperv,
 * whose cmdlets then stand in for the real ones. Each host's PowerShell process is also told
 * the manifest name of the host it serves (LABFORM_HYPERV_HOST), so the fake keeps one state
 * per host. Unset (every real use), it changes nothing. Documented in docs/architecture.md
 * ("Keeping the Hyper-V provider honest").
 */
export function hyperVTestHooks(env: NodeJS.ProcessEnv): HyperVSessionOptions {
  const modules = (env.LABFORM_HYPERV_MODULES ?? '')
    .split(path.delimiter)
    .map((m) => m.trim())
    .filter(Boolean);
  if (modules.length === 0) return {};
  return { modules, env: (host) => ({ LABFORM_HYPERV_HOST: host }) };
}

/**
 * With the module hook only: LABFORM_HYPERV_CLOCK_SPEED (a number from 1 to 1000) runs labform's
 * clock that many times faster, so the waits' polls and backoffs (a stable heartbeat is 3 to 6
 * polls 5 s apart) do not dominate an end-to-end run against the fake, whose guests boot at
 * once. Without LABFORM_HYPERV_MODULES it is ignored: real hosts always run on real time.
 */
export function hyperVTestClockSpeed(env: NodeJS.ProcessEnv): number {
  if (hyperVTestHooks(env).modules === undefined) return 1;
  const text = env.LABFORM_HYPERV_CLOCK_SPEED;
  if (text === undefined || text === '') return 1;
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed < 1 || speed > 1000)
    throw new UserError(
      `LABFORM_HYPERV_CLOCK_SPEED must be a number from 1 to 1000, not ${JSON.stringify(text)}`,
      [],
      'it is a test hook of the end-to-end run (npm run e2e:hyperv); unset it otherwise',
    );
  return speed;
}
