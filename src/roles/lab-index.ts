/**
 * Look-ups over an expanded Lab that every role builder needs: VMs by name, domains and their
 * DCs, static addresses per network, and which credential reaches a guest before and after
 * its domain exists.
 */
import type { Lab, RoleKind, RoleSpec, VmSpec } from '../manifest/lab.js';
import { InternalError, UserError } from '../errors.js';

type RoleOf<K extends RoleKind> = Extract<RoleSpec, { kind: K }>;

export interface LabIndex {
  lab: Lab;
  vm(name: string): VmSpec;
  /** The first role of this kind on the VM, if any. */
  role<K extends RoleKind>(vm: VmSpec, kind: K): RoleOf<K> | undefined;
  /** `domainController`, `domainController.2`, ... for each of the VM's roles, in order. */
  rolePrefixes(vm: VmSpec): string[];
  /** The domain a VM belongs to: a DC's or member's domain, or an HGS node's own domain. */
  domainOf(vm: VmSpec): string | undefined;
  /** The domain controllers of a domain (HGS nodes for an HGS domain), first = forest root. */
  dcsOf(domain: string): VmSpec[];
  /** Credential of the domain's administrator (the first DC's `domainAdmin`; HGS: first node's credential). */
  domainAdminOf(domain: string): string;
  /** The forest root's task after which Active Directory answers (its `then: adReady`). */
  adReadyRef(domain: string): { vm: string; key: string };
  /** HGS: the first node (itself, or the node named by `join`). */
  hgsPrimary(vmName: string): VmSpec;
  /** The VM's static address on a network, if any. */
  staticAddress(vm: VmSpec, network: string): string | undefined;
  /** `target`'s static addresses on networks `from` also has an adapter on (adapter order). */
  addressesSeenBy(target: VmSpec, from: VmSpec): string[];
  /** The credential that reaches the guest before its own domain work (the VM's credential). */
  initialCredential(vm: VmSpec): string;
  /** The credential that reaches the guest once its roles are done (a DC: the domain admin). */
  finalCredential(vm: VmSpec): string;
}

export function indexLab(lab: Lab): LabIndex {
  const vms = new Map(lab.vms.map((v) => [v.name, v]));
  const vm = (name: string): VmSpec => {
    const found = vms.get(name);
    if (!found)
      throw new InternalError(`guest tasks: unknown VM ${name} (the manifest rules should have rejected it)`);
    return found;
  };
  const role = <K extends RoleKind>(v: VmSpec, kind: K): RoleOf<K> | undefined =>
    v.roles.find((r): r is RoleOf<K> => r.kind === kind);
  const rolePrefixes = (v: VmSpec): string[] => {
    const seen = new Map<string, number>();
    return v.roles.map((r) => {
      const n = (seen.get(r.kind) ?? 0) + 1;
      seen.set(r.kind, n);
      return n === 1 ? r.kind : `${r.kind}.${n}`;
    });
  };
  const hgsPrimary = (name: string): VmSpec => {
    const v = vm(name);
    const hgs = role(v, 'hostGuardianService');
    if (!hgs) throw new UserError(`VM ${name} is named as an HGS but has no hostGuardianService role`);
    return hgs.join ? vm(hgs.join) : v;
  };
  const domainOf = (v: VmSpec): string | undefined =>
    role(v, 'domainController')?.domain ??
    role(v, 'domainMember')?.domain ??
    role(v, 'hostGuardianService')?.domain;
  // Asked once per member of a domain: each domain's answer is found once (a lab is not changed while indexed).
  const dcsByDomain = new Map<string, VmSpec[]>();
  const dcsOf = (domain: string): VmSpec[] => {
    const key = domain.toLowerCase();
    const known = dcsByDomain.get(key);
    if (known) return known;
    let dcs = lab.vms.filter((v) => role(v, 'domainController')?.domain.toLowerCase() === key);
    if (dcs.length === 0) {
      // An HGS forest: its primary node first, then the nodes joining it.
      const nodes = lab.vms.filter((v) => role(v, 'hostGuardianService')?.domain.toLowerCase() === key);
      dcs = [
        ...nodes.filter((v) => !role(v, 'hostGuardianService')?.join),
        ...nodes.filter((v) => role(v, 'hostGuardianService')?.join),
      ];
    }
    dcsByDomain.set(key, dcs);
    return dcs;
  };
  const forestRoot = (domain: string): VmSpec => {
    const root = dcsOf(domain)[0];
    if (!root) throw new UserError(`no domain controller in the lab for domain ${domain}`);
    return root;
  };
  const prefixOf = (v: VmSpec, kind: RoleKind): string => {
    const i = v.roles.findIndex((r) => r.kind === kind);
    return rolePrefixes(v)[i] ?? kind;
  };
  const domainAdminOf = (domain: string): string => {
    const root = forestRoot(domain);
    const dc = role(root, 'domainController');
    return dc ? dc.domainAdmin : initialCredential(root);
  };
  const adReadyRef = (domain: string) => {
    const root = forestRoot(domain);
    return role(root, 'domainController')
      ? { vm: root.name, key: `${prefixOf(root, 'domainController')}/forest` }
      : { vm: root.name, key: `${prefixOf(root, 'hostGuardianService')}/install` };
  };
  const staticAddress = (v: VmSpec, network: string): string | undefined => {
    for (const a of v.network) if (a.network === network && a.ip.kind === 'static') return a.ip.address;
    return undefined;
  };
  const addressesSeenBy = (target: VmSpec, from: VmSpec): string[] => {
    const nets = new Set(from.network.map((a) => a.network));
    const out: string[] = [];
    for (const a of target.network) {
      if (nets.has(a.network) && a.ip.kind === 'static' && !out.includes(a.ip.address))
        out.push(a.ip.address);
    }
    return out;
  };
  const initialCredential = (v: VmSpec): string => {
    if (!v.credential)
      throw new UserError(`VM ${v.name} has an image and guest work but no credential to reach it`);
    return v.credential;
  };
  const finalCredential = (v: VmSpec): string => {
    const dc = role(v, 'domainController');
    if (dc) return dc.domainAdmin;
    const hgs = role(v, 'hostGuardianService');
    // A joined HGS node has no local accounts left: the HGS domain's administrator reaches it.
    if (hgs?.join) return initialCredential(vm(hgs.join));
    return initialCredential(v);
  };
  return {
    lab,
    vm,
    role,
    rolePrefixes,
    domainOf,
    dcsOf,
    domainAdminOf,
    adReadyRef,
    hgsPrimary,
    staticAddress,
    addressesSeenBy,
    initialCredential,
    finalCredential,
  };
}
