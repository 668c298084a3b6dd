import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  cloudInitSeed,
  seedMac,
  seedSummaryFromRecord,
  sshKeyFingerprint,
} from '../../src/model/cloud-init-seed.js';

const input = {
  hostname: 'web01',
  user: 'labadmin',
  sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nz host-account@hv01'],
  adapters: [
    {
      mac: '00155D0A0B0C',
      dhcp: false,
      addresses: [{ address: '10.20.0.21', prefixLength: 24 }],
      gateway: '10.20.0.1',
      dns: ['10.20.0.10'],
    },
    { mac: '00-15-5D-0A-0B-0D', dhcp: true, addresses: [], dns: [] },
  ],
};

describe('cloud-init NoCloud seed', () => {
  it('writes meta-data, user-data and network-config v2 as cloud-init reads them', () => {
    const seed = cloudInitSeed(input);
    expect(parse(seed.files['meta-data'])).toEqual({
      'instance-id': seed.instanceId,
      'local-hostname': 'web01',
    });
    expect(seed.files['user-data'].startsWith('#cloud-config\n')).toBe(true);
    expect(parse(seed.files['user-data'])).toEqual({
      hostname: 'web01',
      preserve_hostname: false,
      users: [
        'default',
        {
          name: 'labadmin',
          sudo: 'ALL=(ALL) NOPASSWD:ALL',
          shell: '/bin/bash',
          lock_passwd: true,
          ssh_authorized_keys: ['ssh-ed25519 AAAAC3Nz host-account@hv01'],
        },
      ],
    });
    expect(parse(seed.files['network-config'])).toEqual({
      version: 2,
      ethernets: {
        lab0: {
          match: { macaddress: '00:15:5d:0a:0b:0c' },
          dhcp4: false,
          addresses: ['10.20.0.21/24'],
          routes: [{ to: 'default', via: '10.20.0.1' }],
          nameservers: { addresses: ['10.20.0.10'] },
        },
        lab1: { match: { macaddress: '00:15:5d:0a:0b:0d' }, dhcp4: true },
      },
    });
  });

  it('gives a changed configuration a new instance-id (cloud-init applies it again), the same one a stable id', () => {
    const a = cloudInitSeed(input);
    expect(cloudInitSeed(structuredClone(input)).instanceId).toBe(a.instanceId);
    const moved = structuredClone(input);
    moved.adapters[0]!.addresses[0]!.address = '10.20.0.22';
    expect(cloudInitSeed(moved).instanceId).not.toBe(a.instanceId);
    expect(a.instanceId).toMatch(/^labform-[0-9a-f]{16}$/);
  });

  it('writes MACs as cloud-init matches them', () => {
    expect(seedMac('00155DAABBCC')).toBe('00:15:5d:aa:bb:cc');
  });
});

describe('the summary a seed record keeps', () => {
  it('names each adapter by MAC with its addressing and DNS, and the keys by fingerprint', () => {
    expect(cloudInitSeed(input).summary).toEqual({
      hostname: 'web01',
      user: 'labadmin',
      network: {
        '00:15:5d:0a:0b:0c': '10.20.0.21/24, gateway 10.20.0.1, DNS 10.20.0.10',
        '00:15:5d:0a:0b:0d': 'dhcp',
      },
      sshAuthorizedKeys: [sshKeyFingerprint('ssh-ed25519 AAAAC3Nz host-account@hv01')],
    });
  });

  it('fingerprints a key as ssh-keygen -l -E sha256 does', () => {
    // Made with ssh-keygen -t ed25519; `ssh-keygen -lf key.pub -E sha256` printed this fingerprint.
    const key =
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEbNOsEDyBbwrLOW+iGR37epL31c7F/g4mzQrYSVPkiH labform@hv01';
    expect(sshKeyFingerprint(key)).toBe(
      'ssh-ed25519 SHA256:OAwHUi+YTw6IwXRpCbVnZC6KeE9RFxurYnl/9NG7hO0 labform@hv01',
    );
    expect(sshKeyFingerprint('not a key')).toBe('not a key');
  });

  it('reads a record back, a one-key list that JSON gave as a string included, and refuses other shapes', () => {
    const summary = cloudInitSeed(input).summary;
    expect(seedSummaryFromRecord(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
    expect(seedSummaryFromRecord({ ...summary, sshAuthorizedKeys: 'ssh-ed25519 SHA256:x a@b' })).toEqual({
      ...summary,
      sshAuthorizedKeys: ['ssh-ed25519 SHA256:x a@b'],
    });
    expect(seedSummaryFromRecord(undefined)).toBeUndefined();
    expect(seedSummaryFromRecord({ ...summary, network: ['dhcp'] })).toBeUndefined();
    expect(seedSummaryFromRecord({ ...summary, hostname: 3 })).toBeUndefined();
  });
});
