/**
 * A Linux guest's cloud-init seed against what the host holds: the seed the plan wants (its
 * content with the host account's SSH key, read at discovery) and the instance-id the seed disk's
 * record says it holds. Another instance-id means the seed is written again, with the VM off:
 * cloud-init reads its NoCloud seed at boot and applies a seed whose instance-id is new (host
 * name, users and keys, network) at that boot (docs.cloud-init.io, explanation/instancedata,
 * "first boot"), so the VM restarts for it.
 */
import type { DesiredVm } from '../desired/desired-resource.js';
import type { HostState } from '../model/live-state.js';
import type { PropertyDiff } from '../model/change.js';
import { cloudInitSeed, type CloudInitSeed } from '../model/cloud-init-seed.js';
import { CLOUD_INIT_DIFF_PATH } from '../model/diff-path.js';
import { samePath } from '../model/windows-path.js';

/** The seed `desired` wants on `host`; undefined without a seed or while the host's key is unknown. */
export function desiredSeed(desired: DesiredVm, host: HostState | undefined): CloudInitSeed | undefined {
  const key = host?.sshPublicKey;
  if (!desired.cloudInit || !key) return undefined;
  return cloudInitSeed({ ...desired.cloudInit.seed, sshAuthorizedKeys: [key] });
}

/** The instance-id the seed disk holds on `host` (null: none complete). */
export function liveSeedInstanceId(desired: DesiredVm, host: HostState | undefined): string | null {
  if (!desired.cloudInit) return null;
  const path = desired.cloudInit.disk.path;
  return host?.cloudInitSeeds?.find((s) => samePath(s.path, path))?.instanceId ?? null;
}

/** `cloudInit.instanceId` when the seed must be (re)written; it takes effect at the VM's next boot. */
export function diffCloudInit(desired: DesiredVm, host: HostState | undefined): PropertyDiff[] {
  const seed = desiredSeed(desired, host);
  if (!seed) return [];
  const live = liveSeedInstanceId(desired, host);
  if (live === seed.instanceId) return [];
  return [{ path: CLOUD_INIT_DIFF_PATH, before: live, after: seed.instanceId, requiresStop: true }];
}
