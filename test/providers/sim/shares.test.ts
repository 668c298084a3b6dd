/**
 * SMB shares in a simulated guest, as Windows keeps them and labform's createShare changes them
 * (docs/roles.md, fileServer): New-SmbShare's access (Everyone Read without -FullAccess), a
 * share at another path made again, Full access granted and revoked, and what the probe says it
 * saw. The Hyper-V provider's guest script does the same on the fake module
 * (test/contract/guest-scenarios.ts, "a share moved and its Full access changed").
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { GuestOperation } from '../../../src/model/guest-operation.js';
import type { SimProvider } from '../../../src/providers/sim/sim-provider.js';
import { ctx, newSim, target, wait, windowsVm } from './sim-fixtures.js';
import { FIRST_BOOT } from './guest-scenario.js';

const share = (path: string, fullAccess: string[] = []): GuestOperation => ({
  op: 'createShare',
  name: 'Data',
  path,
  fullAccess,
});

describe('shares in a simulated guest', () => {
  let sim: SimProvider;
  beforeEach(async () => {
    const made = await newSim();
    sim = made.sim;
    await windowsVm(sim, { name: 'fs1' });
    await wait(made.clock, FIRST_BOOT);
  });

  const probe = async (op: GuestOperation) => (await sim.probeGuest(target('fs1'), [op], ctx()))[0]!;
  const run = (op: GuestOperation) => sim.runGuest(target('fs1'), op, ctx());
  const shares = async () => (await sim.rawState('hv01')).vms.find((v) => v.name === 'fs1')!.guest!.shares;

  it('a share made without fullAccess gets Everyone Read and is done as it is', async () => {
    expect(await probe(share('C:\\Shares\\Data'))).toEqual({ done: false, detail: 'no share Data' });
    await run(share('C:\\Shares\\Data'));
    expect(await shares()).toEqual([
      { name: 'Data', path: 'C:\\Shares\\Data', fullAccess: [], readAccess: ['Everyone'] },
    ]);
    expect(await probe(share('C:\\Shares\\Data'))).toEqual({
      done: true,
      detail: 'share Data (C:\\Shares\\Data)',
    });
  });

  it('a share at another path: the probe says where it is; the op makes it again at the new path', async () => {
    await run(share('C:\\Shares\\Data', ['Administrators']));
    expect(await probe(share('C:\\Data2', ['Administrators']))).toEqual({
      done: false,
      detail: 'share Data exists with path C:\\Shares\\Data',
    });
    await run(share('C:\\Data2', ['Administrators']));
    expect(await shares()).toEqual([
      { name: 'Data', path: 'C:\\Data2', fullAccess: ['Administrators'], readAccess: [] },
    ]);
    expect((await probe(share('C:\\Data2', ['Administrators']))).done).toBe(true);
  });

  it("Full access becomes the manifest's list: missing accounts granted, others revoked, Read entries kept", async () => {
    await run(share('C:\\Shares\\Data'));
    const wanted = share('C:\\Shares\\Data', ['CONTOSO\\Ops', 'Administrators']);
    expect(await probe(wanted)).toEqual({
      done: false,
      detail: 'share Data (C:\\Shares\\Data): no Full access for CONTOSO\\Ops, Administrators',
    });
    await run(wanted);
    expect((await shares())[0]).toMatchObject({
      fullAccess: ['CONTOSO\\Ops', 'Administrators'],
      readAccess: ['Everyone'],
    });
    const fewer = share('C:\\Shares\\Data', ['Administrators']);
    expect(await probe(fewer)).toEqual({
      done: false,
      detail: 'share Data (C:\\Shares\\Data): Full access also for CONTOSO\\Ops',
    });
    await run(fewer);
    expect((await shares())[0]).toMatchObject({ fullAccess: ['Administrators'], readAccess: ['Everyone'] });
    expect((await probe(fewer)).done).toBe(true);
  });

  it('revoking the last entry leaves Everyone Read, as New-SmbShare makes a share without access lists', async () => {
    await run(share('C:\\Shares\\Data', ['CONTOSO\\Ops']));
    expect((await shares())[0]).toMatchObject({ fullAccess: ['CONTOSO\\Ops'], readAccess: [] });
    await run(share('C:\\Shares\\Data'));
    expect((await shares())[0]).toMatchObject({ fullAccess: [], readAccess: ['Everyone'] });
    expect((await probe(share('C:\\Shares\\Data'))).done).toBe(true);
  });

  it('an account named bare, qualified or in another case is the same account', async () => {
    await run(share('C:\\Shares\\Data', ['BUILTIN\\Administrators', 'CONTOSO\\Alice']));
    expect((await probe(share('C:\\Shares\\Data', ['Administrators', 'alice@contoso.com']))).done).toBe(true);
    expect((await probe(share('C:\\Shares\\Data', ['administrators', 'contoso\\alice']))).done).toBe(true);
    expect((await probe(share('C:\\Shares\\Data', ['Administrators', 'FABRIKAM\\Alice']))).done).toBe(false);
  });
});
