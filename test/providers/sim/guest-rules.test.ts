import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors.js';
import {
  ctx,
  GiB,
  LINUX_IMAGE,
  MARK,
  newSim,
  refused,
  STORE,
  target,
  wait,
  windowsVm,
} from './sim-fixtures.js';
import { DC_IP, FIRST_BOOT, forest, memberVm, REBOOT } from './guest-scenario.js';
import { DEFAULT_TIMING as T } from '../../../src/providers/sim/time/timing-profile.js';

const join = {
  op: 'joinDomain' as const,
  domain: 'contoso.com',
  joinCredential: 'domain-admin',
  dns: [DC_IP],
};

describe('guest preconditions', () => {
  it('needs a running guest with PowerShell Direct up and the right credential', async () => {
    const { sim, clock } = await newSim();
    await windowsVm(sim, { name: 'a', start: false });
    const off = await sim
      .runGuest(target('a'), { op: 'setComputerName', computerName: 'B' }, ctx())
      .catch((e: ProviderError) => e);
    expect(off).toMatchObject({ retryable: false, message: expect.stringMatching(/not in running state/) });
    await sim.run('hv01', { op: 'startVm', name: 'a' }, ctx());
    const booting = await sim
      .runGuest(target('a'), { op: 'setComputerName', computerName: 'B' }, ctx())
      .catch((e: ProviderError) => e);
    expect(booting).toMatchObject({
      retryable: true,
      record: { fullyQualifiedErrorId: expect.stringMatching(/^PSSessionStateBroken/) },
    });
    await wait(clock, FIRST_BOOT);
    const wrong = await sim
      .runGuest(target('a', 'wrong-admin'), { op: 'setComputerName', computerName: 'B' }, ctx())
      .catch((e: ProviderError) => e);
    expect(wrong).toMatchObject({ retryable: false, record: { message: 'The credential is invalid.' } });
    // A wrong password is an answer, reported at once as what it is (the Hyper-V provider agrees: guest-errors.test.ts).
    await expect(sim.guestReachable(target('a', 'wrong-admin'), ctx())).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(
        /^PowerShell Direct into \S+ refused the credential of \S+: The credential is invalid\.$/,
      ),
      record: { category: 'AuthenticationError', fullyQualifiedErrorId: 'CredentialRefused,Labform' },
    });
    expect(await sim.runGuest(target('a'), { op: 'setComputerName', computerName: 'B' }, ctx())).toEqual({
      rebooted: true,
    });
  });

  it('a Windows guest without an answer file waits at OOBE: heartbeat OK, no PowerShell Direct', async () => {
    const { sim, clock } = await newSim();
    const disk = `${STORE}\\raw\\raw.vhdx`;
    await sim.run(
      'hv01',
      {
        op: 'createVhd',
        path: disk,
        size: 0,
        format: 'vhdx',
        type: 'differencing',
        parentPath: 'D:\\Images\\WS2022.vhdx',
      },
      ctx(),
    );
    await sim.run(
      'hv01',
      {
        op: 'createVm',
        name: 'raw',
        generation: 2,
        path: `${STORE}\\raw`,
        memoryStartup: 2 * GiB,
        notes: MARK,
      },
      ctx(),
    );
    await sim.run(
      'hv01',
      {
        op: 'attachDisk',
        vm: 'raw',
        path: disk,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 0,
        supportPersistentReservations: false,
      },
      ctx(),
    );
    await sim.run('hv01', { op: 'startVm', name: 'raw' }, ctx());
    await wait(clock, FIRST_BOOT);
    expect(await sim.heartbeat('hv01', 'raw', ctx())).toBe('OK');
    expect(await sim.guestReachable(target('raw'), ctx())).toBe(false);
  });

  it('a VM without an image never reports a heartbeat', async () => {
    const { sim, clock } = await newSim();
    await sim.run(
      'hv01',
      {
        op: 'createVm',
        name: 'empty',
        generation: 2,
        path: `${STORE}\\empty`,
        memoryStartup: GiB,
        notes: MARK,
      },
      ctx(),
    );
    await sim.run('hv01', { op: 'startVm', name: 'empty' }, ctx());
    await wait(clock, 600_000);
    expect(await sim.heartbeat('hv01', 'empty', ctx())).toBe('NoContact');
  });

  it('after forest creation only the domain admin credential works on the DC', async () => {
    const { sim, clock } = await newSim();
    await forest(sim, clock);
    await expect(sim.guestReachable(target('dc01', 'lab-admin'), ctx())).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(
        /^PowerShell Direct into \S+ refused the credential of \S+: The credential is invalid\.$/,
      ),
      record: { category: 'AuthenticationError', fullyQualifiedErrorId: 'CredentialRefused,Labform' },
    });
    expect(await sim.guestReachable(target('dc01', 'domain-admin'), ctx())).toBe(true);
    const probes = await sim.probeGuest(
      target('dc01', 'domain-admin'),
      [
        {
          op: 'createForest',
          domain: 'contoso.com',
          netbios: 'CONTOSO',
          safeModePassword: 'dsrm',
          domainAdmin: 'domain-admin',
        },
      ],
      ctx(),
    );
    expect(probes[0]!.done).toBe(true);
    await expect(sim.probeGuest(target('dc01', 'lab-admin'), [], ctx())).rejects.toMatchObject({
      retryable: false,
    });
  });

  it('createForest installs the AD DS feature itself (as its script does) and needs a domain name not in use', async () => {
    const { sim, clock } = await newSim();
    await forest(sim, clock);
    await memberVm(sim, clock, 'dc02', '00155D000011', '192.168.50.11');
    const op = {
      op: 'createForest' as const,
      domain: 'contoso.com',
      netbios: 'CONTOSO2',
      safeModePassword: 'dsrm',
      domainAdmin: 'domain-admin',
    };
    // LabformGuestOp-createForest runs Install-WindowsFeature AD-Domain-Services when it is missing.
    const taken = await refused(sim.runGuest(target('dc02'), op, ctx()));
    expect(taken.message).toMatch(/already in use/);
    await sim.runGuest(
      target('dc02'),
      {
        op: 'addDomainController',
        domain: 'contoso.com',
        safeModePassword: 'dsrm',
        domainAdmin: 'domain-admin',
      },
      ctx(),
    );
    await wait(clock, REBOOT);
    expect(await sim.guestReachable(target('dc02', 'domain-admin'), ctx())).toBe(true);
  });

  it('a join needs a DC with AD answering and the domain admin password', async () => {
    const { sim, clock } = await newSim();
    await forest(sim, clock, { waitForAd: false });
    await memberVm(sim, clock, 'web01', '00155D000020', '192.168.50.20');
    const early = await refused(sim.runGuest(target('web01'), join, ctx()));
    expect(early.record?.fullyQualifiedErrorId).toBe(
      'FailToJoinDomainFromWorkgroup,Microsoft.PowerShell.Commands.AddComputerCommand',
    );
    expect(early.message).toMatch(/could not be contacted/);
    await wait(clock, T.boot.adAfterPromotion);
    const badPassword = await refused(
      sim.runGuest(target('web01'), { ...join, joinCredential: 'wrong-admin' }, ctx()),
    );
    expect(badPassword.message).toMatch(/user name or password is incorrect/);
    const noDns = await refused(sim.runGuest(target('web01'), { ...join, dns: ['8.8.8.8'] }, ctx()));
    expect(noDns.message).toMatch(/none of the DNS servers/);
    expect(await sim.runGuest(target('web01'), join, ctx())).toEqual({ rebooted: true });
    const probe = await sim.probeGuest(target('web01'), [join], ctx());
    expect(probe[0]).toMatchObject({ done: false, detail: expect.stringMatching(/not reachable/) });
    await wait(clock, REBOOT);
    expect((await sim.probeGuest(target('web01'), [join], ctx()))[0]!.done).toBe(true);
    // A member accepts the domain admin as well as its local administrator.
    expect(await sim.guestReachable(target('web01', 'domain-admin'), ctx())).toBe(true);
  });

  it('an offline join needs the DC reachable with its credential', async () => {
    const { sim, clock } = await newSim();
    await forest(sim, clock);
    await memberVm(sim, clock, 'web01', '00155D000020', '192.168.50.20');
    const odj = {
      op: 'offlineDomainJoin' as const,
      domain: 'contoso.com',
      joinCredential: 'domain-admin',
      dns: [DC_IP],
      dc: { host: 'hv01', vm: 'dc01', credential: 'domain-admin' },
    };
    await sim.run('hv01', { op: 'stopVm', name: 'dc01', force: true }, ctx());
    const down = await refused(sim.runGuest(target('web01'), odj, ctx()));
    expect(down.message).toMatch(/Provisioning the computer account on dc01 failed/);
    await sim.run('hv01', { op: 'startVm', name: 'dc01' }, ctx());
    await wait(clock, T.boot.bootToHeartbeat + T.boot.adAfterBoot);
    await refused(
      sim.runGuest(target('web01'), { ...odj, dc: { ...odj.dc, credential: 'lab-admin' } }, ctx()),
    );
    expect(await sim.runGuest(target('web01'), odj, ctx())).toEqual({ rebooted: true });
  });

  it('installs Hyper-V only with nested virtualization', async () => {
    const { sim, clock } = await newSim();
    await windowsVm(sim, { name: 'a' });
    await wait(clock, FIRST_BOOT);
    const e = await refused(
      sim.runGuest(target('a'), { op: 'installFeatures', features: ['Hyper-V'] }, ctx()),
    );
    expect(e.message).toMatch(/virtualization capabilities/);
    const unknown = await refused(
      sim.runGuest(target('a'), { op: 'installFeatures', features: ['No-Such-Feature'] }, ctx()),
    );
    expect(unknown.record?.category).toBe('InvalidArgument');
  });

  it('HGS: install in a workgroup, initialise after AD answers; guarded hosts need an initialised HGS', async () => {
    const { sim, clock } = await newSim();
    await forest(sim, clock);
    await memberVm(sim, clock, 'hgs01', '00155D000030', '192.168.50.30');
    await memberVm(sim, clock, 'host01', '00155D000040', '192.168.50.40', { nested: true });
    const hgs = target('hgs01');
    const host = target('host01');
    const guard = {
      op: 'configureGuardedHost' as const,
      attestationServerUrl: 'http://hgs.bastion.local/Attestation',
      keyProtectionServerUrl: 'http://hgs.bastion.local/KeyProtection',
    };
    await sim.runGuest(host, { op: 'installFeatures', features: ['Hyper-V', 'HostGuardian'] }, ctx());
    await wait(clock, 2 * REBOOT + T.boot.betweenReboots);
    const early = await refused(sim.runGuest(host, guard, ctx()));
    expect(early.message).toMatch(/no initialised Host Guardian Service/);
    // The role restarts the guest (src/model/windows-features.json: Microsoft installs it with -Restart).
    expect(
      await sim.runGuest(hgs, { op: 'installFeatures', features: ['HostGuardianServiceRole'] }, ctx()),
    ).toMatchObject({ rebooted: true });
    await wait(clock, REBOOT);
    expect(
      await sim.runGuest(hgs, { op: 'installHgs', domain: 'bastion.local', safeModePassword: 'dsrm' }, ctx()),
    ).toEqual({ rebooted: true });
    await wait(clock, REBOOT);
    // The local Administrator's password carried over to the HGS domain.
    const hgsAdmin = target('hgs01', 'hgs-admin');
    await expect(
      sim.runGuest(hgsAdmin, { op: 'initializeHgs', serviceName: 'hgs', attestation: 'tpm' }, ctx()),
    ).rejects.toThrow(/Active Directory/);
    await wait(clock, T.boot.adAfterPromotion);
    await sim.runGuest(hgsAdmin, { op: 'initializeHgs', serviceName: 'hgs', attestation: 'tpm' }, ctx());
    const noTpm = await refused(
      sim.runGuest(
        hgsAdmin,
        {
          op: 'addAttestationTpmHost',
          name: 'host01',
          from: { host: 'hv01', vm: 'host01', credential: 'lab-admin' },
        },
        ctx(),
      ),
    );
    expect(noTpm.message).toMatch(/TPM 2\.0/);
    await sim.runGuest(host, guard, ctx());
    expect((await sim.probeGuest(host, [guard], ctx()))[0]!.done).toBe(true);
  });

  it('a guest cluster needs every node joined to the same domain with Failover-Clustering', async () => {
    const { sim, clock } = await newSim();
    await forest(sim, clock);
    await memberVm(sim, clock, 'n1', '00155D000051', '192.168.50.51');
    await memberVm(sim, clock, 'n2', '00155D000052', '192.168.50.52');
    const op = {
      op: 'createCluster' as const,
      name: 'sqlclu',
      nodes: ['N1', 'N2'],
      address: '192.168.50.50',
      sharedVolumes: [],
      disks: [],
    };
    for (const n of ['n1', 'n2'])
      await sim.runGuest(target(n), { op: 'installFeatures', features: ['Failover-Clustering'] }, ctx());
    const notJoined = await refused(sim.runGuest(target('n1'), op, ctx()));
    expect(notJoined.message).toMatch(/error creating the cluster|not joined/);
    await sim.runGuest(target('n1'), join, ctx());
    await wait(clock, REBOOT);
    const n2 = await refused(sim.runGuest(target('n1'), op, ctx()));
    expect(n2.message).toMatch(/node 'N2'.*not joined to contoso.com/);
    await sim.runGuest(target('n2'), join, ctx());
    await wait(clock, REBOOT);
    await sim.runGuest(target('n1'), op, ctx());
    expect((await sim.probeGuest(target('n2'), [op], ctx()))[0]!.done).toBe(true);
  });

  it('Linux guests take only bash scripts, reached over SSH once booted', async () => {
    const { sim, clock } = await newSim();
    const disk = `${STORE}\\lx\\lx.vhdx`;
    await sim.run(
      'hv01',
      { op: 'createVhd', path: disk, size: 0, format: 'vhdx', type: 'differencing', parentPath: LINUX_IMAGE },
      ctx(),
    );
    await sim.run(
      'hv01',
      { op: 'createVm', name: 'lx', generation: 2, path: `${STORE}\\lx`, memoryStartup: GiB, notes: MARK },
      ctx(),
    );
    await sim.run(
      'hv01',
      {
        op: 'configureVm',
        name: 'lx',
        settings: { firmware: { secureBoot: true, secureBootTemplate: 'MicrosoftUEFICertificateAuthority' } },
      },
      ctx(),
    );
    await sim.run(
      'hv01',
      {
        op: 'attachDisk',
        vm: 'lx',
        path: disk,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 0,
        supportPersistentReservations: false,
      },
      ctx(),
    );
    await sim.run('hv01', { op: 'startVm', name: 'lx' }, ctx());
    const lx = target('lx', 'lab-admin', 'hv01', 'linux');
    expect(await sim.guestReachable(lx, ctx())).toBe(false);
    await wait(clock, T.boot.linuxBootToHeartbeat + T.boot.sshAfterHeartbeat);
    expect(await sim.guestReachable(lx, ctx())).toBe(true);
    await refused(sim.runGuest(lx, { op: 'setComputerName', computerName: 'X' }, ctx()));
    await refused(
      sim.runGuest(
        lx,
        { op: 'runScript', id: 's', run: 'Get-Date', shell: 'powershell', reboots: false },
        ctx(),
      ),
    );
    await sim.runGuest(lx, { op: 'runScript', id: 's', run: 'date', shell: 'bash', reboots: false }, ctx());
    expect(
      (
        await sim.probeGuest(
          lx,
          [{ op: 'runScript', id: 's', run: 'date', shell: 'bash', reboots: false }],
          ctx(),
        )
      )[0]!.done,
    ).toBe(true);
  });

  it('a Linux image under the MicrosoftWindows secure boot template does not boot', async () => {
    const { sim, clock } = await newSim();
    const disk = `${STORE}\\lx\\lx.vhdx`;
    await sim.run(
      'hv01',
      { op: 'createVhd', path: disk, size: 0, format: 'vhdx', type: 'differencing', parentPath: LINUX_IMAGE },
      ctx(),
    );
    await sim.run(
      'hv01',
      { op: 'createVm', name: 'lx', generation: 2, path: `${STORE}\\lx`, memoryStartup: GiB, notes: MARK },
      ctx(),
    );
    await sim.run(
      'hv01',
      {
        op: 'attachDisk',
        vm: 'lx',
        path: disk,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 0,
        supportPersistentReservations: false,
      },
      ctx(),
    );
    await sim.run('hv01', { op: 'startVm', name: 'lx' }, ctx());
    await wait(clock, 300_000);
    expect(await sim.heartbeat('hv01', 'lx', ctx())).toBe('NoContact');
  });

  it('never writes a password into the state', async () => {
    const { sim, clock } = await newSim();
    await forest(sim, clock);
    const raw = JSON.stringify(await sim.rawState('hv01'));
    for (const secret of ['Local-P@ss1', 'Domain-P@ss2', 'Dsrm-P@ss3']) expect(raw).not.toContain(secret);
  });
});
