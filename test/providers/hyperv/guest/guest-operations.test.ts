import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GuestOperation } from '../../../../src/model/guest-operation.js';
import type { CallContext, GuestTarget } from '../../../../src/providers/call-context.js';
import { describePwsh } from '../../../support/pwsh.js';
import { credential, guestFixture, type GuestFixture, PWSH_TIMEOUTS } from './guest-fixture.js';

vi.setConfig(PWSH_TIMEOUTS);

const admin = credential('lab-admin', 'Initial#1');
const domainAdmin = credential('domain-admin', "Dom@in'1");
const safeMode = credential('safe-mode', 'Safe$(1)');
const credentials = { 'lab-admin': admin, 'domain-admin': domainAdmin, 'safe-mode': safeMode };

describePwsh('guest operations against the fake Hyper-V module', () => {
  let f: GuestFixture;
  let ctx: CallContext;

  beforeAll(async () => {
    f = guestFixture();
    await f.start();
    ctx = f.context(credentials);
  });
  afterAll(async () => {
    await f?.close();
  });

  /** The probe says not done, the operation runs, the probe says done. */
  async function flip(
    target: GuestTarget,
    operation: GuestOperation,
    after: GuestTarget = target,
  ): Promise<{ rebooted: boolean; detail?: string }> {
    const [before] = await f.runner.probeGuest(target, [operation], ctx);
    expect(before?.done, `${operation.op} done before running`).toBe(false);
    const result = await f.runner.runGuest(target, operation, ctx);
    const [now] = await f.runner.probeGuest(after, [operation], ctx);
    expect(now?.done, `${operation.op} not done after running: ${now?.detail}`).toBe(true);
    return result;
  }

  /** A forest contoso.com on dc01 (AD answering at once) and a member m01 joined to it. */
  async function domainWithMember(): Promise<void> {
    await f.runner.runGuest(
      f.target('dc01'),
      { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] },
      ctx,
    );
    await f.runner.runGuest(
      f.target('dc01'),
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      ctx,
    );
    await f.runner.runGuest(
      f.target('m01'),
      { op: 'joinDomain', domain: 'contoso.com', joinCredential: 'domain-admin', dns: ['10.0.0.10'] },
      ctx,
    );
  }

  it('renames the computer and restarts', async () => {
    f.seed([{ name: 'dc01', macs: ['00155D000001'], guest: null }]);
    const result = await flip(f.target('dc01'), { op: 'setComputerName', computerName: 'LABDC1' });
    expect(result.rebooted).toBe(true);
    expect(f.guest('dc01').computerName).toBe('LABDC1');
    expect(f.guest('dc01').restarts).toBe(1);
  });

  it('sets static addresses, gateway and DNS on the adapter found by MAC, and reports them through KVP', async () => {
    f.seed([{ name: 'dc01', macs: ['00155D000009', '00155D000001'] }]);
    const op: GuestOperation = {
      op: 'setNetwork',
      mac: '00155D000001',
      dhcp: false,
      addresses: [{ address: '10.0.0.10', prefixLength: 24 }],
      gateway: '10.0.0.1',
      dns: ['10.0.0.10', '10.0.0.11'],
    };
    const result = await flip(f.target('dc01'), op);
    expect(result.rebooted).toBe(false);
    const guest = f.guest('dc01');
    // The lab network leaves Windows' Public profile (a Server 2025 guest keeps it, blocking WinRM, SMB and ping).
    expect(guest.networks['00155D000001']).toMatchObject({
      dhcp: false,
      gateway: '10.0.0.1',
      dns: ['10.0.0.10', '10.0.0.11'],
      addresses: [{ address: '10.0.0.10', prefixLength: 24 }],
      category: 'Private',
    });
    expect(guest.networks['00155D000009']).toBeUndefined();
    const adapter = f.state().vms[0]!.adapters.find((a) => a.mac === '00155D000001');
    expect(adapter.ipAddresses).toEqual(['10.0.0.10']);
    // Changing the address replaces the old one.
    const moved: GuestOperation = {
      ...op,
      addresses: [{ address: '10.0.0.20', prefixLength: 24 }],
    } as GuestOperation;
    await flip(f.target('dc01'), moved);
    expect(f.guest('dc01').networks['00155D000001'].addresses).toEqual([
      { address: '10.0.0.20', prefixLength: 24 },
    ]);
  });

  it('switches an adapter to DHCP', async () => {
    f.seed([{ name: 'dc01', macs: ['00155D000001'], guest: null }]);
    await f.runner.runGuest(
      f.target('dc01'),
      {
        op: 'setNetwork',
        mac: '00155D000001',
        dhcp: false,
        addresses: [{ address: '10.0.0.10', prefixLength: 24 }],
        dns: [],
      },
      ctx,
    );
    await flip(f.target('dc01'), {
      op: 'setNetwork',
      mac: '00155D000001',
      dhcp: true,
      addresses: [],
      dns: [],
    });
    expect(f.guest('dc01').networks['00155D000001'].dhcp).toBe(true);
  });

  it('installs features and restarts only when one needs it', async () => {
    f.seed([{ name: 'h1', macs: ['00155D000001'], nested: true }]);
    expect(
      (await flip(f.target('h1'), { op: 'installFeatures', features: ['DNS', 'FS-FileServer'] })).rebooted,
    ).toBe(false);
    expect((await flip(f.target('h1'), { op: 'installFeatures', features: ['Hyper-V'] })).rebooted).toBe(
      true,
    );
    expect(f.guest('h1').features).toEqual(['DNS', 'FS-FileServer', 'Hyper-V']);
  });

  it('creates a forest: the Administrator takes the domain admin password, Active Directory answers', async () => {
    f.seed([{ name: 'dc01', macs: ['00155D000001'] }]);
    await f.runner.runGuest(
      f.target('dc01'),
      { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] },
      ctx,
    );
    const op: GuestOperation = {
      op: 'createForest',
      domain: 'contoso.com',
      netbios: 'CONTOSO',
      safeModePassword: 'safe-mode',
      domainAdmin: 'domain-admin',
    };
    const result = await flip(f.target('dc01'), op, f.target('dc01', domainAdmin));
    expect(result.rebooted).toBe(true);
    // After the promotion only the domain's Administrator gets in.
    await expect(f.runner.guestReachable(f.target('dc01'), ctx)).rejects.toMatchObject({
      retryable: false,
      record: { category: 'AuthenticationError', fullyQualifiedErrorId: 'CredentialRefused,Labform' },
    });
    expect(await f.runner.guestReachable(f.target('dc01', domainAdmin), ctx)).toBe(true);
    expect(await f.runner.adReady(f.target('dc01', domainAdmin), ctx)).toBe(true);
    expect(f.guest('dc01').dc).toMatchObject({ domain: 'contoso.com', netbios: 'CONTOSO', root: true });
    expect(f.state().calls.find((c) => c.cmdlet === 'Install-ADDSForest')?.parameters).toMatchObject({
      DomainName: 'contoso.com',
      DomainNetbiosName: 'CONTOSO',
      InstallDns: true,
      SafeModeAdministratorPassword: '(securestring)',
    });
  });

  it('adds a second domain controller with the qualified domain admin credential', async () => {
    f.seed([
      { name: 'dc01', macs: ['00155D000001'] },
      { name: 'dc02', macs: ['00155D000002'] },
    ]);
    await f.runner.runGuest(
      f.target('dc01'),
      { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] },
      ctx,
    );
    await f.runner.runGuest(
      f.target('dc01'),
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      ctx,
    );
    const op: GuestOperation = {
      op: 'addDomainController',
      domain: 'contoso.com',
      safeModePassword: 'safe-mode',
      domainAdmin: 'domain-admin',
    };
    expect((await flip(f.target('dc02'), op, f.target('dc02', domainAdmin))).rebooted).toBe(true);
    expect(f.guest('dc02').dc).toMatchObject({ domain: 'contoso.com', root: false });
  });

  it('joins a member to the domain (DNS first), and the domain admin can then log on', async () => {
    f.seed([
      { name: 'dc01', macs: ['00155D000001'] },
      { name: 'm01', macs: ['00155D000002'] },
    ]);
    await f.runner.runGuest(
      f.target('dc01'),
      { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] },
      ctx,
    );
    await f.runner.runGuest(
      f.target('dc01'),
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      ctx,
    );
    const op: GuestOperation = {
      op: 'joinDomain',
      domain: 'contoso.com',
      joinCredential: 'domain-admin',
      ou: 'OU=Servers,DC=contoso,DC=com',
      dns: ['10.0.0.10'],
    };
    expect((await flip(f.target('m01'), op)).rebooted).toBe(true);
    expect(f.guest('m01').domain).toBe('contoso.com');
    expect(f.guest('m01').networks['00155D000002'].dns).toEqual(['10.0.0.10']);
    const join = f.state().calls.find((c) => c.cmdlet === 'Add-Computer');
    expect(join?.parameters).toMatchObject({
      DomainName: 'contoso.com',
      OUPath: 'OU=Servers,DC=contoso,DC=com',
    });
    expect(await f.runner.guestReachable(f.target('m01', domainAdmin), ctx)).toBe(true);
  });

  it('joins offline: djoin /provision on the DC, the blob applied in the member, never in the state or the answer', async () => {
    f.seed([
      { name: 'dc01', macs: ['00155D000001'] },
      { name: 'm02', macs: ['00155D000003'] },
    ]);
    await f.runner.runGuest(
      f.target('dc01'),
      { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] },
      ctx,
    );
    await f.runner.runGuest(
      f.target('dc01'),
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      ctx,
    );
    const op: GuestOperation = {
      op: 'offlineDomainJoin',
      domain: 'contoso.com',
      joinCredential: 'domain-admin',
      dns: ['10.0.0.10'],
      dc: { host: 'hv01', vm: 'dc01', credential: 'domain-admin' },
    };
    const result = await flip(f.target('m02'), op);
    expect(result.rebooted).toBe(true);
    expect(f.guest('m02').domain).toBe('contoso.com');
    expect(f.guest('dc01').dc.computers).toContain('M02');
    expect(JSON.stringify(result)).not.toContain('ODJ');
  });

  it('installs and initialises HGS, trusts the fabric forest, registers the host group, TPM host and host key', async () => {
    f.seed([
      { name: 'dc01', macs: ['00155D000001'] },
      { name: 'gh01', macs: ['00155D000002'], tpm: true },
      { name: 'hgs01', macs: ['00155D000003'] },
      { name: 'hgs02', macs: ['00155D000004'] },
    ]);
    await domainWithMemberNamed('gh01');
    await f.runner.runGuest(
      f.target('dc01', domainAdmin),
      { op: 'createAdGroup', name: 'Guarded Hosts', members: ['GH01'] },
      ctx,
    );
    const hgs = f.target('hgs01');
    expect(
      (await flip(hgs, { op: 'installHgs', domain: 'bastion.local', safeModePassword: 'safe-mode' }))
        .rebooted,
    ).toBe(true);
    expect(await f.runner.adReady(hgs, ctx)).toBe(true);
    await flip(hgs, { op: 'initializeHgs', serviceName: 'hgs', attestation: 'ad' });
    await flip(hgs, { op: 'createTrust', remoteDomain: 'contoso.com', remoteCredential: 'domain-admin' });
    const group = await flip(hgs, {
      op: 'addAttestationHostGroup',
      name: 'GuardedHosts',
      groupName: 'Guarded Hosts',
      fabricDomain: 'contoso.com',
      from: { host: 'hv01', vm: 'dc01', credential: 'domain-admin' },
    });
    expect(group.rebooted).toBe(false);
    const sid = f.guest('dc01').dc.groups[0].sid;
    expect(f.guest('hgs01').attestation.hostGroups).toEqual([{ name: 'GuardedHosts', identifier: sid }]);
    await flip(hgs, {
      op: 'addAttestationTpmHost',
      name: 'gh01',
      from: { host: 'hv01', vm: 'gh01', credential: 'lab-admin' },
    });
    expect(f.guest('hgs01').attestation.tpmHosts[0].identifier).toMatch(/^EK-/);
    await flip(hgs, {
      op: 'addAttestationHostKey',
      name: 'gh01',
      from: { host: 'hv01', vm: 'gh01', credential: 'lab-admin' },
    });
    expect(f.guest('hgs01').attestation.hostKeys[0].key).toBe(f.guest('gh01').hostKey);
    // An extra node joins the first: promoted, restarted, initialised against the first node.
    const joined = await flip(f.target('hgs02'), {
      op: 'joinHgs',
      domain: 'bastion.local',
      primaryAddress: '10.0.0.30',
      safeModePassword: 'safe-mode',
      credential: 'lab-admin',
    });
    expect(joined.rebooted).toBe(true);
    expect(f.guest('hgs02').hgs).toMatchObject({ initialized: true, primary: '10.0.0.30' });
    // The guarded host points at the HGS and can attest.
    await f.runner.runGuest(f.target('gh01'), { op: 'installFeatures', features: ['HostGuardian'] }, ctx);
    const configured = await flip(f.target('gh01'), {
      op: 'configureGuardedHost',
      attestationServerUrl: 'http://hgs.bastion.local/Attestation',
      keyProtectionServerUrl: 'http://hgs.bastion.local/KeyProtection',
    });
    expect(configured.detail).toContain('Passed');
  });

  async function domainWithMemberNamed(member: string): Promise<void> {
    await f.runner.runGuest(
      f.target('dc01'),
      { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] },
      ctx,
    );
    await f.runner.runGuest(
      f.target('dc01'),
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      ctx,
    );
    await f.runner.runGuest(
      f.target(member),
      { op: 'setComputerName', computerName: member.toUpperCase() },
      ctx,
    );
    await f.runner.runGuest(
      f.target(member),
      { op: 'joinDomain', domain: 'contoso.com', joinCredential: 'domain-admin', dns: ['10.0.0.10'] },
      ctx,
    );
  }

  it('creates a DNS forwarder and an AD group of computers', async () => {
    f.seed([
      { name: 'dc01', macs: ['00155D000001'] },
      { name: 'm01', macs: ['00155D000002'] },
    ]);
    await f.runner.runGuest(f.target('m01'), { op: 'setComputerName', computerName: 'M01' }, ctx);
    await domainWithMember();
    const dc = f.target('dc01', domainAdmin);
    await flip(dc, {
      op: 'addDnsForwarder',
      domain: 'bastion.local',
      masterServers: ['10.0.0.30', '10.0.0.31'],
    });
    expect(f.guest('dc01').dnsZones).toEqual([
      { name: 'bastion.local', type: 'Forwarder', masterServers: ['10.0.0.30', '10.0.0.31'] },
    ]);
    await flip(dc, { op: 'createAdGroup', name: 'GuardedHosts', members: ['M01'] });
    expect(f.guest('dc01').dc.groups[0]).toMatchObject({ name: 'GuardedHosts', members: ['M01'] });
  });

  it('serves files, DHCP (scope, options, authorisation) and iSCSI', async () => {
    f.seed([
      { name: 'dc01', macs: ['00155D000001'] },
      { name: 'm01', macs: ['00155D000002'] },
    ]);
    await f.runner.runGuest(f.target('m01'), { op: 'setComputerName', computerName: 'M01' }, ctx);
    await domainWithMember();
    const m01 = f.target('m01');
    await flip(m01, {
      op: 'createShare',
      name: 'VMs',
      path: 'C:\\Shares\\VMs',
      fullAccess: ['CONTOSO\\Domain Admins', 'CONTOSO\\GH01$'],
    });
    expect(f.guest('m01').shares).toEqual([
      {
        name: 'VMs',
        path: 'C:\\Shares\\VMs',
        access: [
          { account: 'CONTOSO\\Domain Admins', type: 'Allow', right: 'Full' },
          { account: 'CONTOSO\\GH01$', type: 'Allow', right: 'Full' },
        ],
      },
    ]);
    await f.runner.runGuest(m01, { op: 'installFeatures', features: ['DHCP', 'FS-iSCSITarget-Server'] }, ctx);
    await flip(m01, {
      op: 'addDhcpScope',
      name: 'LabNet',
      start: '10.0.0.100',
      end: '10.0.0.200',
      prefixLength: 24,
      router: '10.0.0.1',
      dnsServers: ['10.0.0.10'],
      dnsDomain: 'contoso.com',
    });
    expect(f.guest('m01').dhcpScopes[0]).toMatchObject({
      scopeId: '10.0.0.0',
      subnetMask: '255.255.255.0',
      start: '10.0.0.100',
      end: '10.0.0.200',
      state: 'Active',
    });
    expect(f.guest('m01').dhcpOptions[0]).toMatchObject({
      router: ['10.0.0.1'],
      dnsServer: ['10.0.0.10'],
      dnsDomain: 'contoso.com',
    });
    await flip(m01, { op: 'authorizeDhcp', dnsName: 'm01.contoso.com', address: '10.0.0.12' });
    await flip(m01, {
      op: 'createIscsiTarget',
      targetName: 'cluster',
      disks: [
        { name: 'quorum', size: 1073741824 },
        { name: 'data', size: 10737418240 },
      ],
      initiatorAddresses: ['10.0.0.21', '10.0.0.22'],
    });
    const target = f.guest('m01').iscsiTargets[0];
    expect(target.initiatorIds).toEqual(['IPAddress:10.0.0.21', 'IPAddress:10.0.0.22']);
    expect(target.paths).toHaveLength(2);
  });

  it('creates a guest cluster whose witness is the lab disk it names, not the smallest disk', async () => {
    // The data disk is the smaller one and comes first: neither size order nor position tells the witness.
    const shared = [
      { path: 'C:\\ClusterStorage\\Volume1\\data.vhdx', size: 1073741824 },
      { path: 'C:\\ClusterStorage\\Volume1\\quorum.vhdx', size: 2147483648 },
    ];
    f.seed([
      { name: 'dc01', macs: ['00155D000001'] },
      { name: 'n1', macs: ['00155D000002'], sharedDisks: shared },
      { name: 'n2', macs: ['00155D000003'], sharedDisks: shared },
    ]);
    await f.runner.runGuest(
      f.target('dc01'),
      { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] },
      ctx,
    );
    await f.runner.runGuest(
      f.target('dc01'),
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      ctx,
    );
    for (const node of ['n1', 'n2']) {
      await f.runner.runGuest(
        f.target(node),
        { op: 'setComputerName', computerName: node.toUpperCase() },
        ctx,
      );
      await f.runner.runGuest(
        f.target(node),
        { op: 'installFeatures', features: ['Failover-Clustering'] },
        ctx,
      );
      await f.runner.runGuest(
        f.target(node),
        { op: 'joinDomain', domain: 'contoso.com', joinCredential: 'domain-admin', dns: ['10.0.0.10'] },
        ctx,
      );
    }
    await flip(f.target('n1'), {
      op: 'createCluster',
      name: 'sqlclu',
      nodes: ['N1', 'N2'],
      address: '10.0.0.40',
      witness: { disk: 'quorum' },
      sharedVolumes: ['data'],
      disks: [
        { name: 'quorum', size: 2147483648 },
        { name: 'data', size: 1073741824 },
      ],
    });
    const cluster = f.guest('n1').cluster;
    expect(cluster).toMatchObject({
      name: 'sqlclu',
      nodes: ['N1', 'N2'],
      address: '10.0.0.40',
      witness: { disk: 'quorum' },
      csv: ['data'],
    });
    expect(
      cluster.disks.map((d: { name: string; path: string }) => [d.name, d.path.split('\\').pop()]),
    ).toEqual([
      ['data', 'data.vhdx'],
      ['quorum', 'quorum.vhdx'],
    ]);
  });

  it("moves a share (Remove-SmbShare, New-SmbShare) and makes its Full access the manifest's", async () => {
    f.seed([{ name: 'fs1', macs: ['00155D000001'] }]);
    const fs1 = f.target('fs1');
    const share = (path: string, fullAccess: string[] = []): GuestOperation => ({
      op: 'createShare',
      name: 'Data',
      path,
      fullAccess,
    });
    const access = () => (f.guest('fs1').shares as { access: unknown[] }[])[0]!.access;
    const probe = async (op: GuestOperation) => (await f.runner.probeGuest(fs1, [op], ctx))[0];
    await flip(fs1, share('C:\\Shares\\Data'));
    // New-SmbShare without -FullAccess: Everyone Read, which is no Full access to fight over.
    expect(access()).toEqual([{ account: 'Everyone', type: 'Allow', right: 'Read' }]);
    expect(await probe(share('C:\\Data2'))).toEqual({
      done: false,
      detail: 'share Data exists with path C:\\Shares\\Data',
    });
    expect(await flip(fs1, share('C:\\Data2'))).toEqual({
      rebooted: false,
      detail: 'share Data made again at C:\\Data2 (C:\\Shares\\Data and its files stay)',
    });
    expect(f.guest('fs1').shares).toMatchObject([{ name: 'Data', path: 'C:\\Data2' }]);
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${f.dir}/fake-guests/fs1/C/Shares/Data`)).toBe(true);

    const two = share('C:\\Data2', ['CONTOSO\\Ops', 'Administrators']);
    expect(await probe(two)).toEqual({
      done: false,
      detail: 'share Data (C:\\Data2): no Full access for CONTOSO\\Ops, Administrators',
    });
    await flip(fs1, two);
    expect(access()).toEqual([
      { account: 'Everyone', type: 'Allow', right: 'Read' },
      { account: 'CONTOSO\\Ops', type: 'Allow', right: 'Full' },
      { account: 'Administrators', type: 'Allow', right: 'Full' },
    ]);
    // Spelled another way, the same accounts: done.
    expect((await probe(share('C:\\Data2', ['contoso\\ops', 'BUILTIN\\Administrators'])))?.done).toBe(true);
    const one = share('C:\\Data2', ['Administrators']);
    expect(await probe(one)).toEqual({
      done: false,
      detail: 'share Data (C:\\Data2): Full access also for CONTOSO\\Ops',
    });
    expect(await flip(fs1, one)).toEqual({
      rebooted: false,
      detail: 'share Data Full access revoked from CONTOSO\\Ops',
    });
    expect(access()).toEqual([
      { account: 'Everyone', type: 'Allow', right: 'Read' },
      { account: 'Administrators', type: 'Allow', right: 'Full' },
    ]);
  });

  it('revoking the last allow entry of a share leaves Everyone Read, as New-SmbShare makes it', async () => {
    f.seed([{ name: 'fs2', macs: ['00155D000001'] }]);
    const fs2 = f.target('fs2');
    await flip(fs2, { op: 'createShare', name: 'Data', path: 'C:\\Data', fullAccess: ['CONTOSO\\Ops'] });
    const access = () => (f.guest('fs2').shares as { access: unknown[] }[])[0]!.access;
    expect(access()).toEqual([{ account: 'CONTOSO\\Ops', type: 'Allow', right: 'Full' }]);
    await flip(fs2, { op: 'createShare', name: 'Data', path: 'C:\\Data', fullAccess: [] });
    expect(access()).toEqual([{ account: 'Everyone', type: 'Allow', right: 'Read' }]);
  });

  it('runs a script once (marker) or while its test says not done', async () => {
    f.seed([{ name: 'h1', macs: ['00155D000001'] }]);
    const once: GuestOperation = {
      op: 'runScript',
      id: 'role.h1.script/1',
      run: "'ran' | Out-Null",
      shell: 'powershell',
      reboots: false,
    };
    await flip(f.target('h1'), once);
    const marker = `${f.dir}/fake-guests/h1/ProgramData/labform/scripts/role.h1.script_1.done`;
    const { existsSync } = await import('node:fs');
    expect(existsSync(marker)).toBe(true);
    const file = `${f.dir}/tested.txt`;
    const tested: GuestOperation = {
      op: 'runScript',
      id: 'tested',
      shell: 'powershell',
      reboots: true,
      run: `Set-Content -LiteralPath '${file}' -Value 'x'`,
      test: `Test-Path -LiteralPath '${file}'`,
    };
    expect((await flip(f.target('h1'), tested)).rebooted).toBe(true);
  });

  it("answers all of a VM's probes in one request, in order", async () => {
    f.seed([{ name: 'h1', macs: ['00155D000001'] }]);
    await f.runner.runGuest(f.target('h1'), { op: 'installFeatures', features: ['DNS'] }, ctx);
    const results = await f.runner.probeGuest(
      f.target('h1'),
      [
        { op: 'setComputerName', computerName: 'H1' },
        { op: 'installFeatures', features: ['DNS'] },
        { op: 'installFeatures', features: ['DHCP'] },
        { op: 'createShare', name: 'x', path: 'C:\\x', fullAccess: [] },
      ],
      ctx,
    );
    expect(results.map((r) => r.done)).toEqual([true, true, false, false]);
  });
});
