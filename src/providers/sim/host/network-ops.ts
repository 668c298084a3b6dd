/** Switches, host addresses, WinNAT and its static mappings, with the refusals Windows makes. */
import ipaddr from 'ipaddr.js';
import type { HostOperation } from '../../../model/host-operation.js';
import { refusal } from '../sim-errors.js';
import { hostAddressBlocksNatPrefix, winNatHasRoom } from '../../../model/hyperv-rules.js';
import { hostOf, type OpContext } from './op-context.js';
import { physicalAdaptersOf } from './fresh-host.js';

type Op<K extends HostOperation['op']> = Extract<HostOperation, { op: K }>;

const vnic = (name: string): string => `vEthernet (${name})`;
const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function parsePrefix(prefix: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  try {
    return ipaddr.parseCIDR(prefix);
  } catch {
    return undefined;
  }
}

export function createSwitch(ctx: OpContext, op: Op<'createSwitch'>): void {
  const host = hostOf(ctx);
  if (host.switches.some((s) => eq(s.name, op.name))) {
    throw refusal(ctx.site, {
      cmdlet: 'New-VMSwitch',
      message: `Failed while adding virtual Ethernet switch connections. A virtual switch named '${op.name}' already exists.`,
      category: 'ResourceExists',
      errorId: 'ObjectAlreadyExists',
      target: op.name,
    });
  }
  if (op.type === 'external') {
    const adapter = op.adapter ?? '';
    if (!physicalAdaptersOf(host).some((a) => eq(a.name, adapter))) {
      throw refusal(ctx.site, {
        cmdlet: 'New-VMSwitch',
        message: `No network adapter is found with name '${adapter}'.`,
        category: 'ObjectNotFound',
        errorId: 'ObjectNotFound',
        target: adapter,
      });
    }
    const bound = host.switches.find((s) => s.adapter !== null && eq(s.adapter, adapter));
    if (bound) {
      throw refusal(ctx.site, {
        cmdlet: 'New-VMSwitch',
        message: `Failed while adding virtual Ethernet switch connections. External Ethernet adapter '${adapter}' is already bound to the Microsoft Virtual Switch protocol.`,
        category: 'InvalidOperation',
        errorId: 'InvalidState',
        target: adapter,
        explain: `used by switch '${bound.name}'`,
      });
    }
  }
  const allowManagementOS =
    op.type === 'internal' ? true : op.type === 'external' ? (op.allowManagementOS ?? true) : false;
  host.switches.push({
    name: op.name,
    type: op.type,
    notes: op.notes,
    adapter: op.type === 'external' ? (op.adapter ?? null) : null,
    allowManagementOS,
  });
  // With the management OS sharing an external adapter, the host's addresses move to the virtual NIC.
  if (op.type === 'external' && allowManagementOS) {
    for (const a of host.hostAddresses)
      if (eq(a.interfaceAlias, op.adapter ?? '')) a.interfaceAlias = vnic(op.name);
  }
}

export function removeSwitch(ctx: OpContext, op: Op<'removeSwitch'>): void {
  const host = hostOf(ctx);
  const sw = host.switches.find((s) => eq(s.name, op.name));
  if (!sw) {
    throw refusal(ctx.site, {
      cmdlet: 'Remove-VMSwitch',
      message: `Hyper-V was unable to find a virtual switch with name "${op.name}".`,
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      target: op.name,
      exceptionType: 'Microsoft.HyperV.PowerShell.VirtualizationException',
    });
  }
  const users = host.vms
    .filter((vm) => vm.adapters.some((a) => a.switchName !== null && eq(a.switchName, op.name)))
    .map((vm) => vm.name);
  if (users.length > 0) {
    throw refusal(ctx.site, {
      cmdlet: 'Remove-VMSwitch',
      message: `The operation cannot be performed while the virtual switch '${op.name}' is in use.`,
      category: 'InvalidOperation',
      errorId: 'InvalidState',
      target: op.name,
      explain: `network adapters of ${users.join(', ')} are connected to it`,
    });
  }
  host.switches = host.switches.filter((s) => s !== sw);
  if (sw.type === 'external' && sw.adapter) {
    for (const a of host.hostAddresses) if (a.interfaceAlias === vnic(sw.name)) a.interfaceAlias = sw.adapter;
  }
  host.hostAddresses = host.hostAddresses.filter((a) => a.interfaceAlias !== vnic(sw.name));
}

/**
 * Rename-VMSwitch changes the switch's display name (Msvm_VirtualEthernetSwitch.ElementName); its
 * identity is a GUID (Msvm_VirtualEthernetSwitch.Name, learn.microsoft.com/windows/win32/hyperv_v2/msvm-virtualethernetswitch)
 * that connected VM adapters refer to, so they stay connected and report the new name. The
 * operation also brings the host's virtual adapter `vEthernet (<old>)` to `vEthernet (<new>)`
 * (labform's Rename-LabformSwitch renames it with Rename-NetAdapter): its addresses stay.
 */
export function renameSwitch(ctx: OpContext, op: Op<'renameSwitch'>): void {
  const host = hostOf(ctx);
  const sw = host.switches.find((s) => eq(s.name, op.name));
  if (!sw) {
    throw refusal(ctx.site, {
      cmdlet: 'Rename-VMSwitch',
      message: `Hyper-V was unable to find a virtual switch with name "${op.name}".`,
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      target: op.name,
      exceptionType: 'Microsoft.HyperV.PowerShell.VirtualizationException',
    });
  }
  if (host.switches.some((s) => s !== sw && eq(s.name, op.newName))) {
    throw refusal(ctx.site, {
      cmdlet: 'Rename-VMSwitch',
      message: `Failed while renaming virtual Ethernet switch. A virtual switch named '${op.newName}' already exists.`,
      category: 'ResourceExists',
      errorId: 'ObjectAlreadyExists',
      target: op.newName,
    });
  }
  const oldName = sw.name;
  sw.name = op.newName;
  for (const vm of host.vms)
    for (const a of vm.adapters)
      if (a.switchName !== null && eq(a.switchName, oldName)) a.switchName = op.newName;
  for (const a of host.hostAddresses)
    if (eq(a.interfaceAlias, vnic(oldName))) a.interfaceAlias = vnic(op.newName);
}

export function setHostAddress(ctx: OpContext, op: Op<'setHostAddress'>): void {
  const host = hostOf(ctx);
  const sw = host.switches.find((s) => eq(s.name, op.switchName));
  if (!sw || !sw.allowManagementOS) {
    throw refusal(ctx.site, {
      cmdlet: 'New-NetIPAddress',
      message: `No matching MSFT_NetIPInterface objects found by CIM query for instances of the ROOT/StandardCimv2/MSFT_NetIPInterface class on the  CIM server: SELECT * FROM MSFT_NetIPInterface  WHERE ((InterfaceAlias LIKE '${vnic(op.switchName)}'))`,
      category: 'ObjectNotFound',
      errorId: 'CmdletizationQuery_NotFound_InterfaceAlias,New-NetIPAddress',
      target: vnic(op.switchName),
      explain: sw ? 'a private switch has no host network adapter' : 'no such switch',
    });
  }
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(op.address);
  } catch {
    throw refusal(ctx.site, {
      cmdlet: 'New-NetIPAddress',
      message: 'The parameter is incorrect.',
      category: 'InvalidArgument',
      errorId: 'Windows System Error 87,New-NetIPAddress',
      target: op.address,
    });
  }
  if (host.hostAddresses.some((a) => a.address === parsed.toString())) {
    throw refusal(ctx.site, {
      cmdlet: 'New-NetIPAddress',
      message: 'The object already exists.',
      category: 'ResourceExists',
      errorId: 'Windows System Error 5010,New-NetIPAddress',
      target: op.address,
      explain: `${op.address} is already an address of this host`,
    });
  }
  host.hostAddresses.push({
    interfaceAlias: vnic(sw.name),
    address: parsed.toString(),
    prefixLength: op.prefixLength,
  });
}

export function removeHostAddress(ctx: OpContext, op: Op<'removeHostAddress'>): void {
  const host = hostOf(ctx);
  const index = host.hostAddresses.findIndex(
    (a) => a.interfaceAlias === vnic(op.switchName) && a.address === op.address,
  );
  if (index < 0) {
    throw refusal(ctx.site, {
      cmdlet: 'Remove-NetIPAddress',
      message: `No matching MSFT_NetIPAddress objects found by CIM query for instances of the ROOT/StandardCimv2/MSFT_NetIPAddress class on the  CIM server: SELECT * FROM MSFT_NetIPAddress  WHERE ((IPAddress LIKE '${op.address}')) AND ((InterfaceAlias LIKE '${vnic(op.switchName)}'))`,
      category: 'ObjectNotFound',
      errorId: 'CmdletizationQuery_NotFound_IPAddress,Remove-NetIPAddress',
      target: op.address,
    });
  }
  host.hostAddresses.splice(index, 1);
}

export function createNat(ctx: OpContext, op: Op<'createNat'>): void {
  const host = hostOf(ctx);
  const incorrect = (explain: string) =>
    refusal(ctx.site, {
      cmdlet: 'New-NetNat',
      message: 'The parameter is incorrect.',
      category: 'InvalidArgument',
      errorId: 'Windows System Error 87,New-NetNat',
      target: op.name,
      exceptionType: 'Microsoft.Management.Infrastructure.CimException',
      explain,
    });
  if (!winNatHasRoom(host.nats.length))
    throw incorrect(
      `WinNAT supports one NAT network per host; '${host.nats[0]!.name}' (${host.nats[0]!.internalPrefix}) already exists`,
    );
  const prefix = parsePrefix(op.internalPrefix);
  if (!prefix) throw incorrect(`'${op.internalPrefix}' is not an IP prefix`);
  for (const a of host.hostAddresses) {
    // The gateway on an internal switch's virtual NIC belongs inside the prefix; nothing else may.
    const sw = host.switches.find((s) => a.interfaceAlias === vnic(s.name));
    const onInternalSwitch = sw?.type === 'internal';
    if (!hostAddressBlocksNatPrefix(op.internalPrefix, { ...a, onInternalSwitch })) continue;
    throw incorrect(
      `the prefix ${op.internalPrefix} overlaps the host's address ${a.address} on ${a.interfaceAlias}`,
    );
  }
  host.nats.push({ name: op.name, internalPrefix: `${prefix[0].toString()}/${prefix[1]}` });
}

export function removeNat(ctx: OpContext, op: Op<'removeNat'>): void {
  const host = hostOf(ctx);
  if (!host.nats.some((n) => n.name === op.name)) {
    throw refusal(ctx.site, {
      cmdlet: 'Remove-NetNat',
      message: `No MSFT_NetNat objects found with property 'Name' equal to '${op.name}'.  Verify the value of the property and retry.`,
      category: 'ObjectNotFound',
      errorId: 'CmdletizationQuery_NotFound_Name,Remove-NetNat',
      target: op.name,
      exceptionType: 'Microsoft.Management.Infrastructure.CimException',
    });
  }
  host.nats = host.nats.filter((n) => n.name !== op.name);
  host.natMappings = host.natMappings.filter((m) => m.nat !== op.name);
}

export function addNatMapping(ctx: OpContext, op: Op<'addNatMapping'>): void {
  const host = hostOf(ctx);
  const nat = host.nats.find((n) => n.name === op.nat);
  if (!nat) {
    throw refusal(ctx.site, {
      cmdlet: 'Add-NetNatStaticMapping',
      message: `No MSFT_NetNat objects found with property 'Name' equal to '${op.nat}'.  Verify the value of the property and retry.`,
      category: 'ObjectNotFound',
      errorId: 'CmdletizationQuery_NotFound_Name,Add-NetNatStaticMapping',
      target: op.nat,
      exceptionType: 'Microsoft.Management.Infrastructure.CimException',
    });
  }
  const taken = host.natMappings.find(
    (m) => m.protocol === op.protocol && m.externalPort === op.externalPort,
  );
  if (taken) {
    throw refusal(ctx.site, {
      cmdlet: 'Add-NetNatStaticMapping',
      message: 'The object already exists.',
      category: 'ResourceExists',
      errorId: 'Windows System Error 5010,Add-NetNatStaticMapping',
      target: `${op.protocol}/${op.externalPort}`,
      exceptionType: 'Microsoft.Management.Infrastructure.CimException',
      explain: `external port ${op.protocol.toUpperCase()} ${op.externalPort} is already mapped to ${taken.internalAddress}:${taken.internalPort}`,
    });
  }
  const prefix = parsePrefix(nat.internalPrefix)!;
  let inside = false;
  try {
    const addr = ipaddr.parse(op.internalAddress);
    inside = addr.kind() === prefix[0].kind() && addr.match(prefix);
  } catch {
    inside = false;
  }
  if (
    !inside ||
    op.externalPort < 1 ||
    op.externalPort > 65535 ||
    op.internalPort < 1 ||
    op.internalPort > 65535
  ) {
    throw refusal(ctx.site, {
      cmdlet: 'Add-NetNatStaticMapping',
      message: 'The parameter is incorrect.',
      category: 'InvalidArgument',
      errorId: 'Windows System Error 87,Add-NetNatStaticMapping',
      target: op.internalAddress,
      exceptionType: 'Microsoft.Management.Infrastructure.CimException',
      explain: `${op.internalAddress}:${op.internalPort} is not inside ${nat.internalPrefix} or a port is out of range`,
    });
  }
  host.natMappings.push({
    nat: op.nat,
    protocol: op.protocol,
    externalPort: op.externalPort,
    internalAddress: op.internalAddress,
    internalPort: op.internalPort,
  });
}

export function removeNatMapping(ctx: OpContext, op: Op<'removeNatMapping'>): void {
  const host = hostOf(ctx);
  const index = host.natMappings.findIndex(
    (m) => m.nat === op.nat && m.protocol === op.protocol && m.externalPort === op.externalPort,
  );
  if (index < 0) {
    throw refusal(ctx.site, {
      cmdlet: 'Remove-NetNatStaticMapping',
      message: `No MSFT_NetNatStaticMapping objects found with property 'ExternalPort' equal to '${op.externalPort}'.  Verify the value of the property and retry.`,
      category: 'ObjectNotFound',
      errorId: 'CmdletizationQuery_NotFound_ExternalPort,Remove-NetNatStaticMapping',
      target: `${op.protocol}/${op.externalPort}`,
      exceptionType: 'Microsoft.Management.Infrastructure.CimException',
    });
  }
  host.natMappings.splice(index, 1);
}
