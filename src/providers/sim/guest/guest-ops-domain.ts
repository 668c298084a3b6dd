/** Active Directory inside guests: forests, domain controllers, joins, DNS forwarders, groups, trusts, clusters. */
import type { GuestOperation } from '../../../model/guest-operation.js';
import type { Credential } from '../../../secrets/secret.js';
import {
  adAnswers,
  dcsOf,
  guestRefusal,
  guestsNamed,
  reachProblem,
  readyDc,
  type ReachedGuest,
} from './guest-access.js';
import {
  NO_REBOOT,
  ensureFeature,
  requireFeature,
  requireWindows,
  type GuestEffect,
  type GuestOpContext,
} from './guest-op-context.js';
import { bareUser, domainAdmin, hashPassword, passwordMatches } from './guest-model.js';
import type { SimDc } from '../sim-state.js';

type Op<K extends GuestOperation['op']> = Extract<GuestOperation, { op: K }>;

const ADDS_ID =
  'Test.VerifyDcPromoCore.DCPromo.General.77,Microsoft.DirectoryServices.Deployment.PowerShell.Commands';

function domainAdminMatches(g: GuestOpContext, domain: string, credential: Credential): boolean {
  const admin = domainAdmin(g.env.world, domain);
  return (
    !!admin &&
    bareUser(admin.user) === bareUser(credential.username) &&
    passwordMatches(admin.password, credential.password.reveal())
  );
}

function notContacted(g: GuestOpContext, cmdlet: string, domain: string, id: string): Error {
  return guestRefusal(
    g.site,
    cmdlet,
    `The specified domain either does not exist or could not be contacted. (${domain})`,
    {
      id,
      category: 'ResourceUnavailable',
      explain: `no domain controller of ${domain} with Active Directory answering`,
    },
  );
}

/** Point every adapter's DNS at `dns` (Set-DnsClientServerAddress), keeping its addresses. */
function setDns(g: GuestOpContext, dns: string[]): void {
  if (dns.length === 0) return;
  for (const a of g.at.vm.adapters) {
    const net = g.at.guest.networks[a.mac] ?? { dhcp: true, addresses: [], dns: [] };
    g.at.guest.networks[a.mac] = { ...net, dns: [...dns] };
  }
}

export function createForest(g: GuestOpContext, op: Op<'createForest'>): GuestEffect {
  requireWindows(g, 'Install-ADDSForest');
  ensureFeature(g, 'AD-Domain-Services');
  const guest = g.at.guest;
  g.env.call.credentials.get(op.safeModePassword);
  const admin = g.env.call.credentials.get(op.domainAdmin);
  if (guest.dc || guest.domain) {
    throw guestRefusal(
      g.site,
      'Install-ADDSForest',
      `Verification of prerequisites for Domain Controller promotion failed. The server is already ${guest.dc ? `a domain controller of ${guest.dc.domain}` : `a member of ${guest.domain}`}.`,
      { id: ADDS_ID },
    );
  }
  const existing = dcsOf(g.env, op.domain).filter((dc) => dc.vm.id !== g.at.vm.id);
  if (existing.length > 0) {
    throw guestRefusal(
      g.site,
      'Install-ADDSForest',
      `Verification of prerequisites for Domain Controller promotion failed. The specified domain name '${op.domain}' is already in use.`,
      {
        id: ADDS_ID,
        category: 'ResourceExists',
        explain: `${existing[0]!.vm.name} is a domain controller of ${op.domain}`,
      },
    );
  }
  const netbiosTaken = g.env.world
    .allVms()
    .find(({ vm }) => vm.guest?.dc && vm.guest.dc.netbios.toLowerCase() === op.netbios.toLowerCase());
  if (netbiosTaken) {
    throw guestRefusal(
      g.site,
      'Install-ADDSForest',
      `Verification of prerequisites for Domain Controller promotion failed. The NetBIOS domain name '${op.netbios}' is already in use.`,
      { id: ADDS_ID, category: 'ResourceExists' },
    );
  }
  guest.dc = {
    domain: op.domain,
    netbios: op.netbios.toUpperCase(),
    forestRoot: true,
    admin: { user: admin.username, password: hashPassword(admin.password.reveal()) },
  };
  guest.domain = op.domain;
  if (!guest.features.includes('DNS')) guest.features.push('DNS');
  return { reboots: 1, promotion: true };
}

export function addDomainController(g: GuestOpContext, op: Op<'addDomainController'>): GuestEffect {
  requireWindows(g, 'Install-ADDSDomainController');
  ensureFeature(g, 'AD-Domain-Services');
  g.env.call.credentials.get(op.safeModePassword);
  const admin = g.env.call.credentials.get(op.domainAdmin);
  const guest = g.at.guest;
  if (guest.dc) {
    throw guestRefusal(
      g.site,
      'Install-ADDSDomainController',
      `Verification of prerequisites for Domain Controller promotion failed. The server is already a domain controller of ${guest.dc.domain}.`,
      { id: ADDS_ID },
    );
  }
  const source = readyDc(g.env, op.domain);
  if (!source) throw notContacted(g, 'Install-ADDSDomainController', op.domain, ADDS_ID);
  if (!domainAdminMatches(g, op.domain, admin)) {
    throw guestRefusal(
      g.site,
      'Install-ADDSDomainController',
      'Verification of prerequisites for Domain Controller promotion failed. The user name or password is incorrect.',
      { id: ADDS_ID, category: 'AuthenticationError' },
    );
  }
  guest.dc = {
    domain: source.guest.dc!.domain,
    netbios: source.guest.dc!.netbios,
    forestRoot: false,
    admin: { ...source.guest.dc!.admin },
  };
  guest.domain = source.guest.dc!.domain;
  // Install-ADDSDomainController -InstallDns: the new DC serves DNS too.
  if (!guest.features.includes('DNS')) guest.features.push('DNS');
  return { reboots: 1, promotion: true };
}

function checkJoinable(g: GuestOpContext, cmdlet: string, domain: string): void {
  const guest = g.at.guest;
  if (guest.dc || (guest.domain && guest.domain.toLowerCase() !== domain.toLowerCase())) {
    throw guestRefusal(
      g.site,
      cmdlet,
      `Computer '${guest.computerName}' failed to join domain '${domain}': it is already ${guest.dc ? 'a domain controller' : 'a member'} of '${guest.domain}'.`,
      { id: 'FailToJoinDomainFromWorkgroup,Microsoft.PowerShell.Commands.AddComputerCommand' },
    );
  }
}

export function joinDomain(g: GuestOpContext, op: Op<'joinDomain'>): GuestEffect {
  requireWindows(g, 'Add-Computer');
  checkJoinable(g, 'Add-Computer', op.domain);
  const id = 'FailToJoinDomainFromWorkgroup,Microsoft.PowerShell.Commands.AddComputerCommand';
  const from = `Computer '${g.at.guest.computerName}' failed to join domain '${op.domain}' from its current workgroup 'WORKGROUP' with following error message:`;
  const dc = readyDc(g.env, op.domain);
  // The domain is located through DNS: one of the guest's DNS servers must be a DC of it that answers.
  const dcAddresses = dcsOf(g.env, op.domain)
    .filter((d) => adAnswers(g.env, d.vm))
    .flatMap((d) => Object.values(d.guest.networks).flatMap((n) => n.addresses.map((a) => a.address)));
  const resolvable =
    op.dns.some((s) => dcAddresses.includes(s)) ||
    g.env.world
      .allVms()
      .some(
        ({ vm }) =>
          vm.guest?.dnsForwarders.some((f) => f.domain.toLowerCase() === op.domain.toLowerCase()) &&
          op.dns.some((s) =>
            Object.values(vm.guest!.networks).some((n) => n.addresses.some((a) => a.address === s)),
          ),
      );
  if (!dc || !resolvable) {
    throw guestRefusal(
      g.site,
      'Add-Computer',
      `${from} The specified domain either does not exist or could not be contacted.`,
      {
        id,
        category: 'ResourceUnavailable',
        explain: !dc
          ? `no domain controller of ${op.domain} with Active Directory answering`
          : `none of the DNS servers ${op.dns.join(', ') || '(none)'} is a domain controller of ${op.domain}`,
      },
    );
  }
  const join = g.env.call.credentials.get(op.joinCredential);
  if (!domainAdminMatches(g, op.domain, join)) {
    throw guestRefusal(g.site, 'Add-Computer', `${from} The user name or password is incorrect.`, {
      id,
      category: 'AuthenticationError',
    });
  }
  setDns(g, op.dns);
  if (g.at.guest.domain) return { reboots: 0, detail: 'already joined' };
  g.at.guest.domain = dc.guest.dc!.domain;
  placeComputer(dc.guest.dc!, g.at.guest.computerName, op.ou);
  return { reboots: 1 };
}

/** Where a new computer account goes: -OUPath / /machineou, else the default Computers container. */
function placeComputer(dc: SimDc, computerName: string, ou: string | undefined): void {
  if (!ou) return;
  dc.computerOus = { ...(dc.computerOus ?? {}), [computerName.toUpperCase()]: ou };
}

/** `DC=contoso,DC=com` for contoso.com. */
export function domainDn(domain: string): string {
  return domain
    .split('.')
    .map((p) => `DC=${p}`)
    .join(',');
}

/** Two distinguished names alike for Active Directory: case and spaces around `,` and `=` aside. */
export function sameDn(a: string, b: string): boolean {
  const norm = (dn: string) => dn.replace(/\s*([,=])\s*/g, '$1').toLowerCase();
  return norm(a) === norm(b);
}

/** The distinguished name of a computer object as Get-ADComputer reports it. */
export function computerDn(dc: SimDc, computerName: string): string {
  const name = computerName.toUpperCase();
  return `CN=${name},${dc.computerOus?.[name] ?? `CN=Computers,${domainDn(dc.domain)}`}`;
}

/**
 * Get-ADComputer -Identity NAME | Move-ADObject -TargetPath OU, on a domain controller
 * (Microsoft Learn, "Move-ADObject": moves an object to another container; Get-ADComputer's
 * output can be piped to it). The computer must have joined the domain.
 */
export function moveComputer(g: GuestOpContext, op: Op<'moveComputer'>): GuestEffect {
  requireWindows(g, 'Move-ADObject');
  requireOwnAd(g, 'Get-ADComputer');
  const dc = g.at.guest.dc!;
  const member = guestsNamed(g.env, op.computerName).some(
    (m) => m.guest.domain?.toLowerCase() === dc.domain.toLowerCase(),
  );
  if (!member)
    throw guestRefusal(
      g.site,
      'Get-ADComputer',
      `Cannot find an object with identity: '${op.computerName}' under: '${domainDn(dc.domain)}'.`,
      {
        id: 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException',
        category: 'ObjectNotFound',
        explain: `${op.computerName} has not joined ${dc.domain}`,
      },
    );
  dc.computerOus = { ...(dc.computerOus ?? {}), [op.computerName.toUpperCase()]: op.ou };
  return NO_REBOOT;
}

export function offlineDomainJoin(g: GuestOpContext, op: Op<'offlineDomainJoin'>): GuestEffect {
  requireWindows(g, 'djoin');
  checkJoinable(g, 'djoin', op.domain);
  const dcCredential = g.env.call.credentials.get(op.dc.credential);
  const problem = reachProblem(g.env, {
    host: op.dc.host,
    vm: op.dc.vm,
    os: 'windows',
    credential: dcCredential,
  });
  if (problem) {
    throw guestRefusal(
      g.site,
      'djoin',
      `Provisioning the computer account on ${op.dc.vm} failed: ${problem.message}`,
      { id: 'DjoinProvisionFailed', category: 'ResourceUnavailable' },
    );
  }
  const dc = g.env.world.findVm(op.dc.host, op.dc.vm)!;
  if (dc.vm.guest?.dc?.domain.toLowerCase() !== op.domain.toLowerCase() || !adAnswers(g.env, dc.vm))
    throw notContacted(g, 'djoin', op.domain, 'DjoinProvisionFailed');
  if (!domainAdminMatches(g, op.domain, g.env.call.credentials.get(op.joinCredential))) {
    throw guestRefusal(
      g.site,
      'djoin',
      'Provisioning the computer account failed: The user name or password is incorrect.',
      { id: 'DjoinProvisionFailed', category: 'AuthenticationError' },
    );
  }
  setDns(g, op.dns);
  if (g.at.guest.domain) return { reboots: 0, detail: 'already joined' };
  g.at.guest.domain = dc.vm.guest.dc.domain;
  placeComputer(dc.vm.guest.dc, g.at.guest.computerName, op.ou);
  return { reboots: 1 };
}

function requireOwnAd(g: GuestOpContext, cmdlet: string): void {
  if (!g.at.guest.dc || !adAnswers(g.env, g.at.vm)) {
    throw guestRefusal(
      g.site,
      cmdlet,
      'Unable to contact the server. This may be because this server does not exist, it is currently down, or it does not have the Active Directory Web Services running.',
      {
        id: 'ActiveDirectoryServer:0',
        category: 'ResourceUnavailable',
        explain: g.at.guest.dc
          ? 'Active Directory is not answering yet'
          : `${g.at.vm.name} is not a domain controller`,
      },
    );
  }
}

export function addDnsForwarder(g: GuestOpContext, op: Op<'addDnsForwarder'>): GuestEffect {
  requireWindows(g, 'Add-DnsServerConditionalForwarderZone');
  requireFeature(g, 'DNS', 'Add-DnsServerConditionalForwarderZone');
  if (op.masterServers.length === 0)
    throw guestRefusal(g.site, 'Add-DnsServerConditionalForwarderZone', 'The parameter is incorrect.', {
      id: 'WIN32 87',
      category: 'InvalidArgument',
      explain: 'no master servers',
    });
  const list = g.at.guest.dnsForwarders.filter((f) => f.domain.toLowerCase() !== op.domain.toLowerCase());
  list.push({ domain: op.domain, masterServers: [...op.masterServers] });
  g.at.guest.dnsForwarders = list;
  return NO_REBOOT;
}

export function createAdGroup(g: GuestOpContext, op: Op<'createAdGroup'>): GuestEffect {
  requireWindows(g, 'New-ADGroup');
  requireOwnAd(g, 'New-ADGroup');
  const domain = g.at.guest.dc!.domain;
  for (const member of op.members) {
    const found = guestsNamed(g.env, member).some(
      (m) => m.guest.domain?.toLowerCase() === domain.toLowerCase(),
    );
    if (!found) {
      throw guestRefusal(
        g.site,
        'Add-ADGroupMember',
        `Cannot find an object with identity: '${member}$' under: '${domain
          .split('.')
          .map((p) => `DC=${p}`)
          .join(',')}'.`,
        {
          id: 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException',
          category: 'ObjectNotFound',
          explain: `${member} has not joined ${domain}`,
        },
      );
    }
  }
  const existing = g.at.guest.groups.find((x) => x.name.toLowerCase() === op.name.toLowerCase());
  if (existing) existing.members = [...new Set([...existing.members, ...op.members])];
  else g.at.guest.groups.push({ name: op.name, members: [...op.members] });
  return NO_REBOOT;
}

export function createTrust(g: GuestOpContext, op: Op<'createTrust'>): GuestEffect {
  requireWindows(g, 'netdom trust');
  requireOwnAd(g, 'netdom trust');
  const forwarded = g.at.guest.dnsForwarders.some(
    (f) => f.domain.toLowerCase() === op.remoteDomain.toLowerCase(),
  );
  if (!forwarded || !readyDc(g.env, op.remoteDomain)) {
    throw notContacted(g, 'netdom trust', op.remoteDomain, 'TrustCreationFailed');
  }
  if (!domainAdminMatches(g, op.remoteDomain, g.env.call.credentials.get(op.remoteCredential))) {
    throw guestRefusal(g.site, 'netdom trust', 'The user name or password is incorrect.', {
      id: 'TrustCreationFailed',
      category: 'AuthenticationError',
    });
  }
  if (!g.at.guest.trusts.some((t) => t.toLowerCase() === op.remoteDomain.toLowerCase()))
    g.at.guest.trusts.push(op.remoteDomain);
  return NO_REBOOT;
}

export function createCluster(g: GuestOpContext, op: Op<'createCluster'>): GuestEffect {
  requireWindows(g, 'New-Cluster');
  requireFeature(g, 'Failover-Clustering', 'New-Cluster');
  const domain = g.at.guest.domain;
  const id = 'New-Cluster,Microsoft.FailoverClusters.PowerShell.NewClusterCommand';
  if (!domain || !readyDc(g.env, domain)) {
    throw guestRefusal(
      g.site,
      'New-Cluster',
      'There was an error creating the cluster: the cluster name object could not be created because no domain controller answers.',
      { id, category: 'ResourceUnavailable' },
    );
  }
  const nodes: ReachedGuest[] = [];
  for (const name of op.nodes) {
    const node = guestsNamed(g.env, name)[0];
    const problem = !node
      ? 'was not found'
      : node.vm.power.state !== 'Running'
        ? 'is not running'
        : node.guest.domain?.toLowerCase() !== domain.toLowerCase()
          ? `is not joined to ${domain}`
          : !node.guest.features.some((f) => f.toLowerCase() === 'failover-clustering')
            ? 'does not have the Failover-Clustering feature'
            : undefined;
    if (problem)
      throw guestRefusal(
        g.site,
        'New-Cluster',
        `There was an error validating node '${name}': the node ${problem}.`,
        {
          id,
          explain:
            'every node must be running, joined to the same domain and have Failover-Clustering installed',
        },
      );
    nodes.push(node!);
  }
  const cluster = {
    name: op.name,
    nodes: [...op.nodes],
    address: op.address,
    sharedVolumes: [...op.sharedVolumes],
  };
  for (const node of nodes)
    node.guest.cluster = { ...cluster, nodes: [...cluster.nodes], sharedVolumes: [...cluster.sharedVolumes] };
  g.at.guest.cluster = cluster;
  return NO_REBOOT;
}
