/**
 * PURE: what a resource to create will be, as the plan lists it (`+ memory = 2GB`) and plan JSON
 * carries it (`after`): one entry per attribute, keyed by the same dotted paths the diffs use,
 * values as data (sizes in bytes, addresses with their prefix, automatic ones marked).
 */
import type { Lab } from '../manifest/lab.js';
import type { DesiredResource } from '../desired/desired-resource.js';
import type { Attributes } from '../model/change.js';
import { parseAddress } from '../model/address.js';
import { roleAttributes } from './role-attributes.js';
import { fileCopyAfter } from './file-copy-wording.js';

export function createAttributes(d: DesiredResource, lab: Lab): Attributes | undefined {
  switch (d.kind) {
    case 'vm': {
      const spec = lab.vms.find((v) => v.name === d.name);
      const a: Attributes = {
        generation: d.generation,
        processors: d.processors,
        memory: d.memory.startup,
      };
      if (d.memory.dynamic) {
        a['memory.dynamic'] = true;
        if (d.memory.minimum !== undefined) a['memory.minimum'] = d.memory.minimum;
        if (d.memory.maximum !== undefined) a['memory.maximum'] = d.memory.maximum;
      }
      if (d.image) a.image = d.image.name;
      if (d.cluster) a.cluster = d.cluster;
      a.path = d.path;
      d.adapters.forEach((adapter, i) => {
        a[`network[${i}].switch`] = adapter.switchName;
        const ip = spec?.network[i]?.ip;
        if (ip?.kind === 'static') {
          a[`network[${i}].address`] = `${ip.address}/${ip.prefixLength}`;
          if (ip.auto) a[`network[${i}].automatic`] = true;
        } else if (ip?.kind === 'dhcp') a[`network[${i}].address`] = 'DHCP';
        if (adapter.mac) a[`network[${i}].mac`] = adapter.mac;
        if (adapter.vlan !== null) a[`network[${i}].vlan`] = adapter.vlan;
      });
      d.dataDisks.forEach((disk, i) => {
        if (disk.create) a[`disks[${i}].size`] = disk.create.size;
        else a[`disks[${i}].disk`] = disk.diskAddress?.replace(/^disk\./, '') ?? disk.path;
      });
      d.dvdDrives.forEach((dvd, i) => (a[`dvd[${i}]`] = dvd.path));
      // `files:` copies, worded as a copy that differs on an existing VM (src/diff/diff-guest.ts).
      spec?.files.forEach((f, i) => (a[`files[${i}]`] = fileCopyAfter(f)));
      // A Linux guest's cloud-init seed disk (host name, addresses, the host account's key).
      if (d.cloudInit) a.cloudInit = d.cloudInit.disk.path;
      if (d.assignedDevices.length > 0) a.devices = [...d.assignedDevices];
      if (d.mmio) {
        a['mmio.low'] = d.mmio.low;
        a['mmio.high'] = d.mmio.high;
      }
      if (d.firmware) a['firmware.secureBoot'] = d.firmware.secureBoot;
      if (d.tpm) a.tpm = true;
      if (d.nestedVirtualization) a.nestedVirtualization = true;
      return a;
    }
    case 'network': {
      const a: Attributes = { type: d.switchType, hosts: [...d.hosts] };
      if (d.adapter) a.adapter = d.adapter;
      if (d.allowManagementOS !== undefined) a.allowManagementOS = d.allowManagementOS;
      if (d.hostAddress) a.hostAddress = `${d.hostAddress.address}/${d.hostAddress.prefixLength}`;
      return a;
    }
    case 'nat':
      return { network: d.network, internalPrefix: d.internalPrefix };
    case 'portMapping': {
      const target = lab.networks
        .find((n) => n.name === d.network)
        ?.portMappings.find((m) => m.protocol === d.protocol && m.externalPort === d.externalPort);
      return {
        protocol: d.protocol,
        externalPort: d.externalPort,
        ...(target ? { vm: target.vm } : {}),
        internalAddress: d.internalAddress,
        internalPort: d.internalPort,
      };
    }
    case 'disk':
      return { size: d.size, format: d.format, type: d.type, shared: d.shared };
    case 'role': {
      // The n-th role of its kind on its VM (role.web1.script.2 is the second script).
      const parsed = parseAddress(d.address);
      const n = parsed?.kind === 'role' ? parsed.n : 1;
      const role = lab.vms
        .find((v) => v.name === d.vm)
        ?.roles.filter((r) => r.kind === d.role)
        .at(n - 1);
      return role ? roleAttributes(role) : undefined;
    }
    default:
      return undefined;
  }
}
