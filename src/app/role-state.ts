import type { DesiredVm } from '../desired/desired-resource.js';
import type { RoleState } from '../diff/diff-roles.js';
import type { HostState } from '../model/live-state.js';
import type { Provider } from '../providers/provider.js';
import type { GuestTask } from '../roles/guest-task.js';
import type { CredentialResolver } from '../secrets/secret.js';
import type { Logger } from '../log/logger.js';
import { UserError } from '../errors.js';

export interface RoleProbeResult {
  /** Per role / guest cluster address. */
  state: Map<string, RoleState>;
  /** Guest tasks found done: `<vm>|<key>`. */
  doneTasks: Set<string>;
  /** Guest tasks probed and found not done, with what the probe saw: `<vm>|<key>` -> detail. */
  pendingTasks: Map<string, string | undefined>;
  /** VMs whose guest cannot reach the manifest's state in place (a DC of another domain ...): VM name -> why. */
  replaceVms: Map<string, string>;
}

/** Plan-time probes must not hold a plan up: a guest that does not answer soon counts as unreachable. */
export const PROBE_TIMEOUT_MS = 20_000;

async function withTimeout<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new Error('probe timed out'));
      reject(new Error('probe timed out'));
    }, ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run the probes of every guest task of running, reachable VMs, one batch per VM, all VMs at
 * once. Anything unreachable, failing or slow stays `unknown` (shown as "will run").
 */
export async function probeRoleState(options: {
  vms: DesiredVm[];
  tasks: GuestTask[];
  live: Map<string, HostState>;
  provider: Provider;
  credentials: CredentialResolver;
  logger: Logger;
  timeoutMs?: number;
}): Promise<RoleProbeResult> {
  const state = new Map<string, RoleState>();
  const doneTasks = new Set<string>();
  const pendingTasks = new Map<string, string | undefined>();
  const replaceVms = new Map<string, string>();
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  await Promise.all(
    options.vms.map(async (vm) => {
      const tasks = options.tasks.filter((t) => t.vm === vm.name);
      const named = (h: HostState | undefined) => h?.vms.find((v) => v.name.toLowerCase() === vm.name.toLowerCase());
      // A clustered VM may run on another node than the one the manifest names.
      const liveVm = named(options.live.get(vm.host)) ?? [...options.live.values()].map(named).find(Boolean);
      if (tasks.length === 0 || !vm.credential || liveVm?.state !== 'Running') return;
      try {
        const context = { address: vm.address, credentials: options.credentials };
        // The guest's final credential (e.g. the domain administrator on a DC) first, then the VM's own.
        const lastTask = tasks[tasks.length - 1]!;
        const candidates = [...new Set([lastTask.rebootCredential ?? lastTask.credential, vm.credential, ...tasks.flatMap((t) => (t.alternateCredential ? [t.alternateCredential] : []))])];
        // One round trip per VM: the probe batch itself tells whether the guest answers with that credential.
        let results: Awaited<ReturnType<Provider['probeGuest']>> | undefined;
        for (const name of candidates) {
          const target = { host: vm.host, vm: vm.name, os: vm.os, credential: options.credentials.get(name) };
          try {
            results = await withTimeout(timeoutMs, (signal) => options.provider.probeGuest(target, tasks.map((t) => t.operation), { ...context, signal }));
            break;
          } catch (error) {
            if (error instanceof UserError) throw error;
            options.logger.debug({ vm: vm.name, credential: name, err: error instanceof Error ? error.message : String(error) }, 'plan-time probe: guest did not answer');
          }
        }
        if (!results) return;
        tasks.forEach((t, i) => {
          if (results[i]?.done) doneTasks.add(`${t.vm}|${t.key}`);
          else if (results[i]) pendingTasks.set(`${t.vm}|${t.key}`, results[i]!.detail);
          if (results[i]?.replace && !replaceVms.has(t.vm)) replaceVms.set(t.vm, results[i]!.replace!);
        });
      } catch (error) {
        // A missing secret is the user's to fix, not an unreachable guest.
        if (error instanceof UserError) throw error;
        options.logger.debug({ vm: vm.name, err: error instanceof Error ? error.message : String(error) }, 'plan-time probe skipped');
        return;
      }
      const addresses = [...new Set(tasks.map((t) => t.address))];
      for (const address of addresses) {
        const mine = tasks.filter((t) => t.address === address);
        state.set(address, mine.every((t) => doneTasks.has(`${t.vm}|${t.key}`)) ? 'done' : 'pending');
      }
    }),
  );
  return { state, doneTasks, pendingTasks, replaceVms };
}
