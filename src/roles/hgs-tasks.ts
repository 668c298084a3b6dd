/**
 * `hostGuardianService` and `guardedHost`. The HGS is its own forest: its local Administrator
 * becomes the HGS domain's administrator and keeps the VM credential's password (as a forest
 * root's does), so the VM's credential keeps working after Install-HgsServer; the DSRM
 * password is the VM credential's too (the role has no parameter for it).
 */
import type { RoleSpec, VmSpec } from '../manifest/lab.js';
import type { GuestTask, TaskRef } from './guest-task.js';
import type { LabIndex } from './lab-index.js';
import { UserError } from '../errors.js';
import { foreignTask, ownTask, type RoleContext } from './role-context.js';
import { domainDnsFor } from './network-defaults.js';

type Hgs = Extract<RoleSpec, { kind: 'hostGuardianService' }>;
type GuardedHost = Extract<RoleSpec, { kind: 'guardedHost' }>;

/** Key prefix of a VM's first role of a kind (`hostGuardianService`, `domainMember.2` ...). */
export function prefixOf(index: LabIndex, vm: VmSpec, kind: RoleSpec['kind']): string {
  return index.rolePrefixes(vm)[vm.roles.findIndex((r) => r.kind === kind)] ?? kind;
}

/** The task after which `vm` belongs to its domain (its join, or its DC promotion). */
function domainReadyRef(index: LabIndex, vm: VmSpec): TaskRef | undefined {
  if (index.role(vm, 'domainMember'))
    return { vm: vm.name, key: `${prefixOf(index, vm, 'domainMember')}/join` };
  if (!index.role(vm, 'domainController')) return undefined;
  const root = index.dcsOf(index.domainOf(vm)!)[0];
  return {
    vm: vm.name,
    key: `${prefixOf(index, vm, 'domainController')}/${root?.name === vm.name ? 'forest' : 'additional'}`,
  };
}

/** The guarded hosts attesting against an HGS primary, and their fabric domain (if any). */
function guardedHostsOf(index: LabIndex, primary: VmSpec): { vm: VmSpec; fabric?: string }[] {
  const hgsDomain = index.role(primary, 'hostGuardianService')!.domain.toLowerCase();
  return index.lab.vms
    .filter((v) => {
      const gh = index.role(v, 'guardedHost');
      return gh !== undefined && index.hgsPrimary(gh.hgs).name === primary.name;
    })
    .map((v) => {
      const fabric = index.domainOf(v);
      return fabric && fabric.toLowerCase() !== hgsDomain ? { vm: v, fabric } : { vm: v };
    });
}

/** The AD group of guarded hosts; suffixed by the HGS when the lab has more than one. */
export function guardedHostGroup(index: LabIndex, primary: VmSpec): string {
  const primaries = index.lab.vms.filter((v) => {
    const r = index.role(v, 'hostGuardianService');
    return r !== undefined && !r.join;
  });
  return primaries.length > 1 ? `GuardedHosts-${primary.name}` : 'GuardedHosts';
}

export function hgsTasks(ctx: RoleContext, role: Hgs): GuestTask[] {
  const { index } = ctx;
  const vm = ctx.cursor.vm;
  const own = index.initialCredential(vm);
  const tasks = [
    ownTask(ctx, 'features', `install the Host Guardian Service role on ${vm.name}`, {
      op: 'installFeatures',
      features: ['HostGuardianServiceRole'],
    }),
  ];
  if (role.join) {
    const primary = index.vm(role.join);
    const primaryAddress = index.addressesSeenBy(primary, vm)[0];
    if (!primaryAddress)
      throw new UserError(
        `HGS node ${vm.name} shares no network with a static address of ${primary.name}, the node it joins`,
      );
    const admin = index.initialCredential(primary);
    tasks.push(
      ownTask(
        ctx,
        'join',
        `join ${vm.name} to the HGS cluster of ${primary.name} (${role.domain})`,
        { op: 'joinHgs', domain: role.domain, primaryAddress, safeModePassword: own, credential: admin },
        {
          after: [{ vm: primary.name, key: `${prefixOf(index, primary, 'hostGuardianService')}/initialize` }],
          rebootCredential: admin,
          then: { wait: 'adReady', credential: admin },
        },
      ),
    );
    ctx.cursor.credential = admin;
    ctx.cursor.alternate = undefined;
    return tasks;
  }
  tasks.push(
    ownTask(
      ctx,
      'install',
      `install HGS in its own forest ${role.domain} on ${vm.name}`,
      { op: 'installHgs', domain: role.domain, safeModePassword: own },
      {
        rebootCredential: own,
        then: { wait: 'adReady', credential: own },
      },
    ),
    ownTask(ctx, 'initialize', `initialise HGS ${role.serviceName} (${role.attestation} attestation)`, {
      op: 'initializeHgs',
      serviceName: role.serviceName,
      attestation: role.attestation,
    }),
  );
  const hosts = guardedHostsOf(index, vm);
  const fabrics = [...new Set(hosts.flatMap((h) => (h.fabric ? [h.fabric] : [])))];
  const hgsNodes = index.dcsOf(role.domain);
  const group = guardedHostGroup(index, vm);
  for (const fabric of fabrics) {
    const fabricDc = index.dcsOf(fabric)[0]!;
    // Guarded hosts resolve the HGS URLs through their DNS: the fabric DC forwards the HGS domain.
    const back = foreignTask(
      ctx,
      fabricDc,
      `dnsForwarder.${role.domain}`,
      `forward DNS for ${role.domain} on ${fabricDc.name}`,
      {
        op: 'addDnsForwarder',
        domain: role.domain,
        masterServers: [...new Set(hgsNodes.flatMap((n) => index.addressesSeenBy(n, fabricDc)))],
      },
    );
    ctx.foreign(back);
    if (role.attestation !== 'ad') continue;
    const members = hosts.filter((h) => h.fabric === fabric);
    const groupTask = foreignTask(
      ctx,
      fabricDc,
      `adGroup.${group}`,
      `create group ${group} of guarded hosts in ${fabric}`,
      { op: 'createAdGroup', name: group, members: members.map((h) => h.vm.computerName) },
      { after: members.flatMap((h) => domainReadyRef(index, h.vm) ?? []) },
    );
    ctx.foreign(groupTask);
    tasks.push(
      ownTask(ctx, `dnsForwarder.${fabric}`, `forward DNS for ${fabric} on ${vm.name}`, {
        op: 'addDnsForwarder',
        domain: fabric,
        masterServers: domainDnsFor(index, vm, fabric),
      }),
      ownTask(
        ctx,
        `trust.${fabric}`,
        `${role.domain} trusts ${fabric}`,
        { op: 'createTrust', remoteDomain: fabric, remoteCredential: index.domainAdminOf(fabric) },
        { after: [index.adReadyRef(fabric), { vm: back.vm, key: back.key }] },
      ),
      ownTask(
        ctx,
        `hostGroup.${fabric}`,
        `attest members of ${fabric}\\${group}`,
        {
          op: 'addAttestationHostGroup',
          name: group,
          groupName: group,
          fabricDomain: fabric,
          from: { host: fabricDc.host, vm: fabricDc.name, credential: index.domainAdminOf(fabric) },
        },
        { after: [{ vm: groupTask.vm, key: groupTask.key }] },
      ),
    );
  }
  return tasks;
}

export function guardedHostTasks(ctx: RoleContext, role: GuardedHost): GuestTask[] {
  const { index } = ctx;
  const vm = ctx.cursor.vm;
  const primary = index.hgsPrimary(role.hgs);
  const hgs = index.role(primary, 'hostGuardianService')!;
  const hgsPrefix = prefixOf(index, primary, 'hostGuardianService');
  const features = ownTask(ctx, 'features', `install Hyper-V and HostGuardian on ${vm.name}`, {
    op: 'installFeatures',
    features: ['Hyper-V', 'HostGuardian'],
  });
  const after: TaskRef[] = [{ vm: primary.name, key: `${hgsPrefix}/initialize` }];
  const from = { host: vm.host, vm: vm.name, credential: ctx.cursor.credential };
  if (hgs.attestation !== 'ad') {
    const register = foreignTask(
      ctx,
      primary,
      'register',
      `register ${vm.name} with HGS ${primary.name} (${hgs.attestation})`,
      hgs.attestation === 'tpm'
        ? { op: 'addAttestationTpmHost', name: vm.computerName, from }
        : { op: 'addAttestationHostKey', name: vm.computerName, from },
      { after: [{ vm: vm.name, key: features.key }] },
    );
    ctx.foreign(register);
    after.push({ vm: register.vm, key: register.key });
  }
  const fabric = index.domainOf(vm);
  if (fabric && fabric.toLowerCase() !== hgs.domain.toLowerCase()) {
    const fabricDc = index.dcsOf(fabric)[0]!;
    after.push({ vm: fabricDc.name, key: `${hgsPrefix}@${primary.name}/dnsForwarder.${hgs.domain}` });
    if (hgs.attestation === 'ad') after.push({ vm: primary.name, key: `${hgsPrefix}/hostGroup.${fabric}` });
  }
  const base = `http://${hgs.serviceName}.${hgs.domain}`;
  return [
    features,
    ownTask(
      ctx,
      'configure',
      `point ${vm.name} at HGS ${base}`,
      {
        op: 'configureGuardedHost',
        attestationServerUrl: `${base}/Attestation`,
        keyProtectionServerUrl: `${base}/KeyProtection`,
      },
      { after },
    ),
  ];
}
