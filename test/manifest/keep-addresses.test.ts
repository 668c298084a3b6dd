import { describe, expect, it } from 'vitest';
import { keepAutoAddresses, type LiveAdapterAddresses } from '../../src/manifest/expand/keep-addresses.js';
import type { Lab } from '../../src/manifest/lab.js';
import { load, manifest } from './helpers.js';

const net = `networks:
  - { name: LabNet, type: nat, host: hv01, prefix: 10.77.0.0/24 }`;
const vm = (name: string) =>
  `  - { name: ${name}, image: ws, credential: admin, network: [{ network: LabNet, ip: auto }] }`;

function labOf(names: string[], extra = net): Lab {
  const { lab, diagnostics } = load(manifest({ extra, vms: names.map(vm).join('\n') }));
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

const addresses = (lab: Lab) =>
  Object.fromEntries(
    lab.vms.map((v) => [
      v.name,
      v.network[0]!.ip.kind === 'static' ? (v.network[0]!.ip as { address: string }).address : '',
    ]),
  );
const liveOf = (map: Record<string, string>): LiveAdapterAddresses[] =>
  Object.entries(map).map(([name, address]) => ({
    vm: name,
    index: 0,
    switchName: 'LabNet',
    addresses: [address, 'fe80::1'],
  }));

describe('stable automatic addresses', () => {
  it('a VM inserted before others does not renumber them: it takes the lowest free address', () => {
    const before = addresses(labOf(['dc1', 'srv1', 'srv2']));
    expect(before).toEqual({ dc1: '10.77.0.2', srv1: '10.77.0.3', srv2: '10.77.0.4' });
    const lab = labOf(['dc1', 'jump', 'srv1', 'srv2']);
    keepAutoAddresses(lab, liveOf(before));
    expect(addresses(lab)).toEqual({
      dc1: '10.77.0.2',
      jump: '10.77.0.5',
      srv1: '10.77.0.3',
      srv2: '10.77.0.4',
    });
  });

  it('an address a removed VM still holds is not handed out while it holds it', () => {
    const lab = labOf(['dc1', 'srv1', 'srv2', 'new1']);
    keepAutoAddresses(
      lab,
      liveOf({ dc1: '10.77.0.2', jump: '10.77.0.3', srv1: '10.77.0.4', srv2: '10.77.0.5' }),
    );
    expect(addresses(lab)).toEqual({
      dc1: '10.77.0.2',
      srv1: '10.77.0.4',
      srv2: '10.77.0.5',
      new1: '10.77.0.6',
    });
    // Once jump is gone, its address is free again.
    const later = labOf(['dc1', 'srv1', 'srv2', 'new2']);
    keepAutoAddresses(later, liveOf({ dc1: '10.77.0.2', srv1: '10.77.0.4', srv2: '10.77.0.5' }));
    expect(addresses(later).new2).toBe('10.77.0.3');
  });

  it('a live address that no longer fits (new prefix, now reserved or static elsewhere) is replaced', () => {
    const moved = labOf(
      ['dc1', 'srv1'],
      'networks:\n  - { name: LabNet, type: nat, host: hv01, prefix: 10.78.0.0/24 }',
    );
    keepAutoAddresses(moved, liveOf({ dc1: '10.77.0.2', srv1: '10.77.0.3' }));
    expect(addresses(moved)).toEqual({ dc1: '10.78.0.2', srv1: '10.78.0.3' });
    const reserved = labOf(
      ['dc1', 'srv1'],
      'networks:\n  - { name: LabNet, type: nat, host: hv01, prefix: 10.77.0.0/24, reserve: [10.77.0.2/32] }',
    );
    keepAutoAddresses(reserved, liveOf({ dc1: '10.77.0.2', srv1: '10.77.0.4' }));
    expect(addresses(reserved)).toEqual({ dc1: '10.77.0.3', srv1: '10.77.0.4' });
  });

  it('two adapters reporting the same address: only the first keeps it', () => {
    const lab = labOf(['a', 'b']);
    keepAutoAddresses(lab, liveOf({ a: '10.77.0.9', b: '10.77.0.9' }));
    expect(addresses(lab)).toEqual({ a: '10.77.0.9', b: '10.77.0.2' });
  });

  it('is idempotent and leaves VMs with no live guest to the manifest order', () => {
    const lab = labOf(['dc1', 'srv1']);
    keepAutoAddresses(lab, []);
    expect(addresses(lab)).toEqual({ dc1: '10.77.0.2', srv1: '10.77.0.3' });
    keepAutoAddresses(lab, liveOf({ srv1: '10.77.0.7' }));
    keepAutoAddresses(lab, liveOf({ srv1: '10.77.0.7' }));
    expect(addresses(lab)).toEqual({ dc1: '10.77.0.2', srv1: '10.77.0.7' });
  });
});
