/**
 * The service roles: `hyperV`, `fileServer`, `dhcpServer`, `iscsiTarget` and `script`.
 */
import { createHash } from 'node:crypto';
import type { RoleSpec } from '../manifest/lab.js';
import type { GuestTask } from './guest-task.js';
import { ownTask, type RoleContext } from './role-context.js';
import { defaultDns, natGateway, prefixLengthOf } from './network-defaults.js';
import { UserError } from '../errors.js';

type Role<K extends RoleSpec['kind']> = Extract<RoleSpec, { kind: K }>;

export function hyperVTasks(ctx: RoleContext): GuestTask[] {
  return [
    ownTask(ctx, 'features', `install Hyper-V in ${ctx.cursor.vm.name}`, {
      op: 'installFeatures',
      features: ['Hyper-V'],
    }),
  ];
}

export function fileServerTasks(ctx: RoleContext, role: Role<'fileServer'>): GuestTask[] {
  return role.shares.map((s) =>
    ownTask(ctx, `share.${s.name}`, `share ${s.path} as \\\\${ctx.cursor.vm.computerName}\\${s.name}`, {
      op: 'createShare',
      name: s.name,
      path: s.path,
      fullAccess: [...s.fullAccess],
    }),
  );
}

/**
 * DHCP server and scopes; `authorize` (Add-DhcpServerInDC) is returned apart, to be placed once
 * the guest is in its domain (which may be a later role of the same VM).
 */
export function dhcpServerTasks(
  ctx: RoleContext,
  role: Role<'dhcpServer'>,
): { tasks: GuestTask[]; authorize?: () => GuestTask } {
  const { index } = ctx;
  const vm = ctx.cursor.vm;
  const domain = index.domainOf(vm);
  const tasks = [
    ownTask(ctx, 'features', `install the DHCP server on ${vm.name}`, {
      op: 'installFeatures',
      features: ['DHCP'],
    }),
  ];
  for (const scope of role.scopes) {
    const network = index.lab.networks.find((n) => n.name === scope.network);
    const prefixLength = network ? prefixLengthOf(network) : undefined;
    if (!network || prefixLength === undefined)
      throw new UserError(`DHCP scope on ${vm.name}: network ${scope.network} has no prefix`);
    const router = scope.router ?? natGateway(network);
    const dnsDomain = scope.dnsDomain ?? domain;
    tasks.push(
      ownTask(
        ctx,
        `scope.${scope.network}.${scope.start}`,
        `DHCP scope ${scope.start}-${scope.end} on ${scope.network}`,
        {
          op: 'addDhcpScope',
          name: scope.network,
          start: scope.start,
          end: scope.end,
          prefixLength,
          dnsServers: defaultDns({ index, vm, network }),
          ...(router ? { router } : {}),
          ...(dnsDomain ? { dnsDomain } : {}),
        },
      ),
    );
  }
  if (!domain || index.role(vm, 'hostGuardianService')) return { tasks };
  const address =
    role.scopes.map((s) => index.staticAddress(vm, s.network)).find((a) => a !== undefined) ??
    vm.network.flatMap((a) => (a.ip.kind === 'static' ? [a.ip.address] : []))[0];
  if (!address) return { tasks };
  const dnsName = `${vm.computerName}.${domain}`;
  // Built when placed, so it takes the credential the guest answers to by then.
  return {
    tasks,
    authorize: () =>
      ownTask(ctx, 'authorize', `authorise DHCP server ${dnsName} in ${domain}`, {
        op: 'authorizeDhcp',
        dnsName,
        address,
      }),
  };
}

export function iscsiTargetTasks(ctx: RoleContext, role: Role<'iscsiTarget'>): GuestTask[] {
  const { index } = ctx;
  const vm = ctx.cursor.vm;
  const initiatorAddresses = [
    ...new Set(
      role.initiators.flatMap((name) => {
        const initiator = index.vm(name);
        const seen = index.addressesSeenBy(initiator, vm);
        // No shared network: list every static address it has; routing is the user's design.
        return seen.length > 0
          ? seen
          : initiator.network.flatMap((a) => (a.ip.kind === 'static' ? [a.ip.address] : []));
      }),
    ),
  ];
  const n = ctx.prefix.includes('.') ? `-${ctx.prefix.split('.')[1]}` : '';
  return [
    ownTask(ctx, 'features', `install the iSCSI target server on ${vm.name}`, {
      op: 'installFeatures',
      features: ['FS-iSCSITarget-Server'],
    }),
    ownTask(ctx, 'target', `iSCSI target on ${vm.name} for ${role.initiators.join(', ')}`, {
      op: 'createIscsiTarget',
      targetName: `${index.lab.name}${n}`,
      disks: role.disks.map((d) => ({ name: d.name, size: d.size })),
      initiatorAddresses,
    }),
  ];
}

/** A script's id: its shell and text, so an edited script runs again and a reordered one does not. */
export function scriptId(role: Role<'script'>): string {
  return createHash('sha256').update(`${role.shell}\n${role.run}`).digest('hex').slice(0, 16);
}

/** The first line that says what a script does (not a comment, `set -e` or a preference). */
function scriptSummary(run: string): string {
  const lines = run
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const telling =
    lines.find((l) => !/^(#|set -|\$ErrorActionPreference|Set-StrictMode)/i.test(l)) ?? lines[0] ?? '';
  return telling.length > 60 ? `${telling.slice(0, 57)}...` : telling;
}

export function scriptTasks(ctx: RoleContext, role: Role<'script'>, id: string): GuestTask[] {
  const operation = {
    op: 'runScript' as const,
    id,
    run: role.run,
    shell: role.shell,
    reboots: role.reboots,
    ...(role.test !== undefined ? { test: role.test } : {}),
  };
  const extras = role.credential
    ? { credential: role.credential, ...(role.reboots ? { rebootCredential: role.credential } : {}) }
    : {};
  const summary = scriptSummary(role.run);
  return [ownTask(ctx, 'run', `run script on ${ctx.cursor.vm.name}: ${summary}`, operation, extras)];
}
