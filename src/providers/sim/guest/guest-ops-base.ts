/** Base configuration and server roles inside a guest: name, network, features, shares, DHCP, iSCSI, scripts. */
import ipaddr from 'ipaddr.js';
import type { GuestOperation } from '../../../model/guest-operation.js';
import { guestRefusal, readyDc } from './guest-access.js';
import {
  NO_REBOOT,
  requireFeature,
  requireWindows,
  type GuestEffect,
  type GuestOpContext,
} from './guest-op-context.js';
import { normaliseMac } from '../../../model/mac.js';
import { validNetbiosComputerName } from '../../../model/hyperv-rules.js';
import { featureRestarts, windowsFeature } from '../../../model/windows-features.js';
import {
  EVERYONE,
  fullAccessChanges,
  newShareAccess,
  sameAccount,
  type ShareAce,
} from '../../../model/share-access.js';

type Op<K extends GuestOperation['op']> = Extract<GuestOperation, { op: K }>;

export function setComputerName(g: GuestOpContext, op: Op<'setComputerName'>): GuestEffect {
  requireWindows(g, 'Rename-Computer');
  const guest = g.at.guest;
  if (!validNetbiosComputerName(op.computerName)) {
    throw guestRefusal(
      g.site,
      'Rename-Computer',
      `Skip computer '${guest.computerName}' with new name '${op.computerName}' because the new name is not valid. The new computer name entered is not properly formatted.`,
      {
        id: 'InvalidNewName,Microsoft.PowerShell.Commands.RenameComputerCommand',
        category: 'InvalidArgument',
      },
    );
  }
  if (guest.computerName.toLowerCase() === op.computerName.toLowerCase())
    return { reboots: 0, detail: 'already named so' };
  if (guest.dc) {
    throw guestRefusal(
      g.site,
      'Rename-Computer',
      `Skip computer '${guest.computerName}' with new name '${op.computerName}': a domain controller cannot be renamed this way.`,
      { id: 'FailToRenameComputer,Microsoft.PowerShell.Commands.RenameComputerCommand' },
    );
  }
  guest.computerName = op.computerName;
  return { reboots: 1 };
}

export function setNetwork(g: GuestOpContext, op: Op<'setNetwork'>): GuestEffect {
  requireWindows(g, 'New-NetIPAddress');
  const mac = normaliseMac(op.mac);
  if (!g.at.vm.adapters.some((a) => a.mac === mac)) {
    // labform's script filters Get-NetAdapter by MAC and says so itself (LabformGuest.Base.ps1, setNetwork).
    throw guestRefusal(g.site, 'Get-NetAdapter', `no network adapter with MAC address ${mac} in this guest`, {
      id: 'RuntimeException',
      category: 'ObjectNotFound',
    });
  }
  for (const a of [...op.addresses.map((x) => x.address), ...(op.gateway ? [op.gateway] : []), ...op.dns]) {
    if (!ipaddr.isValid(a))
      throw guestRefusal(g.site, 'New-NetIPAddress', 'The parameter is incorrect.', {
        id: 'Windows System Error 87',
        category: 'InvalidArgument',
        explain: `'${a}' is not an IP address`,
      });
  }
  g.at.guest.networks[mac] = {
    dhcp: op.dhcp,
    addresses: op.dhcp ? [] : op.addresses.map((a) => ({ ...a })),
    ...(op.gateway ? { gateway: op.gateway } : {}),
    dns: [...op.dns],
  };
  return NO_REBOOT;
}

export function installFeatures(g: GuestOpContext, op: Op<'installFeatures'>): GuestEffect {
  requireWindows(g, 'Install-WindowsFeature');
  const guest = g.at.guest;
  for (const f of op.features) {
    if (!windowsFeature(f)) {
      throw guestRefusal(
        g.site,
        'Install-WindowsFeature',
        `ArgumentNotValid: The role, role service, or feature name is not valid: '${f}'. The name was not found.`,
        {
          id: 'NameDoesNotExist,Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand',
          category: 'InvalidArgument',
        },
      );
    }
  }
  const missing = op.features.filter((f) => !guest.features.some((x) => x.toLowerCase() === f.toLowerCase()));
  if (missing.some((f) => f.toLowerCase() === 'hyper-v') && !g.at.vm.nestedVirtualization) {
    throw guestRefusal(
      g.site,
      'Install-WindowsFeature',
      'Hyper-V cannot be installed: The processor does not have required virtualization capabilities.',
      {
        id: 'Alteration_PrerequisiteCheck_Failed,Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand',
        explain: 'enable nested virtualization on the VM first',
      },
    );
  }
  guest.features.push(...missing);
  // Restarts from the one table of Windows features (src/model/windows-features.json).
  const reboots = featureRestarts(missing);
  return { reboots, detail: missing.length ? `installed ${missing.join(', ')}` : 'already installed' };
}

/**
 * New-SmbShare, or for a share of that name: Set-SmbShare has no -Path (Microsoft Learn,
 * "Set-SmbShare"), so a share at another path is removed (Remove-SmbShare -Force: the folder and
 * its files stay) and made again; one at the path gets the manifest's Full access
 * (src/model/share-access.ts): Grant-SmbShareAccess -AccessRight Full for the accounts missing,
 * Revoke-SmbShareAccess (all allow entries of the account) for those no longer listed, and
 * Everyone Read, as New-SmbShare gives, when no allow entry is left.
 */
export function createShare(g: GuestOpContext, op: Op<'createShare'>): GuestEffect {
  requireWindows(g, 'New-SmbShare');
  const shares = g.at.guest.shares;
  const existing = shares.find((s) => s.name.toLowerCase() === op.name.toLowerCase());
  if (!existing || existing.path.toLowerCase() !== op.path.toLowerCase()) {
    const fresh = newShareAccess(op.fullAccess);
    const made = {
      name: op.name,
      path: op.path,
      fullAccess: fresh.filter((e) => e.right === 'Full').map((e) => e.account),
      readAccess: fresh.filter((e) => e.right === 'Read').map((e) => e.account),
    };
    g.at.guest.shares = [...shares.filter((s) => s !== existing), made];
    return {
      reboots: 0,
      detail: existing
        ? `share ${op.name} made again at ${op.path} (${existing.path} and its files stay)`
        : `share ${op.name} (${op.path})`,
    };
  }
  const { grant, revoke } = fullAccessChanges(simShareAcl(existing), op.fullAccess);
  const kept = (list: string[] | undefined) =>
    (list ?? []).filter((a) => !revoke.some((r) => sameAccount(a, r)));
  existing.fullAccess = [...kept(existing.fullAccess), ...grant];
  existing.readAccess = kept(existing.readAccess);
  if (revoke.length > 0 && existing.fullAccess.length === 0 && existing.readAccess.length === 0)
    existing.readAccess = [EVERYONE];
  const said = [
    grant.length ? `Full access granted to ${grant.join(', ')}` : '',
    revoke.length ? `Full access revoked from ${revoke.join(', ')}` : '',
  ].filter(Boolean);
  return { reboots: 0, detail: `share ${op.name} ${said.join('; ') || 'exists'}` };
}

/** A simulated share's allow entries, as Get-SmbShareAccess lists them. */
export function simShareAcl(share: { fullAccess: string[]; readAccess?: string[] }): ShareAce[] {
  return [
    ...share.fullAccess.map((account) => ({ account, right: 'Full' as const })),
    ...(share.readAccess ?? []).map((account) => ({ account, right: 'Read' as const })),
  ];
}

export function addDhcpScope(g: GuestOpContext, op: Op<'addDhcpScope'>): GuestEffect {
  requireWindows(g, 'Add-DhcpServerv4Scope');
  requireFeature(g, 'DHCP', 'Add-DhcpServerv4Scope');
  if (!ipaddr.IPv4.isValid(op.start) || !ipaddr.IPv4.isValid(op.end)) {
    throw guestRefusal(g.site, 'Add-DhcpServerv4Scope', 'The parameter is incorrect.', {
      id: 'WIN32 87',
      category: 'InvalidArgument',
    });
  }
  // A scope is its ScopeId (the subnet), as on Windows: the Hyper-V provider adds a scope only when
  // Get-DhcpServerv4Scope -ScopeId finds none, and sets the options of the one it finds (whatever
  // its name: a scope made before its network was renamed keeps its name).
  const id = dhcpScopeId(op.start, op.prefixLength);
  const existing = g.at.guest.dhcpScopes.find((s) => dhcpScopeId(s.start, s.prefixLength) === id);
  const scopes = g.at.guest.dhcpScopes.filter((s) => s !== existing);
  scopes.push({
    name: existing?.name ?? op.name,
    start: op.start,
    end: op.end,
    prefixLength: op.prefixLength,
    ...(op.router ? { router: op.router } : {}),
    dnsServers: [...op.dnsServers],
    ...(op.dnsDomain ? { dnsDomain: op.dnsDomain } : {}),
  });
  g.at.guest.dhcpScopes = scopes;
  return NO_REBOOT;
}

export function authorizeDhcp(g: GuestOpContext, op: Op<'authorizeDhcp'>): GuestEffect {
  requireWindows(g, 'Add-DhcpServerInDC');
  requireFeature(g, 'DHCP', 'Add-DhcpServerInDC');
  const domain = g.at.guest.domain;
  if (!domain || !readyDc(g.env, domain)) {
    throw guestRefusal(
      g.site,
      'Add-DhcpServerInDC',
      'Failed to initialize directory service resources. The specified domain either does not exist or could not be contacted.',
      {
        id: 'WIN32 1355',
        category: 'ResourceUnavailable',
        explain: domain ? `no domain controller of ${domain} answers` : 'the server is not in a domain',
      },
    );
  }
  g.at.guest.dhcpAuthorized = { dnsName: op.dnsName, address: op.address };
  return NO_REBOOT;
}

export function createIscsiTarget(g: GuestOpContext, op: Op<'createIscsiTarget'>): GuestEffect {
  requireWindows(g, 'New-IscsiServerTarget');
  requireFeature(g, 'FS-iSCSITarget-Server', 'New-IscsiServerTarget');
  const targets = g.at.guest.iscsiTargets.filter((t) => t.targetName !== op.targetName);
  targets.push({
    targetName: op.targetName,
    disks: op.disks.map((d) => ({ ...d })),
    initiatorAddresses: [...op.initiatorAddresses],
  });
  g.at.guest.iscsiTargets = targets;
  return NO_REBOOT;
}

export function runScript(g: GuestOpContext, op: Op<'runScript'>): GuestEffect {
  const os = g.at.guest.os;
  if ((os === 'linux') !== (op.shell === 'bash')) {
    throw guestRefusal(
      g.site,
      op.shell === 'bash' ? 'bash' : 'powershell',
      op.shell === 'bash'
        ? "The term 'bash' is not recognized as the name of a cmdlet, function, script file, or operable program."
        : 'powershell: command not found',
      {
        id: 'CommandNotFoundException',
        category: 'ObjectNotFound',
        // The Hyper-V provider's words for the same refusal (src/providers/hyperv/guest/linux-guest.ts, guest-runner.ts).
        explain:
          os === 'linux'
            ? `${g.at.vm.name} is a Linux guest: it takes bash scripts only, not a powershell script`
            : `${g.at.vm.name} is a Windows guest: it takes PowerShell scripts, not a bash script`,
      },
    );
  }
  if (!g.at.guest.scripts.includes(op.id)) g.at.guest.scripts.push(op.id);
  return { reboots: op.reboots ? 1 : 0 };
}

/**
 * Remove-SmbShare -Name -Force (Microsoft Learn, "Remove-SmbShare": deletes the share and
 * disconnects its clients; the shared folder and its files stay). A share already gone is done.
 */
export function removeShare(g: GuestOpContext, op: Op<'removeShare'>): GuestEffect {
  requireWindows(g, 'Remove-SmbShare');
  g.at.guest.shares = g.at.guest.shares.filter((s) => s.name.toLowerCase() !== op.name.toLowerCase());
  return NO_REBOOT;
}

/** The scope id (network address) of a DHCP scope: what Remove-DhcpServerv4Scope -ScopeId names. */
export function dhcpScopeId(start: string, prefixLength: number): string {
  return ipaddr.IPv4.networkAddressFromCIDR(`${start}/${prefixLength}`).toString();
}

/**
 * Remove-DhcpServerv4Scope -ScopeId -Force (Microsoft Learn, "Remove-DhcpServerv4Scope": -Force
 * deletes the scope even with active leases). Needs the DHCP server's cmdlets.
 */
export function removeDhcpScope(g: GuestOpContext, op: Op<'removeDhcpScope'>): GuestEffect {
  requireWindows(g, 'Remove-DhcpServerv4Scope');
  const id = dhcpScopeId(op.start, op.prefixLength);
  const scopes = g.at.guest.dhcpScopes;
  if (!scopes.some((s) => dhcpScopeId(s.start, s.prefixLength) === id)) return NO_REBOOT;
  requireFeature(g, 'DHCP', 'Remove-DhcpServerv4Scope');
  g.at.guest.dhcpScopes = scopes.filter((s) => dhcpScopeId(s.start, s.prefixLength) !== id);
  return NO_REBOOT;
}

/**
 * Uninstall-WindowsFeature (Microsoft Learn, "Uninstall-WindowsFeature"): removes what is
 * installed; a feature that needed restarts to install (Hyper-V) asks for one restart to finish
 * (RestartNeeded = Yes), which the guest script then does.
 */
export function uninstallFeatures(g: GuestOpContext, op: Op<'uninstallFeatures'>): GuestEffect {
  requireWindows(g, 'Uninstall-WindowsFeature');
  const guest = g.at.guest;
  const present = op.features.filter((f) => guest.features.some((x) => x.toLowerCase() === f.toLowerCase()));
  if (present.length === 0) return { reboots: 0, detail: 'not installed' };
  if (guest.dc && present.some((f) => f.toLowerCase() === 'ad-domain-services'))
    throw guestRefusal(
      g.site,
      'Uninstall-WindowsFeature',
      'The Active Directory Domain Services role cannot be removed while this server is a domain controller.',
      { id: 'Alteration_PrerequisiteCheck_Failed', category: 'InvalidOperation' },
    );
  guest.features = guest.features.filter((x) => !present.some((f) => f.toLowerCase() === x.toLowerCase()));
  const restarts = featureRestarts(present) > 0;
  return { reboots: restarts ? 1 : 0, detail: `removed ${present.join(', ')}` };
}

/** The guest's role records (docs/roles.md): written, replaced and deleted as files would be. */
export function recordRole(g: GuestOpContext, op: Op<'recordRole'>): GuestEffect {
  g.at.guest.roleRecords = { ...(g.at.guest.roleRecords ?? {}), [op.address]: op.record };
  return NO_REBOOT;
}

export function forgetRole(g: GuestOpContext, op: Op<'forgetRole'>): GuestEffect {
  const records = { ...(g.at.guest.roleRecords ?? {}) };
  delete records[op.address];
  g.at.guest.roleRecords = records;
  return NO_REBOOT;
}
