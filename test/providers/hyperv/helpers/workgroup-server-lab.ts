/**
 * A one-VM lab for day-two tests of guest roles on the fake module: a workgroup server `app01`
 * on hv01 (Windows image, a local credential read from `passwordEnv`, a static address on an
 * internal network) with the roles given as manifest lines.
 */
import { loadLabFromText } from '../../../../src/manifest/load-lab.js';
import type { Lab } from '../../../../src/manifest/lab.js';

export const WORKGROUP_SERVER_IMAGE = 'D:\\Images\\WS2022.vhdx';

export function workgroupServerLab(options: { name: string; passwordEnv: string; roles: string[] }): Lab {
  const text = [
    'apiVersion: labform/v1',
    'kind: Lab',
    `name: ${options.name}`,
    'settings:',
    '  storagePath: D:\\Labs\\{lab}',
    'hosts:',
    '  - name: hv01',
    '    connect: local',
    'images:',
    '  - name: ws2022',
    `    path: ${WORKGROUP_SERVER_IMAGE}`,
    '    os: windows',
    '    generation: 2',
    'credentials:',
    '  - name: lab-admin',
    '    username: Administrator',
    `    password: { fromEnv: ${options.passwordEnv} }`,
    'networks:',
    '  - name: LabNet',
    '    type: internal',
    '    host: hv01',
    '    prefix: 192.168.77.0/24',
    'vms:',
    '  - name: app01',
    '    host: hv01',
    '    image: ws2022',
    '    credential: lab-admin',
    '    network:',
    '      - network: LabNet',
    '        ip: 192.168.77.10',
    '    roles:',
    ...options.roles,
  ].join('\n');
  const { lab, diagnostics } = loadLabFromText({ text, file: `/labs/${options.name}.yaml` });
  if (!lab) throw new Error(diagnostics.map((d) => `${d.rule}: ${d.message}`).join('; '));
  return lab;
}
