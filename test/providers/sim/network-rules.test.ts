import { describe, expect, it } from 'vitest';
import { ctx, newSim, refused, windowsVm } from './sim-fixtures.js';

describe('network rules', () => {
  it('allows one NetNat per host, with "The parameter is incorrect."', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', { op: 'createNat', name: 'labform-t.A', internalPrefix: '192.168.50.0/24' }, ctx());
    const e = await refused(
      sim.run('hv01', { op: 'createNat', name: 'labform-t.B', internalPrefix: '192.168.60.0/24' }, ctx()),
    );
    expect(e.record).toMatchObject({
      message: 'The parameter is incorrect.',
      category: 'InvalidArgument',
      fullyQualifiedErrorId: 'Windows System Error 87,New-NetNat',
    });
    expect(e.message).toMatch(/one NAT network per host/);
    // Another host may have its own.
    await sim.run('hv02', { op: 'createNat', name: 'labform-t.B', internalPrefix: '192.168.60.0/24' }, ctx());
  });

  it('refuses a NAT prefix overlapping the host address, but accepts its gateway on an internal switch', async () => {
    const { sim } = await newSim();
    const e = await refused(
      sim.run('hv01', { op: 'createNat', name: 'n', internalPrefix: '10.254.0.0/16' }, ctx()),
    );
    expect(e.message).toMatch(/overlaps the host's address 10\.254\.0\.10 on Ethernet/);
    await sim.run('hv01', { op: 'createSwitch', name: 'LabNet', type: 'internal', notes: '' }, ctx());
    await sim.run(
      'hv01',
      { op: 'setHostAddress', switchName: 'LabNet', address: '192.168.50.1', prefixLength: 24 },
      ctx(),
    );
    await sim.run('hv01', { op: 'createNat', name: 'n', internalPrefix: '192.168.50.0/24' }, ctx());
    const state = await sim.discover('hv01', { paths: [], files: [] });
    expect(state.nats).toEqual([{ name: 'n', internalPrefix: '192.168.50.0/24' }]);
  });

  it('refuses a NAT prefix containing an address on an external switch shared with the host', async () => {
    const { sim } = await newSim();
    await sim.seed('hv01', (t) => {
      t.netAdapter({ name: 'Ethernet 2' });
      t.hostAddress({ interfaceAlias: 'Ethernet 2', address: '172.20.1.5', prefixLength: 16 });
    });
    await sim.run(
      'hv01',
      {
        op: 'createSwitch',
        name: 'Uplink',
        type: 'external',
        adapter: 'Ethernet 2',
        allowManagementOS: true,
        notes: '',
      },
      ctx(),
    );
    const e = await refused(
      sim.run('hv01', { op: 'createNat', name: 'n', internalPrefix: '172.20.0.0/16' }, ctx()),
    );
    expect(e.message).toMatch(/vEthernet \(Uplink\)/);
  });

  it('keeps static mappings unique per (protocol, external port) on a host', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', { op: 'createNat', name: 'n', internalPrefix: '192.168.50.0/24' }, ctx());
    await sim.run(
      'hv01',
      {
        op: 'addNatMapping',
        nat: 'n',
        protocol: 'tcp',
        externalPort: 8443,
        internalAddress: '192.168.50.10',
        internalPort: 443,
      },
      ctx(),
    );
    const e = await refused(
      sim.run(
        'hv01',
        {
          op: 'addNatMapping',
          nat: 'n',
          protocol: 'tcp',
          externalPort: 8443,
          internalAddress: '192.168.50.11',
          internalPort: 443,
        },
        ctx(),
      ),
    );
    expect(e.record).toMatchObject({ message: 'The object already exists.', category: 'ResourceExists' });
    expect(e.message).toMatch(/already mapped to 192\.168\.50\.10:443/);
    await sim.run(
      'hv01',
      {
        op: 'addNatMapping',
        nat: 'n',
        protocol: 'udp',
        externalPort: 8443,
        internalAddress: '192.168.50.11',
        internalPort: 443,
      },
      ctx(),
    );
    const outside = await refused(
      sim.run(
        'hv01',
        {
          op: 'addNatMapping',
          nat: 'n',
          protocol: 'tcp',
          externalPort: 80,
          internalAddress: '10.0.0.1',
          internalPort: 80,
        },
        ctx(),
      ),
    );
    expect(outside.record?.message).toBe('The parameter is incorrect.');
  });

  it('keeps switch names unique per host', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', { op: 'createSwitch', name: 'LabNet', type: 'internal', notes: '' }, ctx());
    const e = await refused(
      sim.run('hv01', { op: 'createSwitch', name: 'labnet', type: 'private', notes: '' }, ctx()),
    );
    expect(e.record?.category).toBe('ResourceExists');
    expect(e.message).toMatch(/New-VMSwitch: .*already exists/);
  });

  it('refuses removing a switch with connected adapters', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', { op: 'createSwitch', name: 'LabNet', type: 'internal', notes: '' }, ctx());
    await windowsVm(sim, { name: 'web01', switchName: 'LabNet', start: false });
    const e = await refused(sim.run('hv01', { op: 'removeSwitch', name: 'LabNet' }, ctx()));
    expect(e.message).toMatch(/in use.*web01/);
    await sim.run('hv01', { op: 'removeAdapter', vm: 'web01', name: 'Network Adapter' }, ctx());
    await sim.run('hv01', { op: 'removeSwitch', name: 'LabNet' }, ctx());
  });

  it('refuses an external switch on a missing or already bound adapter', async () => {
    const { sim } = await newSim();
    const missing = await refused(
      sim.run(
        'hv01',
        { op: 'createSwitch', name: 'Up', type: 'external', adapter: 'NoSuch', notes: '' },
        ctx(),
      ),
    );
    expect(missing.record?.category).toBe('ObjectNotFound');
    await sim.run(
      'hv01',
      {
        op: 'createSwitch',
        name: 'Up',
        type: 'external',
        adapter: 'Ethernet',
        allowManagementOS: true,
        notes: '',
      },
      ctx(),
    );
    const bound = await refused(
      sim.run(
        'hv01',
        { op: 'createSwitch', name: 'Up2', type: 'external', adapter: 'Ethernet', notes: '' },
        ctx(),
      ),
    );
    expect(bound.message).toMatch(/already bound/);
    const state = await sim.discover('hv01', { paths: [], files: [] });
    expect(state.hostAddresses).toEqual([
      { interfaceAlias: 'vEthernet (Up)', address: '10.254.0.10', prefixLength: 24 },
    ]);
  });

  it('refuses a host address on a private switch and a duplicate address', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', { op: 'createSwitch', name: 'Priv', type: 'private', notes: '' }, ctx());
    const e = await refused(
      sim.run(
        'hv01',
        { op: 'setHostAddress', switchName: 'Priv', address: '10.1.1.1', prefixLength: 24 },
        ctx(),
      ),
    );
    expect(e.record?.category).toBe('ObjectNotFound');
    await sim.run('hv01', { op: 'createSwitch', name: 'Int', type: 'internal', notes: '' }, ctx());
    const dup = await refused(
      sim.run(
        'hv01',
        { op: 'setHostAddress', switchName: 'Int', address: '10.254.0.10', prefixLength: 24 },
        ctx(),
      ),
    );
    expect(dup.record?.message).toBe('The object already exists.');
  });
});
