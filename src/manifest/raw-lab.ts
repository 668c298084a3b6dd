import type { SimpleVmSettingsByManifestKey } from '../model/vm-settings.js';
/**
 * The manifest as written, once the JSON Schema has accepted it: the shape is guaranteed,
 * nothing is expanded or defaulted yet. Only the pipeline (expand, rules) sees it.
 */
export type RawSize = string | number;

export interface RawLab {
  apiVersion: 'labform/v1';
  kind: 'Lab';
  name: string;
  description?: string;
  settings?: {
    storagePath?: string;
    parallelism?: number;
    perHostParallelism?: number;
    timeouts?: { heartbeat?: string; powershellDirect?: string; adReady?: string; step?: string };
    timeZone?: string;
    domainJoin?: 'auto' | 'online' | 'offline';
    featureInstall?: 'auto' | 'online' | 'offline';
  };
  hosts: {
    name: string;
    connect?: string;
    shell?: 'powershell' | 'pwsh';
    storagePath?: string;
    credential?: string;
  }[];
  clusters?: { name: string; nodes: string[]; sharedVolume: string }[];
  images?: {
    name: string;
    path: string;
    os?: 'windows' | 'linux';
    generation?: 1 | 2;
    cloudInit?: boolean;
    from?: { iso: string; edition: string | number; size?: RawSize; updates?: string[] };
  }[];
  credentials?: {
    name: string;
    username: string;
    password: { fromEnv: string } | { fromFile: string } | string;
  }[];
  networks?: RawNetwork[];
  disks?: {
    name: string;
    path: string;
    size: RawSize;
    format?: 'vhdx' | 'vhds';
    type?: 'dynamic' | 'fixed';
    shared?: boolean;
  }[];
  vms: RawVm[];
  guestClusters?: {
    name: string;
    nodes: string[];
    address: string;
    witness?: { disk: string } | { share: string };
    sharedVolumes?: string[];
  }[];
}

export interface RawNetwork {
  name: string;
  type: 'nat' | 'internal' | 'private' | 'external';
  host?: string;
  hosts?: string[];
  prefix?: string;
  gateway?: string;
  hostAddress?: string;
  dns?: string[];
  reserve?: string[];
  vlan?: number;
  portMappings?: { protocol: 'tcp' | 'udp'; externalPort: number; vm: string; internalPort: number }[];
  adapter?: string;
  allowManagementOS?: boolean;
}

export type RawMemory =
  RawSize | { startup: RawSize; dynamic?: boolean; minimum?: RawSize; maximum?: RawSize };

export interface RawVm extends Partial<SimpleVmSettingsByManifestKey> {
  name: string;
  host?: string;
  cluster?: string;
  count?: number;
  computerName?: string;
  image?: string;
  os?: 'windows' | 'linux';
  generation?: 1 | 2;
  processors?: number;
  memory?: RawMemory;
  credential?: string;
  disks?: ({ size: RawSize } | { disk: string })[];
  network?: { network: string; ip?: string; mac?: string; macAddressSpoofing?: boolean }[];
  firmware?: {
    secureBoot?: boolean;
    secureBootTemplate?: 'MicrosoftWindows' | 'MicrosoftUEFICertificateAuthority';
  };
  tpm?: boolean;
  nestedVirtualization?: boolean;
  mmio?: { low: RawSize; high: RawSize };
  assignDevices?: { locationPath: string }[];
  dvd?: string[];
  files?: { from: string; to: string }[];
  roles?: Record<string, unknown>[];
}
