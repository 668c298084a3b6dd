import type { Lab } from '../manifest/lab.js';
import type { HostState } from '../model/live-state.js';
import { discoveryScope, labHosts } from './discover-lab.js';

/**
 * The lab's hosts as they are before labform touches them: the images present, nothing else.
 * For showing the whole build (graph) when the real hosts cannot be reached.
 */
export function untouchedHosts(lab: Lab): Map<string, HostState> {
  return new Map(
    labHosts(lab).map((host) => {
      const images = new Set(lab.images.map((i) => i.path.toLowerCase()));
      const files = discoveryScope({ lab, host }).files.map((path) => ({
        path,
        exists: images.has(path.toLowerCase()),
      }));
      const state: HostState = {
        host,
        computerName: host.toUpperCase().slice(0, 15),
        vms: [],
        switches: [],
        nats: [],
        natMappings: [],
        hostAddresses: [],
        vhds: [],
        files,
        assignableDevices: [],
        freeMemory: Number.MAX_SAFE_INTEGER,
        totalMemory: Number.MAX_SAFE_INTEGER,
        cluster: null,
      };
      return [host, state];
    }),
  );
}
