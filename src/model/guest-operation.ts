/**
 * Typed operations inside a guest, run through PowerShell Direct (Windows) or SSH (Linux).
 * Plain data; each has a probe ("is it already done?") implemented by both providers, so a
 * re-run does only what is missing. Credentials are names, resolved at run time; no secret
 * value ever sits in an operation.
 *
 * `reboots` in the result tells the executor the guest restarted (or was restarted) and the
 * heartbeat / PowerShell Direct waits must follow.
 */

export interface IpAssignment {
  address: string;
  prefixLength: number;
}

export type GuestOperation =
  /** Rename-Computer -Restart. */
  | { op: 'setComputerName'; computerName: string }
  /** On the adapter with this MAC: static addresses + default gateway, or DHCP; DNS servers. */
  | {
      op: 'setNetwork';
      mac: string;
      dhcp: boolean;
      addresses: IpAssignment[];
      gateway?: string;
      dns: string[];
    }
  /** Install-WindowsFeature -IncludeManagementTools, restarting when a feature requires it. */
  | { op: 'installFeatures'; features: string[] }
  /** Install-ADDSForest (DNS included); afterwards the Administrator account takes `domainAdmin`'s password. */
  | { op: 'createForest'; domain: string; netbios: string; safeModePassword: string; domainAdmin: string }
  /** Install-ADDSDomainController into an existing domain. */
  | { op: 'addDomainController'; domain: string; safeModePassword: string; domainAdmin: string }
  /** Set DNS to the domain's DCs and Add-Computer -Restart. */
  | { op: 'joinDomain'; domain: string; joinCredential: string; ou?: string; dns: string[] }
  /**
   * Offline domain join: the provider provisions the account on the DC (`djoin /provision`
   * through PowerShell Direct to `dc`) and applies the blob in this guest (`djoin /requestODJ
   * /localos`), then restarts. The blob is handled as a secret.
   */
  | {
      op: 'offlineDomainJoin';
      domain: string;
      joinCredential: string;
      ou?: string;
      dns: string[];
      dc: { host: string; vm: string; credential: string };
    }
  /** Install-HgsServer -HgsDomainName (its own forest), restarts. */
  | { op: 'installHgs'; domain: string; safeModePassword: string }
  /** Initialize-HgsServer with self-signed signing/encryption certificates. */
  | { op: 'initializeHgs'; serviceName: string; attestation: 'tpm' | 'hostKey' | 'ad' }
  /** Install-HgsServer/Initialize-HgsServer joining the first node at `primaryAddress`. */
  | { op: 'joinHgs'; domain: string; primaryAddress: string; safeModePassword: string; credential: string }
  /** A DNS conditional forwarder for `domain`. */
  | { op: 'addDnsForwarder'; domain: string; masterServers: string[] }
  /** An AD security group in this guest's domain with these computer members. */
  | { op: 'createAdGroup'; name: string; members: string[] }
  /** One-way forest trust: this (HGS) domain trusts `remoteDomain`. */
  | { op: 'createTrust'; remoteDomain: string; remoteCredential: string }
  /**
   * Add-HgsAttestationHostGroup for AD attestation. The group's SID is read IN the fabric domain,
   * on `from` (a fabric DC), and handed over as -Identifier: the one-way trust lets HGS trust the
   * fabric, not read it (Microsoft Learn, "Configure HGS for AD attestation": Get-ADGroup in the
   * fabric domain, then Add-HgsAttestationHostGroup -Name -Identifier on the HGS node).
   */
  | {
      op: 'addAttestationHostGroup';
      name: string;
      groupName: string;
      fabricDomain: string;
      from: { host: string; vm: string; credential: string };
    }
  /** TPM attestation: register the host's platform identifier (read from `host`'s guest). */
  | { op: 'addAttestationTpmHost'; name: string; from: { host: string; vm: string; credential: string } }
  /** Host key attestation: register the host key (read from `host`'s guest). */
  | { op: 'addAttestationHostKey'; name: string; from: { host: string; vm: string; credential: string } }
  /** Set-HgsClientConfiguration on a guarded host. */
  | { op: 'configureGuardedHost'; attestationServerUrl: string; keyProtectionServerUrl: string }
  | { op: 'createShare'; name: string; path: string; fullAccess: string[] }
  | {
      op: 'addDhcpScope';
      name: string;
      start: string;
      end: string;
      prefixLength: number;
      router?: string;
      dnsServers: string[];
      dnsDomain?: string;
    }
  /** Add-DhcpServerInDC. */
  | { op: 'authorizeDhcp'; dnsName: string; address: string }
  | {
      op: 'createIscsiTarget';
      targetName: string;
      disks: { name: string; size: number }[];
      initiatorAddresses: string[];
    }
  /**
   * New-Cluster; `disks` are the lab disks the witness and shared volumes name, with their sizes:
   * the guest tells its cluster disks apart by size and names each cluster resource after its
   * lab disk (never "the smallest is the witness").
   */
  | {
      op: 'createCluster';
      name: string;
      nodes: string[];
      address: string;
      witness?: { disk: string } | { share: string };
      sharedVolumes: string[];
      disks: { name: string; size: number }[];
    }
  /** Custom script. Done when `test` prints true (without `test`: run once, recorded by a marker). */
  | {
      op: 'runScript';
      id: string;
      run: string;
      test?: string;
      shell: 'powershell' | 'bash';
      reboots: boolean;
    }
  /**
   * The guest's record of a role labform applied (docs/roles.md, "What labform records in a
   * guest"): `record` is the JSON text of a RoleRecord (src/roles/role-record.ts), kept in the
   * guest under %ProgramData%\labform\roles. Done when the guest holds exactly this text.
   */
  | { op: 'recordRole'; address: string; record: string }
  /** The record of a role removed from the manifest is deleted once its undo has run. */
  | { op: 'forgetRole'; address: string }
  /** Probe only (never a step): the guest's role records, as a JSON array of their texts in `detail`. */
  | { op: 'readRoles' }
  /** Remove-SmbShare -Name -Force: a share of a removed fileServer role (the folder and its files stay). */
  | { op: 'removeShare'; name: string }
  /** Remove-DhcpServerv4Scope -ScopeId -Force: a scope of a removed dhcpServer role. */
  | { op: 'removeDhcpScope'; name: string; start: string; prefixLength: number }
  /** Uninstall-WindowsFeature, restarting when Windows says so. */
  | { op: 'uninstallFeatures'; features: string[] }
  /**
   * Run on a domain controller: the computer object of `computerName` moved into `ou`
   * (Get-ADComputer | Move-ADObject -TargetPath). Done when its distinguished name is in `ou`.
   */
  | { op: 'moveComputer'; computerName: string; ou: string };

export type GuestOperationName = GuestOperation['op'];

export interface GuestRunResult {
  /** The guest restarted (or is restarting): wait for heartbeat and PowerShell Direct again. */
  rebooted: boolean;
  /** Free text for logs (never secrets). */
  detail?: string;
}

export interface GuestProbeResult {
  done: boolean;
  /** What the probe saw, for plan output and logs. */
  detail?: string;
  /**
   * The guest cannot be brought to this state in place (a domain controller of another domain,
   * a member of another domain): why. The plan replaces the VM and says so.
   */
  replace?: string;
}

/** Every guest operation's name, at run time (fault keys); the compiler keeps it complete. */
const NAMES: Record<GuestOperation['op'], true> = {
  setComputerName: true,
  setNetwork: true,
  installFeatures: true,
  createForest: true,
  addDomainController: true,
  joinDomain: true,
  offlineDomainJoin: true,
  installHgs: true,
  initializeHgs: true,
  joinHgs: true,
  addDnsForwarder: true,
  createAdGroup: true,
  createTrust: true,
  addAttestationHostGroup: true,
  addAttestationTpmHost: true,
  addAttestationHostKey: true,
  configureGuardedHost: true,
  createShare: true,
  addDhcpScope: true,
  authorizeDhcp: true,
  createIscsiTarget: true,
  createCluster: true,
  runScript: true,
  recordRole: true,
  forgetRole: true,
  readRoles: true,
  removeShare: true,
  removeDhcpScope: true,
  uninstallFeatures: true,
  moveComputer: true,
};
export const GUEST_OPERATION_NAMES = Object.keys(NAMES) as GuestOperation['op'][];
