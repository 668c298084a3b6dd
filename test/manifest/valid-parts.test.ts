/**
 * `validate` reports, in one run, the schema errors and the rule errors of the parts the schema
 * errors are not in, each on its own line; leaving the broken parts out never invents an error
 * elsewhere, and a manifest whose remainder is not checkable gets its schema errors alone.
 */
import { describe, expect, it } from 'vitest';
import { load, manifest } from './helpers.js';

const at = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('schema errors and the rule errors of the valid parts, in one run', () => {
  it('reports a VM schema error and another VM rule error together, each on its line', () => {
    const text = manifest({
      vms: `  - { name: a, image: ws, credential: admin, memory: lots }
  - { name: b, image: ws, credential: admin, memory: 1025MB }
  - { name: c, image: ws, credential: admin, generation: 1, tpm: true }`,
    });
    const { lab, diagnostics } = load(text);
    expect(lab).toBeUndefined();
    const seen = diagnostics.map((d) => [d.rule, d.pointer, d.line]);
    expect(seen).toEqual([
      [expect.any(String), expect.stringMatching(/^\/vms\/0\/memory/), at(text, 'memory: lots')],
      ['memory-alignment', expect.stringMatching(/^\/vms\/1/), at(text, 'memory: 1025MB')],
      // The image ws is a generation 2 image: its section is whole, so this is checked too.
      ['image-generation', expect.stringMatching(/^\/vms\/2/), at(text, 'tpm: true')],
      ['generation-tpm', expect.stringMatching(/^\/vms\/2/), at(text, 'tpm: true')],
    ]);
  });

  it('keeps the original pointers past a left-out entry, and in other sections', () => {
    const text = manifest({
      extra: `networks:
  - { name: Bad, type: wormhole, host: hv01 }
  - { name: Lab, type: nat, host: hv01, prefix: 10.9.0.0/24, gateway: 10.8.0.1 }`,
      vms: '  - { name: a, image: ws, credential: admin, network: [{ network: Lab, ip: auto }] }',
    });
    const { diagnostics } = load(text);
    const rule = diagnostics.find((d) => d.rule === 'address-outside-prefix');
    expect(rule).toMatchObject({ pointer: '/networks/1/gateway', line: at(text, 'gateway: 10.8.0.1') });
    expect(diagnostics.some((d) => d.pointer.startsWith('/networks/0'))).toBe(true);
  });

  it('does not report what only follows from leaving an entry out', () => {
    // The network the VM uses and the DC its member joins are the broken entries.
    const text = manifest({
      extra: `networks:
  - { name: Lab, type: nat, host: hv01, prefix: 10.9.0.0/24, bogus: 1 }`,
      vms: `  - { name: dc, image: ws, credential: admin, memory: lots, network: [{ network: Lab, ip: auto }], roles: [{ domainController: { domain: corp.test, safeModePassword: admin, domainAdmin: admin } }] }
  - { name: m, image: ws, credential: admin, network: [{ network: Lab, ip: auto }], roles: [{ domainMember: { domain: corp.test, joinCredential: admin } }] }
  - { name: x, image: ws, credential: admin, network: [{ network: Nowhere, ip: dhcp }] }`,
    });
    const rules = load(text)
      .diagnostics.filter((d) => !d.pointer.startsWith('/vms/0') && !d.pointer.startsWith('/networks/0'))
      .map((d) => [d.rule, d.pointer]);
    // The reference to Lab (left out) is not reported; the one to Nowhere (a real typo) is.
    expect(rules).toEqual([['reference-unknown', '/vms/2/network/0/network']]);
  });

  it('reports the schema errors alone when the rest cannot be checked (a required section is broken)', () => {
    const text = manifest({ vms: '  - { name: a, image: ws, credential: admin, memory: 1025MB }' }).replace(
      'hosts:\n  - name: hv01',
      'hosts: hv01',
    );
    const rules = load(text).diagnostics.map((d) => d.rule);
    expect(rules).not.toContain('memory-alignment');
    expect(rules.length).toBeGreaterThan(0);
  });
});
