/** The Host Guardian Service and guarded hosts inside guests. */
import type { GuestOperation } from '../../../model/guest-operation.js';
import { adAnswers, dcsOf, guestRefusal, guestsWithAddress, reachGuest } from './guest-access.js';
import {
  NO_REBOOT,
  ensureFeature,
  requireFeature,
  requireWindows,
  type GuestEffect,
  type GuestOpContext,
} from './guest-op-context.js';
import { bareUser, passwordMatches } from './guest-model.js';
import { defaultNetbiosName } from '../../../model/hyperv-rules.js';

type Op<K extends GuestOperation['op']> = Extract<GuestOperation, { op: K }>;

const HGS_ID = 'Microsoft.Windows.RemoteAttestation.Server.PowerShell';

/** Install-HgsServer promotes the server into its own forest: AD DS and DNS come with it. */
function addFeatures(features: string[], added: string[]): void {
  for (const f of added) if (!features.some((x) => x.toLowerCase() === f.toLowerCase())) features.push(f);
}

function workgroupOnly(g: GuestOpContext, cmdlet: string): void {
  if (g.at.guest.domain || g.at.guest.dc) {
    throw guestRefusal(
      g.site,
      cmdlet,
      `The Host Guardian Service must be installed on a server that is not joined to a domain; ${g.at.guest.computerName} is in '${g.at.guest.domain}'.`,
      { id: `HgsServerInDomain,${HGS_ID}` },
    );
  }
}

export function installHgs(g: GuestOpContext, op: Op<'installHgs'>): GuestEffect {
  requireWindows(g, 'Install-HgsServer');
  ensureFeature(g, 'HostGuardianServiceRole');
  g.env.call.credentials.get(op.safeModePassword);
  const guest = g.at.guest;
  if (guest.hgs?.domain.toLowerCase() === op.domain.toLowerCase())
    return { reboots: 0, detail: 'already installed' };
  workgroupOnly(g, 'Install-HgsServer');
  if (dcsOf(g.env, op.domain).some((dc) => dc.vm.id !== g.at.vm.id)) {
    throw guestRefusal(
      g.site,
      'Install-HgsServer',
      `The domain '${op.domain}' already exists; use -HgsServerIPAddress to join an existing HGS cluster.`,
      { id: `HgsDomainExists,${HGS_ID}`, category: 'ResourceExists' },
    );
  }
  // HGS creates its own forest: the local Administrator becomes its domain Administrator, same password.
  guest.dc = {
    domain: op.domain,
    netbios: defaultNetbiosName(op.domain),
    forestRoot: true,
    admin: { ...guest.localAdmin! },
  };
  guest.domain = op.domain;
  guest.hgs = { domain: op.domain, initialized: false };
  addFeatures(guest.features, ['AD-Domain-Services', 'DNS']);
  return { reboots: 1, promotion: true };
}

export function initializeHgs(g: GuestOpContext, op: Op<'initializeHgs'>): GuestEffect {
  requireWindows(g, 'Initialize-HgsServer');
  const hgs = g.at.guest.hgs;
  if (!hgs) {
    throw guestRefusal(
      g.site,
      'Initialize-HgsServer',
      `The term 'Initialize-HgsServer' is not recognized as the name of a cmdlet, function, script file, or operable program.`,
      { id: 'CommandNotFoundException', category: 'ObjectNotFound', explain: 'install HGS first' },
    );
  }
  if (!adAnswers(g.env, g.at.vm)) {
    throw guestRefusal(
      g.site,
      'Initialize-HgsServer',
      'Unable to contact the Active Directory domain of the Host Guardian Service.',
      { id: `AdNotReady,${HGS_ID}`, category: 'ResourceUnavailable' },
    );
  }
  if (hgs.initialized) return { reboots: 0, detail: 'already initialized' };
  Object.assign(hgs, { initialized: true, serviceName: op.serviceName, attestation: op.attestation });
  return NO_REBOOT;
}

export function joinHgs(g: GuestOpContext, op: Op<'joinHgs'>): GuestEffect {
  requireWindows(g, 'Install-HgsServer');
  ensureFeature(g, 'HostGuardianServiceRole');
  g.env.call.credentials.get(op.safeModePassword);
  if (g.at.guest.hgs?.initialized) return { reboots: 0, detail: 'already joined' };
  workgroupOnly(g, 'Install-HgsServer');
  const primary = guestsWithAddress(g.env, op.primaryAddress).find(
    (p) =>
      p.guest.hgs?.initialized &&
      p.guest.hgs.domain.toLowerCase() === op.domain.toLowerCase() &&
      adAnswers(g.env, p.vm),
  );
  if (!primary) {
    throw guestRefusal(
      g.site,
      'Install-HgsServer',
      `Unable to contact the Host Guardian Service at ${op.primaryAddress}.`,
      {
        id: `HgsPrimaryUnreachable,${HGS_ID}`,
        category: 'ResourceUnavailable',
        explain: `no initialised HGS of ${op.domain} answers there`,
      },
    );
  }
  const credential = g.env.call.credentials.get(op.credential);
  const admin = primary.guest.dc!.admin;
  if (
    bareUser(admin.user) !== bareUser(credential.username) ||
    !passwordMatches(admin.password, credential.password.reveal())
  ) {
    throw guestRefusal(g.site, 'Install-HgsServer', 'The user name or password is incorrect.', {
      id: `HgsJoinFailed,${HGS_ID}`,
      category: 'AuthenticationError',
    });
  }
  const p = primary.guest.hgs!;
  g.at.guest.dc = {
    domain: p.domain,
    netbios: primary.guest.dc!.netbios,
    forestRoot: false,
    admin: { ...admin },
  };
  g.at.guest.domain = p.domain;
  addFeatures(g.at.guest.features, ['AD-Domain-Services', 'DNS']);
  g.at.guest.hgs = {
    domain: p.domain,
    initialized: true,
    ...(p.serviceName ? { serviceName: p.serviceName } : {}),
    ...(p.attestation ? { attestation: p.attestation } : {}),
  };
  return { reboots: 1, promotion: true };
}

function requireInitialized(g: GuestOpContext, cmdlet: string, mode: 'tpm' | 'hostKey' | 'ad'): void {
  const hgs = g.at.guest.hgs;
  if (!hgs?.initialized) {
    throw guestRefusal(g.site, cmdlet, 'The Host Guardian Service is not initialized on this server.', {
      id: `HgsNotInitialized,${HGS_ID}`,
      category: 'InvalidOperation',
    });
  }
  if (hgs.attestation !== mode) {
    throw guestRefusal(
      g.site,
      cmdlet,
      `The Host Guardian Service is configured for ${hgs.attestation} attestation, not ${mode}.`,
      { id: `AttestationModeMismatch,${HGS_ID}`, category: 'InvalidOperation' },
    );
  }
}

export function addAttestationHostGroup(g: GuestOpContext, op: Op<'addAttestationHostGroup'>): GuestEffect {
  requireWindows(g, 'Add-HgsAttestationHostGroup');
  requireInitialized(g, 'Add-HgsAttestationHostGroup', 'ad');
  if (!g.at.guest.trusts.some((t) => t.toLowerCase() === op.fabricDomain.toLowerCase())) {
    throw guestRefusal(
      g.site,
      'Add-HgsAttestationHostGroup',
      `The domain '${op.fabricDomain}' is not trusted by this Host Guardian Service domain.`,
      { id: `TrustNotFound,${HGS_ID}`, category: 'ObjectNotFound' },
    );
  }
  const group = dcsOf(g.env, op.fabricDomain).some((dc) =>
    dc.guest.groups.some((x) => x.name.toLowerCase() === op.groupName.toLowerCase()),
  );
  if (!group) {
    throw guestRefusal(
      g.site,
      'Add-HgsAttestationHostGroup',
      `Cannot find the group '${op.groupName}' in domain '${op.fabricDomain}'.`,
      { id: `GroupNotFound,${HGS_ID}`, category: 'ObjectNotFound' },
    );
  }
  const list = g.at.guest.attestation.hostGroups.filter((h) => h.name !== op.name);
  list.push({ name: op.name, groupName: op.groupName, fabricDomain: op.fabricDomain });
  g.at.guest.attestation.hostGroups = list;
  return NO_REBOOT;
}

function registerFrom(
  g: GuestOpContext,
  op: Op<'addAttestationTpmHost'> | Op<'addAttestationHostKey'>,
  mode: 'tpm' | 'hostKey',
): GuestEffect {
  const cmdlet = mode === 'tpm' ? 'Add-HgsAttestationTpmHost' : 'Add-HgsAttestationHostKey';
  requireWindows(g, cmdlet);
  requireInitialized(g, cmdlet, mode);
  const from = reachGuest(g.env, g.site, {
    host: op.from.host,
    vm: op.from.vm,
    os: 'windows',
    credential: g.env.call.credentials.get(op.from.credential),
  });
  if (!from.guest.features.some((f) => f.toLowerCase() === 'hostguardian')) {
    throw guestRefusal(
      g.site,
      'Get-HgsAttestationBaselinePolicy',
      `The term 'Get-PlatformIdentifier' is not recognized as the name of a cmdlet, function, script file, or operable program.`,
      {
        id: 'CommandNotFoundException',
        category: 'ObjectNotFound',
        explain: `the HostGuardian feature is not installed in ${op.from.vm}`,
      },
    );
  }
  if (mode === 'tpm' && !from.vm.tpm) {
    throw guestRefusal(
      g.site,
      cmdlet,
      `The host ${op.from.vm} does not have a TPM 2.0: TPM attestation needs one.`,
      { id: `TpmNotPresent,${HGS_ID}`, category: 'ResourceUnavailable' },
    );
  }
  const list = mode === 'tpm' ? g.at.guest.attestation.tpmHosts : g.at.guest.attestation.hostKeys;
  if (!list.includes(op.name)) list.push(op.name);
  return NO_REBOOT;
}

export function addAttestationTpmHost(g: GuestOpContext, op: Op<'addAttestationTpmHost'>): GuestEffect {
  return registerFrom(g, op, 'tpm');
}

export function addAttestationHostKey(g: GuestOpContext, op: Op<'addAttestationHostKey'>): GuestEffect {
  return registerFrom(g, op, 'hostKey');
}

export function configureGuardedHost(g: GuestOpContext, op: Op<'configureGuardedHost'>): GuestEffect {
  requireWindows(g, 'Set-HgsClientConfiguration');
  requireFeature(g, 'HostGuardian', 'Set-HgsClientConfiguration');
  for (const url of [op.attestationServerUrl, op.keyProtectionServerUrl]) {
    let name = '';
    try {
      name = new URL(url).hostname.toLowerCase();
    } catch {
      name = '';
    }
    const served = g.env.world.allVms().some(({ vm }) => {
      const hgs = vm.guest?.hgs;
      if (!hgs?.initialized || vm.power.state !== 'Running') return false;
      const addresses = Object.values(vm.guest!.networks).flatMap((n) => n.addresses.map((a) => a.address));
      return (
        `${hgs.serviceName}.${hgs.domain}`.toLowerCase() === name ||
        addresses.includes(name) ||
        `${vm.guest!.computerName}.${hgs.domain}`.toLowerCase() === name
      );
    });
    if (!served) {
      throw guestRefusal(
        g.site,
        'Set-HgsClientConfiguration',
        `Unable to connect to the remote server at ${url}.`,
        {
          id: 'HgsClientConfigurationFailed,Microsoft.Windows.HgsClient.Commands',
          category: 'ResourceUnavailable',
          explain: 'no initialised Host Guardian Service answers at that name',
        },
      );
    }
  }
  g.at.guest.hgsClient = {
    attestationServerUrl: op.attestationServerUrl,
    keyProtectionServerUrl: op.keyProtectionServerUrl,
  };
  return NO_REBOOT;
}
