/**
 * A Linux guest's cloud-init seed against what the host holds: the seed the plan wants (its
 * content with the host account's SSH key, read at discovery) and the instance-id the seed disk's
 * record says it holds. Another instance-id means the seed is written again, with the VM off:
 * cloud-init reads its NoCloud seed at boot and applies a seed whose instance-id is new (host
 * name, users and keys, network) at that boot (docs.cloud-init.io, explanation/instancedata,
 * "first boot"), so the VM restarts for it.
 */
import type { DesiredVm } from '../desired/desired-resource.js';
import type { HostState, LiveCloudInitSeed } from '../model/live-state.js';
import type { PropertyDiff } from '../model/change.js';
import { cloudInitSeed, type CloudInitSeed, type CloudInitSeedSummary } from '../model/cloud-init-seed.js';
import { CLOUD_INIT_DIFF_PATH, CLOUD_INIT_PREFIX } from '../model/diff-path.js';
import { samePath } from '../model/windows-path.js';

/** The seed `desired` wants on `host`; undefined without a seed or while the host's key is unknown. */
export function desiredSeed(desired: DesiredVm, host: HostState | undefined): CloudInitSeed | undefined {
  const key = host?.sshPublicKey;
  if (!desired.cloudInit || !key) return undefined;
  return cloudInitSeed({ ...desired.cloudInit.seed, sshAuthorizedKeys: [key] });
}

function liveSeed(desired: DesiredVm, host: HostState | undefined): LiveCloudInitSeed | undefined {
  if (!desired.cloudInit) return undefined;
  const path = desired.cloudInit.disk.path;
  return host?.cloudInitSeeds?.find((s) => samePath(s.path, path));
}

/** The instance-id the seed disk holds on `host` (null: none complete). */
export function liveSeedInstanceId(desired: DesiredVm, host: HostState | undefined): string | null {
  return liveSeed(desired, host)?.instanceId ?? null;
}

/**
 * What the seed configures that changed, one line each (`cloudInit.hostname`, `cloudInit.user`,
 * `cloudInit.network[<mac>]`, `cloudInit.sshAuthorizedKeys`), from the summary the seed's record
 * keeps: the plan says what cloud-init will apply, not only that the instance-id is new.
 */
function summaryDiffs(before: CloudInitSeedSummary, after: CloudInitSeedSummary): PropertyDiff[] {
  const out: PropertyDiff[] = [];
  const line = (field: string, b: string | null, a: string | null) => {
    if (b !== a) out.push({ path: `${CLOUD_INIT_PREFIX}${field}`, before: b, after: a, requiresStop: true });
  };
  line('hostname', before.hostname, after.hostname);
  line('user', before.user, after.user);
  const macs = [...new Set([...Object.keys(before.network), ...Object.keys(after.network)])];
  for (const mac of macs) line(`network[${mac}]`, before.network[mac] ?? null, after.network[mac] ?? null);
  const keys = (k: string[]) => (k.length > 0 ? k.join('; ') : null);
  line('sshAuthorizedKeys', keys(before.sshAuthorizedKeys), keys(after.sshAuthorizedKeys));
  return out;
}

/**
 * `cloudInit.instanceId` when the seed must be (re)written (it takes effect at the VM's next
 * boot), after the lines of what changed in it when its record says what it held.
 */
export function diffCloudInit(desired: DesiredVm, host: HostState | undefined): PropertyDiff[] {
  const seed = desiredSeed(desired, host);
  if (!seed) return [];
  const live = liveSeed(desired, host);
  const instanceId = live?.instanceId ?? null;
  if (instanceId === seed.instanceId) return [];
  return [
    ...(instanceId !== null && live?.summary ? summaryDiffs(live.summary, seed.summary) : []),
    { path: CLOUD_INIT_DIFF_PATH, before: instanceId, after: seed.instanceId, requiresStop: true },
  ];
}
