import ipaddr from 'ipaddr.js';
import type { GuestOperation } from '../../../model/guest-operation.js';
import type { Credential } from '../../../secrets/secret.js';
import { Secret } from '../../../secrets/secret.js';

/** Resolves credential names carried by operations. */
export interface CredentialLookup {
  get(name: string): Credential;
}

/**
 * A credential for use against a domain: a bare user name is qualified with the domain
 * (`contoso.com\Administrator`), a name already qualified (`DOM\user`, `user@dom`) is kept.
 */
export function qualifiedCredential(credential: Credential, domain: string): Credential {
  if (/[\\@]/.test(credential.username)) return credential;
  return {
    name: credential.name,
    username: `${domain}\\${credential.username}`,
    password: credential.password,
  };
}

/** Subnet mask and scope id (network address) of a DHCP scope. */
export function scopeOf(start: string, prefixLength: number): { scopeId: string; subnetMask: string } {
  const mask = ipaddr.IPv4.subnetMaskFromPrefixLength(prefixLength);
  const network = ipaddr.IPv4.networkAddressFromCIDR(`${start}/${prefixLength}`);
  return { scopeId: network.toString(), subnetMask: mask.toString() };
}

/** The file name of a role's record in the guest's %ProgramData%\labform\roles folder. */
export function roleRecordFile(address: string): string {
  return `${address.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/** Operations whose guest script restarts the guest (the session may end under it). */
const RESTARTING: ReadonlySet<GuestOperation['op']> = new Set([
  'setComputerName',
  'installFeatures',
  'createForest',
  'addDomainController',
  'joinDomain',
  'installHgs',
  'joinHgs',
  'uninstallFeatures',
]);

/**
 * The hashtable the guest script receives for an operation. Credential names become
 * Credential objects (PSCredential in the session) and passwords Secrets (SecureString);
 * nothing is ever formatted into script text.
 */
export function guestArguments(
  operation: GuestOperation,
  credentials: CredentialLookup,
): Record<string, unknown> {
  const args = argumentsOf(operation, credentials);
  if (RESTARTING.has(operation.op) || (operation.op === 'runScript' && operation.reboots))
    args.__restartsItself = true;
  return args;
}

function argumentsOf(op: GuestOperation, credentials: CredentialLookup): Record<string, unknown> {
  const password = (name: string): Secret => credentials.get(name).password;
  switch (op.op) {
    case 'setComputerName':
      return { computerName: op.computerName };
    case 'setNetwork':
      return {
        mac: op.mac,
        dhcp: op.dhcp,
        addresses: op.addresses.map((a) => ({ ...a })),
        gateway: op.gateway ?? '',
        dns: [...op.dns],
      };
    case 'installFeatures':
      return { features: [...op.features] };
    case 'createForest':
      return {
        domain: op.domain,
        netbios: op.netbios,
        safeModePassword: password(op.safeModePassword),
        domainAdmin: credentials.get(op.domainAdmin),
      };
    case 'addDomainController':
      return {
        domain: op.domain,
        safeModePassword: password(op.safeModePassword),
        domainAdmin: qualifiedCredential(credentials.get(op.domainAdmin), op.domain),
      };
    case 'joinDomain':
      return {
        domain: op.domain,
        joinCredential: qualifiedCredential(credentials.get(op.joinCredential), op.domain),
        ou: op.ou ?? '',
        dns: [...op.dns],
      };
    case 'offlineDomainJoin':
      return { domain: op.domain, ou: op.ou ?? '', dns: [...op.dns] };
    case 'installHgs':
      return { domain: op.domain, safeModePassword: password(op.safeModePassword) };
    case 'initializeHgs':
      return { serviceName: op.serviceName, attestation: op.attestation };
    case 'joinHgs':
      return {
        domain: op.domain,
        primaryAddress: op.primaryAddress,
        safeModePassword: password(op.safeModePassword),
        credential: qualifiedCredential(credentials.get(op.credential), op.domain),
      };
    case 'addDnsForwarder':
      return { domain: op.domain, masterServers: [...op.masterServers] };
    case 'createAdGroup':
      return { name: op.name, members: [...op.members] };
    case 'createTrust':
      return {
        remoteDomain: op.remoteDomain,
        remoteCredential: qualifiedCredential(credentials.get(op.remoteCredential), op.remoteDomain),
      };
    case 'addAttestationHostGroup':
      return { name: op.name, groupName: op.groupName, fabricDomain: op.fabricDomain };
    case 'addAttestationTpmHost':
    case 'addAttestationHostKey':
      return { name: op.name };
    case 'configureGuardedHost':
      return {
        attestationServerUrl: op.attestationServerUrl,
        keyProtectionServerUrl: op.keyProtectionServerUrl,
      };
    case 'createShare':
      return { name: op.name, path: op.path, fullAccess: [...op.fullAccess] };
    case 'addDhcpScope':
      return {
        name: op.name,
        start: op.start,
        end: op.end,
        ...scopeOf(op.start, op.prefixLength),
        router: op.router ?? '',
        dnsServers: [...op.dnsServers],
        dnsDomain: op.dnsDomain ?? '',
      };
    case 'authorizeDhcp':
      return { dnsName: op.dnsName, address: op.address };
    case 'createIscsiTarget':
      return {
        targetName: op.targetName,
        disks: op.disks.map((d) => ({ ...d })),
        initiatorAddresses: [...op.initiatorAddresses],
      };
    case 'createCluster':
      return {
        name: op.name,
        nodes: [...op.nodes],
        address: op.address,
        witness: op.witness ? { ...op.witness } : null,
        sharedVolumes: [...op.sharedVolumes],
        disks: op.disks.map((d) => ({ name: d.name, size: d.size })),
      };
    case 'runScript':
      return { id: op.id, run: op.run, test: op.test ?? '', reboots: op.reboots };
    case 'recordRole':
      return { file: roleRecordFile(op.address), record: op.record };
    case 'forgetRole':
      return { file: roleRecordFile(op.address) };
    case 'readRoles':
      return {};
    case 'removeShare':
      return { name: op.name };
    case 'removeDhcpScope':
      return { scopeId: scopeOf(op.start, op.prefixLength).scopeId };
    case 'uninstallFeatures':
      return { features: [...op.features] };
    case 'moveComputer':
      return { computerName: op.computerName, ou: op.ou };
  }
}

/** The same arguments without secrets: what a probe needs (probes never need a password). */
export function probeArguments(operation: GuestOperation): Record<string, unknown> {
  const noSecrets: CredentialLookup = {
    get: (name) => ({ name, username: name, password: new Secret('') }),
  };
  const args = argumentsOf(operation, noSecrets);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value instanceof Secret) continue;
    if (
      value &&
      typeof value === 'object' &&
      'password' in value &&
      (value as { password: unknown }).password instanceof Secret
    )
      continue;
    out[key] = value;
  }
  return out;
}
