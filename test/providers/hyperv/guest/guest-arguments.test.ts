import { describe, expect, it } from 'vitest';
import type { GuestOperation } from '../../../../src/model/guest-operation.js';
import {
  guestArguments,
  probeArguments,
  qualifiedCredential,
  scopeOf,
} from '../../../../src/providers/hyperv/guest/guest-arguments.js';
import { Secret, type Credential } from '../../../../src/secrets/secret.js';

const creds: Record<string, Credential> = {
  'domain-admin': { name: 'domain-admin', username: 'Administrator', password: new Secret('d0main!') },
  'safe-mode': { name: 'safe-mode', username: 'unused', password: new Secret('s4fe!') },
  join: { name: 'join', username: 'CONTOSO\\joiner', password: new Secret('j0in!') },
};
const lookup = { get: (name: string) => creds[name]! };

describe('guest arguments', () => {
  it('qualifies a bare user name with the domain, keeps qualified ones', () => {
    expect(qualifiedCredential(creds['domain-admin']!, 'contoso.com').username).toBe(
      'contoso.com\\Administrator',
    );
    expect(qualifiedCredential(creds.join!, 'contoso.com').username).toBe('CONTOSO\\joiner');
    const upn = { ...creds.join!, username: 'joiner@contoso.com' };
    expect(qualifiedCredential(upn, 'contoso.com').username).toBe('joiner@contoso.com');
  });

  it('computes a DHCP scope id and mask from the start address and prefix length', () => {
    expect(scopeOf('192.168.50.100', 24)).toEqual({ scopeId: '192.168.50.0', subnetMask: '255.255.255.0' });
    expect(scopeOf('10.10.42.200', 20)).toEqual({ scopeId: '10.10.32.0', subnetMask: '255.255.240.0' });
  });

  it('passes passwords as Secrets and credentials as Credential objects, never as text', () => {
    const op: GuestOperation = {
      op: 'addDomainController',
      domain: 'contoso.com',
      safeModePassword: 'safe-mode',
      domainAdmin: 'domain-admin',
    };
    const args = guestArguments(op, lookup);
    expect(args.safeModePassword).toBeInstanceOf(Secret);
    expect((args.domainAdmin as Credential).password).toBeInstanceOf(Secret);
    expect((args.domainAdmin as Credential).username).toBe('contoso.com\\Administrator');
    expect(args.__restartsItself).toBe(true);
    expect(JSON.stringify(args)).not.toMatch(/d0main!|s4fe!/);
  });

  it('gives probes no secrets at all', () => {
    const ops: GuestOperation[] = [
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      { op: 'joinDomain', domain: 'contoso.com', joinCredential: 'join', dns: [] },
      { op: 'createTrust', remoteDomain: 'contoso.com', remoteCredential: 'domain-admin' },
    ];
    for (const op of ops) {
      const args = probeArguments(op);
      expect(
        Object.values(args).some(
          (v) => v instanceof Secret || (typeof v === 'object' && v !== null && 'password' in v),
        ),
      ).toBe(false);
      expect(args.domain ?? args.remoteDomain).toBe('contoso.com');
    }
  });

  it('marks only the operations that restart the guest', () => {
    expect(
      guestArguments({ op: 'createShare', name: 's', path: 'C:\\s', fullAccess: [] }, lookup)
        .__restartsItself,
    ).toBeUndefined();
    expect(
      guestArguments({ op: 'runScript', id: 'x', run: '', shell: 'powershell', reboots: true }, lookup)
        .__restartsItself,
    ).toBe(true);
    expect(
      guestArguments({ op: 'runScript', id: 'x', run: '', shell: 'powershell', reboots: false }, lookup)
        .__restartsItself,
    ).toBeUndefined();
  });
});
