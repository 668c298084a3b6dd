import { describe, expect, it } from 'vitest';
import { labStatus } from '../../src/render/show-status.js';
import { fileBytes, formatShowText } from '../../src/render/show-text.js';
import { appliedLive, cloneLive, demoLab } from '../support/lab-builder.js';

describe('show', () => {
  const lab = demoLab();

  it("reports each VM's state, heartbeat, addresses, checkpoints and roles; networks, NAT, mappings", () => {
    const live = cloneLive(appliedLive(lab));
    const dc = live.get('hv01')!.vms.find((v) => v.name === 'dc01')!;
    dc.checkpoints = ['baseline'];
    live.get('hv01')!.vms = live.get('hv01')!.vms.filter((v) => v.name !== 'web01');
    live.get('hv01')!.natMappings = [];
    const status = labStatus({
      lab,
      live,
      roleState: new Map([['role.dc01.domainController', 'done']]),
      roleAddresses: new Map([['dc01', ['role.dc01.domainController']]]),
    });
    expect(status.vms[0]).toMatchObject({
      name: 'dc01',
      present: true,
      state: 'Running',
      heartbeat: 'OK',
      checkpoints: ['baseline'],
      roles: [{ address: 'role.dc01.domainController', state: 'done' }],
    });
    expect(status.vms[0]!.addresses.length).toBe(1);
    expect(status.vms[1]).toMatchObject({ name: 'web01', present: false, state: 'absent' });
    expect(status.networks[0]!.hosts[0]).toEqual({
      host: 'hv01',
      present: true,
      hostAddress: '192.168.50.1/24',
    });
    expect(status.nats[0]).toEqual({
      network: 'LabNet',
      name: 'labform-demo.LabNet',
      host: 'hv01',
      present: true,
      internalPrefix: '192.168.50.0/24',
    });
    expect(status.portMappings[0]).toMatchObject({
      address: 'portMapping.LabNet.tcp.8443',
      present: false,
      target: 'web01',
    });
    const text = formatShowText(status);
    expect(text).toMatch(/dc01\s+hv01\s+Running\s+OK\s+(\d+[hms])+\s+2\s+2GB\s+192\.168\.50\.\d+\s+baseline/);
    expect(text).toMatch(/web01\s+hv01\s+absent/);
    expect(text).toContain('role.dc01.domainController: done');
    expect(text).toContain('labform-demo.LabNet on hv01: 192.168.50.0/24');
    expect(text).toContain('portMapping.LabNet.tcp.8443 -> web01 192.168.50.20:443 (absent)');
  });

  it("flags a VM with the lab's name that is not the lab's", () => {
    const live = cloneLive(appliedLive(lab));
    live.get('hv01')!.vms[0]!.notes = '';
    const status = labStatus({ lab, live, roleState: new Map(), roleAddresses: new Map() });
    expect(status.vms[0]!.foreign).toBe(true);
    expect(formatShowText(status)).toContain("(not this lab's)");
  });

  it('shows each disk with its virtual size, its file size when the host reports one, type and parent', () => {
    const live = cloneLive(appliedLive(lab));
    const host = live.get('hv01')!;
    const dc = host.vms.find((v) => v.name === 'dc01')!;
    const osDisk = host.vhds.find((v) => v.path.toLowerCase() === dc.disks[0]!.path.toLowerCase())!;
    osDisk.fileSize = 13_314_572_288;
    const text = formatShowText(labStatus({ lab, live, roleState: new Map(), roleAddresses: new Map() }));
    expect(text).toMatch(/^ {2}VM\s+CONTROLLER\s+PATH\s+SIZE\s+FILE SIZE\s+TYPE\s+PARENT$/m);
    expect(text).toMatch(
      new RegExp(`dc01\\s+${dc.disks[0]!.controllerType} 0:0\\s+\\S+\\s+\\d+GB\\s+12\\.4 GB\\s+differencing`),
    );
    expect(fileBytes(4 * 1024 * 1024)).toBe('4.0 MB');
    expect(fileBytes(1000)).toBe('1000 B');
    expect(fileBytes(150 * 1024 ** 3)).toBe('150 GB');
  });
});
