import { joinPointer } from '../pointer.js';
import { closestName } from '../suggest.js';
import type { RoleSpec, VmSpec } from '../lab.js';
import type { Rule } from './context.js';

type RoleOf<K extends RoleSpec['kind']> = Extract<RoleSpec, { kind: K }>;
const rolePointer = (vm: VmSpec, index: number, ...rest: string[]) =>
  joinPointer(vm.pointer, 'roles', index, vm.roles[index]!.kind, ...rest);

/**
 * A credential's literal password: the JSON Schema rejects it (`password` is an object, so
 * editors flag it too) and the schema check reports it with this message. Never echoes the value.
 */
export function literalPassword(name: unknown, index: number) {
  return {
    rule: 'literal-password',
    pointer: `/credentials/${index}/password`,
    message: `credential ${typeof name === 'string' ? name : `#${index + 1}`} has a literal password`,
    hint: 'use password: { fromEnv: VARIABLE } or { fromFile: ./secret.txt }',
  };
}

/** Passwords come from the environment or a file, never from the manifest. Values are never echoed. */
export const checkLiteralPasswords: Rule = (ctx) => {
  const credentials = ctx.lab.credentials.map((c) => c.name);
  for (const vm of ctx.entryVms) {
    vm.roles.forEach((role, i) => {
      if (role.kind === 'domainController' && !credentials.includes(role.safeModePassword)) {
        ctx.report.error({
          rule: 'literal-password',
          pointer: rolePointer(vm, i, 'safeModePassword'),
          message: `vm ${ctx.entryName(vm)} role domainController: safeModePassword must name a credential from credentials:, and this value names none`,
          hint: `add a credential (its password from fromEnv or fromFile) and name it here${credentials.length ? `; credentials: ${credentials.join(', ')}` : ''}`,
        });
      }
    });
  }
};

/** Which roles a guest can take, once each, and in sensible combinations. */
export const checkRoleCombinations: Rule = (ctx) => {
  for (const vm of ctx.entryVms) {
    const name = ctx.entryName(vm);
    const kinds = vm.roles.map((r) => r.kind);
    vm.roles.forEach((role, i) => {
      const pointer = joinPointer(vm.pointer, 'roles', i);
      if (vm.os === 'linux' && !(role.kind === 'script' && role.shell === 'bash')) {
        ctx.report.error({
          rule: 'linux-role',
          pointer,
          message: `Linux vm ${name} cannot take the ${role.kind}${role.kind === 'script' ? ' (powershell)' : ''} role; Linux guests take only script roles with shell: bash`,
          hint: role.kind === 'script' ? 'set shell: bash' : 'move this role to a Windows VM',
        });
      }
      if (vm.os === 'windows' && role.kind === 'script' && role.shell === 'bash') {
        ctx.report.error({
          rule: 'script-shell',
          pointer: rolePointer(vm, i, 'shell'),
          message: `Windows vm ${name}: a script with shell: bash needs a Linux guest`,
          hint: 'use shell: powershell',
        });
      }
      if (role.kind !== 'script' && kinds.indexOf(role.kind) !== i) {
        ctx.report.error({
          rule: 'role-duplicate',
          pointer,
          message: `vm ${name} takes the ${role.kind} role twice`,
          hint: 'merge the two entries into one',
        });
      }
    });
    const conflicts: [RoleSpec['kind'], RoleSpec['kind'], string][] = [
      ['domainController', 'domainMember', 'a domain controller is not a member of a domain'],
      ['hostGuardianService', 'domainController', 'the Host Guardian Service creates its own forest'],
      ['hostGuardianService', 'domainMember', 'the Host Guardian Service creates its own forest'],
      ['hostGuardianService', 'guardedHost', 'an HGS node cannot attest itself'],
    ];
    for (const [a, b, why] of conflicts) {
      if (kinds.includes(a) && kinds.includes(b))
        ctx.report.error({
          rule: 'role-conflict',
          pointer: joinPointer(vm.pointer, 'roles', kinds.indexOf(b)),
          message: `vm ${name} takes both ${a} and ${b}: ${why}`,
          hint: 'put these roles on different VMs',
        });
    }
  }
};

/** Domains: members need a controller, NetBIOS names are unique, HGS keeps its own forest. */
export const checkDomains: Rule = (ctx) => {
  const { lab, report } = ctx;
  const dcs = new Map<string, { vm: VmSpec; role: RoleOf<'domainController'>; index: number }[]>();
  const hgsDomains: { vm: VmSpec; role: RoleOf<'hostGuardianService'>; index: number }[] = [];
  for (const vm of lab.vms) {
    vm.roles.forEach((role, index) => {
      if (role.kind === 'domainController') {
        const key = role.domain.toLowerCase();
        dcs.set(key, [...(dcs.get(key) ?? []), { vm, role, index }]);
      }
      if (role.kind === 'hostGuardianService') hgsDomains.push({ vm, role, index });
    });
  }
  const domains = [...dcs.values()].map((list) => list[0]!.role.domain);
  for (const list of dcs.values()) {
    for (const { vm, index } of list) {
      if (vm.network.length > 0 && !vm.network.some((a) => a.ip.kind === 'static'))
        report.warning({
          rule: 'dc-address',
          pointer: rolePointer(vm, index),
          message: `domain controller ${vm.name} has no static or automatic address; members point their DNS at it`,
          hint: 'give its adapter ip: auto or a static address',
        });
    }
  }
  for (const vm of ctx.entryVms) {
    vm.roles.forEach((role, index) => {
      if (role.kind === 'domainMember') {
        const controllers = dcs.get(role.domain.toLowerCase());
        if (!controllers) {
          const best = closestName(role.domain, domains);
          report.error({
            rule: 'domain-no-controller',
            pointer: rolePointer(vm, index, 'domain'),
            message: `vm ${ctx.entryName(vm)} joins domain ${role.domain}, which no VM of the lab is a domainController of${best ? `; did you mean ${best}?` : ''}`,
            hint: domains.length
              ? `lab domains: ${domains.join(', ')}`
              : 'add a VM with a domainController role for this domain',
          });
        } else if (
          !controllers.some((c) => c.vm.network.some((a) => vm.network.some((b) => a.network === b.network)))
        ) {
          report.warning({
            rule: 'domain-unreachable',
            pointer: rolePointer(vm, index, 'domain'),
            message: `vm ${ctx.entryName(vm)} joins ${role.domain} but shares no network with its domain controllers`,
            hint: 'connect the member to a network of a domain controller',
          });
        }
      }
      if (role.kind === 'guardedHost') {
        const hgs = ctx.vmByName.get(role.hgs);
        if (hgs && !hgs.roles.some((r) => r.kind === 'hostGuardianService'))
          report.error({
            rule: 'guarded-host-no-hgs',
            pointer: rolePointer(vm, index, 'hgs'),
            message: `vm ${ctx.entryName(vm)} is a guarded host of ${role.hgs}, which has no hostGuardianService role`,
            hint: `give ${role.hgs} a hostGuardianService role, or point hgs at the VM that has it`,
          });
      }
      if (role.kind === 'hostGuardianService' && role.join !== undefined) {
        const first = ctx.vmByName.get(role.join);
        const firstRole = first?.roles.find(
          (r): r is RoleOf<'hostGuardianService'> => r.kind === 'hostGuardianService',
        );
        if (first && !firstRole)
          report.error({
            rule: 'guarded-host-no-hgs',
            pointer: rolePointer(vm, index, 'join'),
            message: `vm ${ctx.entryName(vm)} joins the HGS of ${role.join}, which has no hostGuardianService role`,
            hint: 'join must name the first HGS node',
          });
        else if (firstRole && firstRole.domain.toLowerCase() !== role.domain.toLowerCase())
          report.error({
            rule: 'hgs-domain-conflict',
            pointer: rolePointer(vm, index, 'domain'),
            message: `vm ${ctx.entryName(vm)} joins HGS ${role.join} of domain ${firstRole.domain} but declares domain ${role.domain}`,
            hint: `set domain: ${firstRole.domain}`,
          });
      }
    });
  }
  // One NetBIOS name per domain, and no two domains sharing one.
  const netbiosOwner = new Map<string, string>();
  for (const [key, list] of dcs) {
    const first = list[0]!;
    for (const other of list.slice(1)) {
      if (other.role.netbios.toUpperCase() !== first.role.netbios.toUpperCase())
        report.error({
          rule: 'netbios-duplicate',
          pointer: rolePointer(other.vm, other.index, 'netbios'),
          message: `domain ${other.role.domain} has NetBIOS name ${other.role.netbios} here but ${first.role.netbios} on vm ${first.vm.name}`,
          hint: 'give every domain controller of a domain the same netbios, or leave it out',
        });
    }
    const nb = first.role.netbios.toUpperCase();
    const owner = netbiosOwner.get(nb);
    if (owner !== undefined && owner !== key)
      report.error({
        rule: 'netbios-duplicate',
        pointer: rolePointer(first.vm, first.index, 'netbios'),
        message: `domains ${owner} and ${first.role.domain} both have the NetBIOS name ${nb}`,
        hint: 'set a different netbios on one of them',
      });
    else netbiosOwner.set(nb, key);
  }
  const memberDomains = new Set<string>();
  for (const vm of lab.vms)
    for (const r of vm.roles) if (r.kind === 'domainMember') memberDomains.add(r.domain.toLowerCase());
  for (const { vm, role, index } of hgsDomains) {
    const d = role.domain.toLowerCase();
    if (dcs.has(d) || memberDomains.has(d))
      report.error({
        rule: 'hgs-domain-conflict',
        pointer: rolePointer(vm, index, 'domain'),
        message: `vm ${vm.name}: the HGS domain ${role.domain} is also a domain of the lab; HGS needs a forest of its own`,
        hint: 'use a separate domain for HGS, e.g. hgs.local',
      });
  }
};
