/**
 * Every rule id a manifest diagnostic can carry, with what it means: the stable contract for
 * users, docs and acceptance checks. Warnings are marked; everything else is an error. Rules
 * that need the hosts' live state are marked `planTime`: `plan` and `apply` report them
 * (src/diff/plan-time-rules.ts), `validate` cannot. Every rule has a fixture
 * (test/fixtures/manifest/rules, plan-time/; test/manifest/rules.test.ts).
 */
export const RULE_CATALOG: Readonly<Record<string, { summary: string; warning?: true; planTime?: true }>> = {
  // Reading and parsing
  'file-unreadable': { summary: 'the file is missing, a directory or not readable' },
  'file-too-large': { summary: 'the file is larger than 5 MB' },
  'file-encoding': { summary: 'the file is binary (NUL bytes), UTF-16 or not valid UTF-8' },
  'yaml-syntax': { summary: 'YAML syntax error (also several documents in one file)' },
  'yaml-duplicate-key': { summary: 'the same key twice in one map' },
  'yaml-alias-limit': { summary: 'too many alias expansions (alias bomb)' },
  'yaml-too-deep': { summary: 'nesting deeper than 128 levels, refused before parsing' },
  'yaml-unknown-tag': { summary: 'a YAML tag (!Ref, !!binary ...): manifests are plain data' },
  'number-precision': { summary: 'a number beyond 2^53 (or infinite) that cannot be taken exactly' },
  'duration-range': { summary: 'a timeout of zero or above 500h' },
  'empty-file': { summary: 'the file holds no document' },
  'top-level-not-map': { summary: 'the top level is a list or a scalar' },
  'api-version': { summary: 'apiVersion is not labform/v1' },
  kind: { summary: 'kind is not Lab' },
  'internal-error': { summary: 'a bug in labform stopped the checks; the manifest is not accepted' },
  // JSON Schema
  'unknown-key': { summary: 'a key the format does not have (with did-you-mean)' },
  required: { summary: 'a required key is missing' },
  'unknown-role': { summary: 'a role name that does not exist (with did-you-mean)' },
  'role-shape': { summary: 'a role entry that is not a map with exactly one key' },
  schema: { summary: 'a value of the wrong type, pattern, range or enum' },
  // Names and references
  'reference-unknown': { summary: 'a reference to a name that does not exist (with the closest name)' },
  'name-duplicate': { summary: 'the same name twice within a kind, VMs after count expansion' },
  'count-placeholder': { summary: 'count > 1 without {n} in the name (or computerName), or stray braces' },
  'host-credential': {
    summary:
      'a host credential on a connection other than winrm://, or a winrm:// user without a credential for the password',
  },
  'cluster-node': { summary: 'a cluster VM pinned to a host that is not a node of the cluster' },
  'vm-placement': { summary: 'a VM with neither host nor cluster in a lab with several hosts' },
  // Networks and addresses
  'nat-single-per-host': { summary: 'more than one nat network on a host (WinNAT allows one)' },
  'nat-single-host': { summary: 'a nat network on more or fewer than one host' },
  'network-prefix-required': { summary: 'a nat network without prefix' },
  'prefix-overlap': { summary: 'a NAT prefix overlapping another network prefix on the same host' },
  'network-type-field': {
    summary:
      'a setting the network type does not take (gateway/portMappings off nat, hostAddress off internal, adapter off external, reserve without prefix, host with hosts)',
  },
  'external-adapter': { summary: 'an external network without adapter' },
  'network-host': { summary: 'a VM attached to a network that does not exist on its host' },
  'address-outside-prefix': {
    summary: 'a gateway, host, static, cluster or DHCP scope address outside the network prefix',
  },
  'address-network-or-broadcast': { summary: 'an address equal to the network or broadcast address' },
  'address-reserved': { summary: 'a gateway, host or static address inside reserve' },
  'address-duplicate': { summary: 'the same address used twice on a network' },
  'address-prefix-length': { summary: 'a static address whose /length differs from the network prefix' },
  'address-no-prefix': { summary: 'ip: auto, or an address without /length, on a network without prefix' },
  'address-pool-exhausted': { summary: 'no free address left for ip: auto' },
  'address-in-dhcp-scope': { summary: 'a static address inside a DHCP scope', warning: true },
  'reserve-outside-prefix': { summary: 'a reserve range outside the network prefix', warning: true },
  'port-mapping-duplicate': {
    summary: 'two port mappings with the same protocol and external port on one host',
  },
  'port-mapping-no-address': {
    summary: 'a port mapping to a VM without a static or automatic address on that network',
  },
  'dhcp-no-server': {
    summary: 'ip: dhcp on a non-external network without a dhcpServer scope',
    warning: true,
  },
  'dhcp-scope-range': { summary: 'a DHCP scope that ends before it starts' },
  'dhcp-scope-network': { summary: 'a DHCP scope on a network the server VM has no adapter on' },
  // Disks
  'shared-disk-format': { summary: 'a shared disk that is not .vhdx/.vhds, or a VHD Set that is not shared' },
  'shared-disk-location': { summary: 'a shared disk neither on a cluster shared volume nor an SMB share' },
  'shared-disk-cluster': {
    summary:
      'a disk on a cluster shared volume used by a VM whose host is no node of a declared cluster with that volume',
  },
  'shared-disk-users': { summary: 'a shared disk attached to fewer than two VMs' },
  'disk-format': { summary: 'a disk path extension that does not match its format' },
  'disk-size': {
    summary:
      'a disk size of 0, below 3MB, not a multiple of 512 bytes, or above 64TB (VHDX, VHD Set) / 2040GB (VHD)',
  },
  'disk-attached-twice': { summary: 'a non-shared disk attached to more than one VM' },
  // VMs
  'generation-secure-boot': { summary: 'secure boot settings on a generation 1 VM' },
  'generation-tpm': { summary: 'a virtual TPM on a generation 1 VM' },
  'secure-boot-template': {
    summary: 'a template with secure boot off (error), or the Windows template for Linux (warning)',
  },
  'image-generation': { summary: 'a VM generation other than its image was made for' },
  'image-os': { summary: 'a VM os other than its image' },
  'image-from-linux': { summary: 'an image built from an ISO (from) whose os is not windows' },
  'cloud-init-windows': {
    summary: 'cloudInit: true on an image whose os is windows (cloud-init seeds Linux guests)',
  },
  'image-from-duplicate': { summary: 'two images built from an ISO to the same path' },
  'nested-dynamic-memory': { summary: 'nestedVirtualization or the hyperV role with dynamic memory' },
  'hyperv-role-nested': { summary: 'the hyperV role without nestedVirtualization' },
  'memory-dynamic-range': { summary: 'dynamic memory without minimum <= startup <= maximum' },
  'memory-static-range': { summary: 'minimum/maximum given for static memory' },
  'memory-alignment': { summary: 'memory that is not a multiple of 2MB' },
  'memory-limit': {
    summary:
      'memory (startup, or a dynamic minimum) below the 32MB Hyper-V minimum, or any memory value above the per-VM maximum (12TB generation 2, 1TB generation 1)',
  },
  'processors-limit': {
    summary: 'more processors than the generation takes (64 on generation 1, 240 on generation 2)',
  },
  'mmio-low-limit': { summary: 'mmio.low above 3.5GB' },
  'assign-devices-dynamic-memory': { summary: 'device assignment with dynamic memory' },
  'assign-devices-stop-action': { summary: 'device assignment without automaticStopAction: turnOff' },
  'assign-devices-duplicate': { summary: 'one device assigned to two VMs' },
  'dvd-slots': { summary: 'more DVD drives than free controller slots (generation 1: IDE only)' },
  'files-guest-path': { summary: "a files: target that is not an absolute path of the guest's OS" },
  'files-target-overlap': { summary: 'two files: targets of one VM on or inside each other' },
  'adapter-limit': { summary: 'more than 8 network adapters' },
  'mac-invalid': { summary: 'a multicast or all-zero MAC' },
  'mac-duplicate': { summary: 'the same MAC on two adapters (count copies included)' },
  'netbios-name': { summary: 'a Windows computer name that is not a valid NetBIOS name' },
  'computer-name-duplicate': { summary: 'two Windows guests with the same computer name' },
  'no-image-guest-config': { summary: 'roles, or a static/auto address, on a VM without image' },
  'credential-missing': {
    summary: 'a Windows VM with an image (or a Linux VM with scripts) without credential',
  },
  // Roles and domains
  'literal-password': {
    summary: 'a literal password (credentials, or safeModePassword not naming a credential)',
  },
  'linux-role': { summary: 'a role other than script with shell: bash on a Linux VM' },
  'script-shell': { summary: 'a bash script on a Windows VM' },
  'role-duplicate': { summary: 'the same role (other than script) twice on a VM' },
  'role-conflict': {
    summary:
      'roles that exclude each other on one VM (DC and member, HGS and domain roles, HGS and guarded host)',
  },
  'domain-no-controller': { summary: 'a domainMember whose domain has no domainController in the lab' },
  'dc-address': { summary: 'a domain controller without a static or automatic address', warning: true },
  'domain-unreachable': { summary: 'a member sharing no network with its domain controllers', warning: true },
  'netbios-duplicate': { summary: 'two domains with one NetBIOS name, or one domain with two' },
  'hgs-domain-conflict': {
    summary: 'an HGS domain equal to another lab domain, or an extra HGS node with a different domain',
  },
  'guarded-host-no-hgs': {
    summary: 'a guardedHost (or HGS join) pointing at a VM without hostGuardianService',
  },
  'role-cycle': { summary: 'roles waiting for each other in a cycle' },
  'guest-cluster-node': { summary: 'a guest cluster node that is not a Windows VM with an image' },
  'guest-cluster-disk': { summary: 'a guest cluster disk that is not shared or not attached to every node' },
  // Against the hosts' live state, at plan time
  'nat-prefix-host-address': {
    summary: 'a NAT prefix overlapping an address the host already has off an internal switch',
    planTime: true,
  },
  'nat-foreign': {
    summary: "a NAT on the host that is not this lab's (WinNAT allows one per host)",
    planTime: true,
  },
  'host-memory': {
    summary: 'the VMs to start on a host need more startup memory than it has free',
    warning: true,
    planTime: true,
  },
  'host-memory-total': {
    summary: 'a VM whose startup memory is more than its host has in all',
    planTime: true,
  },
  'host-processors': {
    summary: 'a VM with more virtual processors than its host has logical processors',
    planTime: true,
  },
  'host-ssh-key-missing': {
    summary: 'the host account has no SSH key for the cloud-init seed of a Linux VM (ssh-keygen makes one)',
    planTime: true,
  },
  'dvd-iso-missing': { summary: 'an ISO a VM mounts does not exist on its host', planTime: true },
  'image-missing': { summary: 'an image a VM is made from does not exist on its host', planTime: true },
  'files-source-missing': {
    summary: "a files: source (a folder or a file) that does not exist on the VM's host",
    planTime: true,
  },
  'image-iso-missing': {
    summary: 'the ISO an image is built from does not exist on the host',
    planTime: true,
  },
  'image-edition-missing': {
    summary: 'the ISO an image is built from has no such edition (the message lists the ones it has)',
    planTime: true,
  },
  'image-update-missing': {
    summary: 'an update package an image is built with does not exist on the host',
    planTime: true,
  },
  'image-in-use': {
    summary: 'an image must be built again while differencing disks depend on it',
    planTime: true,
  },
  'external-adapter-missing': {
    summary: "an external network's physical adapter that its host does not have (Get-NetAdapter -Physical)",
    planTime: true,
  },
  'external-adapter-bound': {
    summary: "an external network's adapter already bound to another switch on its host",
    planTime: true,
  },
  'assign-device-missing': { summary: 'a device to assign that its host does not have', planTime: true },
  'assign-device-taken': {
    summary: "a device to assign held by a VM that is not this lab's",
    planTime: true,
  },
  'host-cluster-missing': {
    summary:
      'a clustered VM on a host that is not a node of its cluster, or a cluster without its shared volume',
    planTime: true,
  },
};
