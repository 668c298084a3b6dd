import { loadLabFromText } from '../../src/manifest/load-lab.js';

/** A small valid manifest; `extra` is appended (YAML), `vms` replaces the VM list. */
export function manifest(options: { vms?: string; extra?: string; head?: string } = {}): string {
  return `${options.head ?? 'apiVersion: labform/v1\nkind: Lab\nname: t'}
settings:
  storagePath: D:\\Labs\\{lab}
hosts:
  - name: hv01
images:
  - { name: ws, path: D:\\Images\\ws.vhdx }
credentials:
  - { name: admin, username: Administrator, password: { fromEnv: PW } }
${options.extra ?? ''}
vms:
${options.vms ?? '  - { name: a, image: ws, credential: admin }'}
`;
}

export function load(text: string) {
  return loadLabFromText({ text, file: 'lab.yaml' });
}

export function rules(text: string): string[] {
  return load(text).diagnostics.map((d) => d.rule);
}
