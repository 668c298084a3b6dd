/**
 * PURE: what a role being created will do, as the plan lists it (`+ domain = corp.contoso.com`)
 * and plan JSON carries it (`after`), keyed by the manifest's own names (`shares[0].path`,
 * `scopes[0].start`, sizes in bytes). Credentials are named, never resolved: a role's
 * `safeModePassword` is shown as `(secret)`, and no password value is ever read here.
 */
import type { RoleSpec } from '../manifest/lab.js';
import type { Attributes } from '../model/change.js';

/** What the plan shows for a secret reference. */
export const SECRET_SHOWN = '(secret)';

export function roleAttributes(role: RoleSpec): Attributes {
  const a: Attributes = {};
  const put = (key: string, value: Attributes[string] | undefined) => {
    if (value !== undefined) a[key] = value;
  };
  switch (role.kind) {
    case 'domainController':
      put('domain', role.domain);
      put('netbios', role.netbios);
      put('domainAdmin', role.domainAdmin);
      put('safeModePassword', SECRET_SHOWN);
      break;
    case 'domainMember':
      put('domain', role.domain);
      put('joinCredential', role.joinCredential);
      put('ou', role.ou);
      break;
    case 'hostGuardianService':
      put('domain', role.domain);
      put('attestation', role.attestation);
      put('serviceName', role.serviceName);
      put('join', role.join);
      break;
    case 'guardedHost':
      put('hgs', role.hgs);
      break;
    case 'hyperV':
      break;
    case 'fileServer':
      role.shares.forEach((s, i) => {
        put(`shares[${i}].name`, s.name);
        put(`shares[${i}].path`, s.path);
        if (s.fullAccess.length > 0) put(`shares[${i}].fullAccess`, [...s.fullAccess]);
      });
      break;
    case 'dhcpServer':
      role.scopes.forEach((s, i) => {
        put(`scopes[${i}].network`, s.network);
        put(`scopes[${i}].start`, s.start);
        put(`scopes[${i}].end`, s.end);
        put(`scopes[${i}].router`, s.router);
        put(`scopes[${i}].dnsDomain`, s.dnsDomain);
      });
      break;
    case 'iscsiTarget':
      role.disks.forEach((d, i) => {
        put(`disks[${i}].name`, d.name);
        put(`disks[${i}].size`, d.size);
      });
      if (role.initiators.length > 0) put('initiators', [...role.initiators]);
      break;
    case 'script':
      put('shell', role.shell);
      put('run', role.run);
      put('test', role.test);
      put('credential', role.credential);
      put('reboots', role.reboots);
      break;
  }
  return a;
}
