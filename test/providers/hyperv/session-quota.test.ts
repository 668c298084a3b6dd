import { afterEach, expect, it } from 'vitest';
import { describePwsh } from '../../support/pwsh.js';
import { captureLogger } from '../../support/capture-logger.js';
import { createFakeHyperV, type FakeHyperV } from './helpers/fake-host.js';
import { ProviderError } from '../../../src/errors.js';

/** The warnings a pino logger wrote. */
function warnings(text: string): { msg: string; host: string; sessions: number; error: string }[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as { level: number; msg: string; host: string; sessions: number; error: string },
    )
    .filter((entry) => entry.level === 40);
}

describePwsh(
  "Hyper-V provider on a host whose WinRM quota refuses sessions (the fake's MaxShellsPerUser)",
  () => {
    let fake: FakeHyperV | undefined;
    afterEach(async () => {
      await fake?.dispose();
      fake = undefined;
    });

    it('goes on with the sessions the host took: every change lands, one warning names the host, the number and the error', async () => {
      const log = captureLogger();
      // perHostParallelism 4 wants up to five sessions; the account may open two shells.
      fake = await createFakeHyperV({ seeds: { hv01: { maxShellsPerUser: 2 } }, logger: log.logger });
      const ctx = fake.context();
      await fake.provider.discover('hv01', { paths: [], files: [] });
      const vm = {
        op: 'createVm',
        name: 'watched',
        generation: 2,
        path: 'D:\\Labs\\test\\watched',
        memoryStartup: 1024 ** 3,
        notes: '',
      } as const;
      await fake.provider.run('hv01', vm, ctx);
      const names = Array.from({ length: 8 }, (_, i) => `Quota${i + 1}`);
      // The steps and a wait's poll at once, as apply sends them.
      const [heartbeat] = await Promise.all([
        fake.provider.heartbeat('hv01', 'watched', ctx),
        ...names.map((name) =>
          fake!.provider.run('hv01', { op: 'createSwitch', name, type: 'private', notes: '' }, ctx),
        ),
      ]);
      expect(heartbeat).toBe('Unknown');
      const state = await fake.provider.discover('hv01', { paths: [], files: [] });
      expect(state.switches.map((s) => s.name).sort()).toEqual([...names].sort());
      const warned = warnings(log.text());
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatchObject({ host: 'hv01', sessions: 2 });
      expect(warned[0]!.error).toMatch(
        /could not start PowerShell on host hv01 .*This user is allowed a maximum number of 2 concurrent shells, which has been exceeded/,
      );
      expect(log.text()).not.toMatch(/Pa\$\$w0rd|Secret-1/);
    }, 180_000);

    it('reports a host that takes no session as the environment problem it is', async () => {
      fake = await createFakeHyperV({ seeds: { hv01: { maxShellsPerUser: 0 } } });
      const error = await fake.provider.discover('hv01', { paths: [], files: [] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).message).toMatch(
        /^could not start PowerShell on host hv01 over .*maximum number of 0 concurrent shells/,
      );
      expect((error as ProviderError).host).toBe('hv01');
    }, 120_000);
  },
);
