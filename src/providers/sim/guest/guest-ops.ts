import type { GuestOperation, GuestProbeResult } from '../../../model/guest-operation.js';
import type { SimGuest, SimHost } from '../sim-state.js';
import type { TimingProfile } from '../time/timing-profile.js';
import type { GuestEffect, GuestOpContext } from './guest-op-context.js';
import * as base from './guest-ops-base.js';
import * as ad from './guest-ops-domain.js';
import * as hgs from './guest-ops-hgs.js';
import { copyFiles, copyFilesDuration, probeCopyFiles } from './guest-ops-files.js';
import { normaliseMac } from '../../../model/mac.js';
import { fullAccessChanges, fullAccessDrift } from '../../../model/share-access.js';

/** Apply a guest operation to the guest model (validating Windows' preconditions first). */
export function applyGuestOperation(g: GuestOpContext, op: GuestOperation): GuestEffect {
  switch (op.op) {
    case 'setComputerName':
      return base.setComputerName(g, op);
    case 'setNetwork':
      return base.setNetwork(g, op);
    case 'installFeatures':
      return base.installFeatures(g, op);
    case 'createForest':
      return ad.createForest(g, op);
    case 'addDomainController':
      return ad.addDomainController(g, op);
    case 'joinDomain':
      return ad.joinDomain(g, op);
    case 'offlineDomainJoin':
      return ad.offlineDomainJoin(g, op);
    case 'installHgs':
      return hgs.installHgs(g, op);
    case 'initializeHgs':
      return hgs.initializeHgs(g, op);
    case 'joinHgs':
      return hgs.joinHgs(g, op);
    case 'addDnsForwarder':
      return ad.addDnsForwarder(g, op);
    case 'createAdGroup':
      return ad.createAdGroup(g, op);
    case 'createTrust':
      return ad.createTrust(g, op);
    case 'addAttestationHostGroup':
      return hgs.addAttestationHostGroup(g, op);
    case 'addAttestationTpmHost':
      return hgs.addAttestationTpmHost(g, op);
    case 'addAttestationHostKey':
      return hgs.addAttestationHostKey(g, op);
    case 'configureGuardedHost':
      return hgs.configureGuardedHost(g, op);
    case 'createShare':
      return base.createShare(g, op);
    case 'addDhcpScope':
      return base.addDhcpScope(g, op);
    case 'authorizeDhcp':
      return base.authorizeDhcp(g, op);
    case 'createIscsiTarget':
      return base.createIscsiTarget(g, op);
    case 'createCluster':
      return ad.createCluster(g, op);
    case 'copyFiles':
      return copyFiles(g, op);
    case 'runScript':
      return base.runScript(g, op);
    case 'recordRole':
      return base.recordRole(g, op);
    case 'forgetRole':
      return base.forgetRole(g, op);
    // Probe only: running it changes nothing.
    case 'readRoles':
      return { reboots: 0 };
    case 'removeShare':
      return base.removeShare(g, op);
    case 'removeDhcpScope':
      return base.removeDhcpScope(g, op);
    case 'uninstallFeatures':
      return base.uninstallFeatures(g, op);
    case 'moveComputer':
      return ad.moveComputer(g, op);
  }
}

export function guestOperationDuration(op: GuestOperation, g: GuestOpContext, timing: TimingProfile): number {
  const t = timing.guest;
  const guest = g.at.guest;
  switch (op.op) {
    case 'setComputerName':
      return t.setComputerName;
    case 'setNetwork':
      return t.setNetwork;
    case 'installFeatures': {
      const missing = op.features.filter(
        (f) => !guest.features.some((x) => x.toLowerCase() === f.toLowerCase()),
      );
      return missing.length === 0 ? t.small : t.installFeatures;
    }
    case 'createForest':
      return t.createForest;
    case 'addDomainController':
      return t.addDomainController;
    case 'joinDomain':
      return t.joinDomain;
    case 'offlineDomainJoin':
      return t.offlineDomainJoin;
    case 'installHgs':
      return t.installHgs;
    case 'initializeHgs':
      return t.initializeHgs;
    case 'joinHgs':
      return t.joinHgs;
    case 'createTrust':
      return t.createTrust;
    case 'createIscsiTarget':
      return t.createIscsiTarget;
    case 'createCluster':
      return t.createCluster;
    case 'runScript':
      return t.runScript;
    case 'copyFiles':
      return copyFilesDuration(g, op, timing);
    case 'uninstallFeatures':
      return op.features.some((f) => has(guest.features, f)) ? t.installFeatures : t.small;
    default:
      return t.small;
  }
}

const has = (list: string[], value: string): boolean =>
  list.some((x) => x.toLowerCase() === value.toLowerCase());
const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => has(b, x));

/**
 * Is the operation's effect already present in the guest? (What the real probe would read.)
 * `host` is the host the VM runs on: a `files:` copy compares the guest with its media.
 */
export function probeGuestOperation(guest: SimGuest, op: GuestOperation, host: SimHost): GuestProbeResult {
  const done = (ok: boolean, detail: string): GuestProbeResult => ({ done: ok, detail });
  switch (op.op) {
    case 'setComputerName':
      return done(
        guest.computerName.toLowerCase() === op.computerName.toLowerCase(),
        `computer name ${guest.computerName}`,
      );
    case 'setNetwork': {
      const net = guest.networks[normaliseMac(op.mac)];
      if (!net) return done(false, 'adapter not configured');
      const addrOk = op.dhcp
        ? net.dhcp
        : !net.dhcp &&
          sameSet(
            net.addresses.map((a) => `${a.address}/${a.prefixLength}`),
            op.addresses.map((a) => `${a.address}/${a.prefixLength}`),
          );
      const ok =
        addrOk && (op.gateway ?? null) === (net.gateway ?? null) && net.dns.join(',') === op.dns.join(',');
      return done(
        ok,
        net.dhcp ? 'DHCP' : net.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(', '),
      );
    }
    case 'installFeatures': {
      const missing = op.features.filter((f) => !has(guest.features, f));
      return done(missing.length === 0, missing.length ? `missing ${missing.join(', ')}` : 'installed');
    }
    // A DC is demoted, or a member moved, only with the old domain's cooperation (Uninstall-ADDSDomainController,
    // Add-Computer -UnjoinDomainCredential): labform builds such a guest again instead.
    case 'createForest':
    case 'addDomainController': {
      const result = done(
        guest.dc?.domain.toLowerCase() === op.domain.toLowerCase(),
        guest.dc ? `DC of ${guest.dc.domain}` : 'not a domain controller',
      );
      return guest.dc && !result.done
        ? { ...result, replace: `a domain controller of ${guest.dc.domain}` }
        : result;
    }
    case 'joinDomain':
    case 'offlineDomainJoin': {
      const result = done(
        guest.domain?.toLowerCase() === op.domain.toLowerCase(),
        guest.domain ? `member of ${guest.domain}` : 'workgroup',
      );
      return guest.domain && !result.done ? { ...result, replace: `joined to ${guest.domain}` } : result;
    }
    case 'installHgs':
      return done(
        guest.hgs?.domain.toLowerCase() === op.domain.toLowerCase(),
        guest.hgs ? `HGS ${guest.hgs.domain}` : 'no HGS',
      );
    case 'initializeHgs':
      return done(!!guest.hgs?.initialized, guest.hgs?.initialized ? 'initialized' : 'not initialized');
    case 'joinHgs':
      return done(
        !!guest.hgs?.initialized && guest.hgs.domain.toLowerCase() === op.domain.toLowerCase(),
        guest.hgs ? `HGS ${guest.hgs.domain}` : 'no HGS',
      );
    case 'addDnsForwarder':
      return done(
        guest.dnsForwarders.some(
          (f) =>
            f.domain.toLowerCase() === op.domain.toLowerCase() && sameSet(f.masterServers, op.masterServers),
        ),
        'conditional forwarders',
      );
    case 'createAdGroup': {
      const group = guest.groups.find((x) => x.name.toLowerCase() === op.name.toLowerCase());
      return done(
        !!group && op.members.every((m) => has(group.members, m)),
        group ? `members ${group.members.join(', ')}` : 'no such group',
      );
    }
    case 'createTrust':
      return done(has(guest.trusts, op.remoteDomain), `trusts ${guest.trusts.join(', ') || '(none)'}`);
    case 'addAttestationHostGroup':
      return done(
        guest.attestation.hostGroups.some((h) => h.name === op.name),
        'attestation host groups',
      );
    case 'addAttestationTpmHost':
      return done(guest.attestation.tpmHosts.includes(op.name), 'TPM hosts');
    case 'addAttestationHostKey':
      return done(guest.attestation.hostKeys.includes(op.name), 'host keys');
    case 'configureGuardedHost':
      return done(
        guest.hgsClient?.attestationServerUrl === op.attestationServerUrl &&
          guest.hgsClient.keyProtectionServerUrl === op.keyProtectionServerUrl,
        guest.hgsClient ? guest.hgsClient.attestationServerUrl : 'not configured',
      );
    // As LabformGuestProbe-createShare asks Windows: the share by name, its path, its Full access.
    case 'createShare': {
      const share = guest.shares.find((s) => s.name.toLowerCase() === op.name.toLowerCase());
      if (!share) return done(false, `no share ${op.name}`);
      if (share.path.toLowerCase() !== op.path.toLowerCase())
        return done(false, `share ${op.name} exists with path ${share.path}`);
      const drift = fullAccessDrift(fullAccessChanges(base.simShareAcl(share), op.fullAccess));
      return done(!drift, `share ${op.name} (${share.path})${drift ? `: ${drift}` : ''}`);
    }
    case 'addDhcpScope':
      return done(
        // By ScopeId with the same range, as LabformGuestProbe-addDhcpScope asks Windows.
        guest.dhcpScopes.some(
          (s) =>
            base.dhcpScopeId(s.start, s.prefixLength) === base.dhcpScopeId(op.start, op.prefixLength) &&
            s.start === op.start &&
            s.end === op.end,
        ),
        'DHCP scopes',
      );
    case 'authorizeDhcp':
      return done(guest.dhcpAuthorized !== null, guest.dhcpAuthorized ? 'authorized' : 'not authorized');
    case 'createIscsiTarget':
      return done(
        guest.iscsiTargets.some((x) => x.targetName === op.targetName),
        'iSCSI targets',
      );
    case 'createCluster':
      return done(
        guest.cluster?.name.toLowerCase() === op.name.toLowerCase(),
        guest.cluster ? `cluster ${guest.cluster.name}` : 'no cluster',
      );
    case 'copyFiles':
      return probeCopyFiles(host, guest, op);
    // Scripts cannot be executed by the simulator: their marker (the run recorded) stands for `test`.
    case 'runScript':
      return done(guest.scripts.includes(op.id), guest.scripts.includes(op.id) ? 'ran' : 'not run');
    case 'recordRole': {
      const held = guest.roleRecords?.[op.address];
      return done(held === op.record, held === undefined ? 'no record' : 'recorded');
    }
    case 'forgetRole':
      return done(guest.roleRecords?.[op.address] === undefined, 'role records');
    case 'readRoles':
      return done(true, JSON.stringify(Object.values(guest.roleRecords ?? {})));
    case 'removeShare':
      return done(!guest.shares.some((s) => s.name.toLowerCase() === op.name.toLowerCase()), 'shares');
    case 'removeDhcpScope': {
      const id = base.dhcpScopeId(op.start, op.prefixLength);
      return done(
        !guest.dhcpScopes.some((s) => base.dhcpScopeId(s.start, s.prefixLength) === id),
        `scope ${id}`,
      );
    }
    case 'uninstallFeatures': {
      const present = op.features.filter((f) => has(guest.features, f));
      return done(
        present.length === 0,
        present.length ? `installed: ${present.join(', ')}` : 'not installed',
      );
    }
    case 'moveComputer': {
      if (!guest.dc) return done(false, 'not a domain controller');
      const dn = ad.computerDn(guest.dc, op.computerName);
      return done(ad.sameDn(dn.replace(/^CN=[^,]+,/i, ''), op.ou), dn);
    }
  }
}
