/**
 * `domainController` and `domainMember`: the forest root creates the forest and is done when
 * Active Directory answers; further DCs and members wait for that.
 */
import type { RoleSpec } from '../manifest/lab.js';
import type { GuestTask } from './guest-task.js';
import { foreignTask, ownTask, type RoleContext } from './role-context.js';
import { domainDnsFor } from './network-defaults.js';

type Dc = Extract<RoleSpec, { kind: 'domainController' }>;
type Member = Extract<RoleSpec, { kind: 'domainMember' }>;

export function domainControllerTasks(ctx: RoleContext, role: Dc): GuestTask[] {
  const vm = ctx.cursor.vm;
  const root = ctx.index.dcsOf(role.domain)[0];
  const tasks = [
    ownTask(ctx, 'features', `install AD DS and DNS on ${vm.name}`, {
      op: 'installFeatures',
      features: ['AD-Domain-Services', 'DNS'],
    }),
  ];
  const then = { wait: 'adReady' as const, credential: role.domainAdmin };
  if (root?.name === vm.name) {
    tasks.push(
      ownTask(
        ctx,
        'forest',
        `create forest ${role.domain} on ${vm.name}`,
        {
          op: 'createForest',
          domain: role.domain,
          netbios: role.netbios,
          safeModePassword: role.safeModePassword,
          domainAdmin: role.domainAdmin,
        },
        { rebootCredential: role.domainAdmin, then },
      ),
    );
  } else {
    tasks.push(
      ownTask(
        ctx,
        'additional',
        `add ${vm.name} as a domain controller of ${role.domain}`,
        {
          op: 'addDomainController',
          domain: role.domain,
          safeModePassword: role.safeModePassword,
          domainAdmin: role.domainAdmin,
        },
        { after: [ctx.index.adReadyRef(role.domain)], rebootCredential: role.domainAdmin, then },
      ),
    );
  }
  // From here on the local Administrator is the domain's, with the domain admin's password.
  ctx.cursor.credential = role.domainAdmin;
  ctx.cursor.alternate = undefined;
  return tasks;
}

export function domainMemberTasks(ctx: RoleContext, role: Member): GuestTask[] {
  const vm = ctx.cursor.vm;
  const dns = domainDnsFor(ctx.index, vm, role.domain);
  const after = [ctx.index.adReadyRef(role.domain)];
  const ou = role.ou ? { ou: role.ou } : {};
  // A member joined before its `ou` was set (or changed) is moved there from the first DC. A
  // join in the same apply already places the account (-OUPath, /machineou): the plan then
  // leaves the move out (diff/role-records.ts).
  if (role.ou) {
    const dc = ctx.index.dcsOf(role.domain)[0];
    if (dc)
      ctx.foreign(
        foreignTask(
          ctx,
          dc,
          'ou',
          `move ${vm.computerName}'s computer object to ${role.ou}`,
          { op: 'moveComputer', computerName: vm.computerName, ou: role.ou },
          { after: [{ vm: vm.name, key: `${ctx.prefix}/join` }] },
        ),
      );
  }
  if (ctx.joinMode === 'offline') {
    const dc = ctx.index.dcsOf(role.domain)[0]!;
    return [
      ownTask(
        ctx,
        'join',
        `join ${vm.name} to ${role.domain} offline (account provisioned on ${dc.name})`,
        {
          op: 'offlineDomainJoin',
          domain: role.domain,
          joinCredential: role.joinCredential,
          ...ou,
          dns,
          dc: { host: dc.host, vm: dc.name, credential: ctx.index.domainAdminOf(role.domain) },
        },
        { after },
      ),
    ];
  }
  return [
    ownTask(
      ctx,
      'join',
      `join ${vm.name} to ${role.domain}`,
      { op: 'joinDomain', domain: role.domain, joinCredential: role.joinCredential, ...ou, dns },
      { after },
    ),
  ];
}
