import type { GuestOperation, GuestProbeResult } from '../../../model/guest-operation.js';
import type { GuestProbeOutcome } from '../../../model/guest-probes.js';
import type { GuestProbeBatch } from '../../provider.js';
import { InternalError } from '../../../errors.js';
import { probeArguments } from './guest-arguments.js';
import { linuxProbeTest } from './linux-guest.js';

/** How many PowerShell Direct sessions a host opens at once for plan-time probes (Invoke-Command's own -ThrottleLimit default). */
export const PROBE_THROTTLE_LIMIT = 32;

/**
 * The one bash script that runs every probe of a Linux guest in one ssh call: each test travels
 * base64-encoded (no quoting of user text into the script) and runs in its own bash; one line
 * `labform-probe <index> <exit code> <last output line>` per probe, which the host reads back
 * (Read-LabformLinuxProbeAnswer, which trims a trailing carriage return). A test is done when it
 * exits 0 and its last line is `true`.
 */
export function linuxProbeScript(operations: GuestOperation[]): string {
  const lines = operations.map((op, i) => {
    const test = linuxProbeTest(op);
    if (test === undefined) return `printf 'labform-probe %s 1 %s\\n' ${i} 'not a bash script'`;
    const encoded = Buffer.from(test, 'utf8').toString('base64');
    return `labform_out=$(printf '%s' '${encoded}' | base64 -d | bash 2>/dev/null); labform_rc=$?; printf 'labform-probe %s %s %s\\n' ${i} "$labform_rc" "$(printf '%s\\n' "$labform_out" | tail -n 1)"`;
  });
  // Windows PowerShell 5.1 pipes text to a native command with CRLF line ends: each line ends in
  // a comment, so a carriage return bash would read as part of a command falls inside it.
  return `${lines.map((l) => `${l} #`).join('\n')}\n`;
}

/** The parameters of Get-LabformHostStateWithProbes for a batch (credentials sent once each, as PSCredentials). */
export function probeBatchParameters(batch: GuestProbeBatch): Record<string, unknown> {
  return {
    Lab: batch.lab,
    Requests: batch.requests.map((r) => ({
      vm: r.vm,
      os: r.os,
      credentials: [...r.credentials],
      probes: r.operations.map((op) => ({ operation: op.op, arguments: probeArguments(op) })),
      ...(r.os === 'linux' ? { script: linuxProbeScript(r.operations) } : {}),
    })),
    Credentials: { ...batch.credentials },
    TimeoutSeconds: Math.max(1, Math.ceil(batch.timeoutMs / 1000)),
    ThrottleLimit: PROBE_THROTTLE_LIMIT,
  };
}

/**
 * How long the whole request may take besides discovery: the host opens at most
 * PROBE_THROTTLE_LIMIT sessions at once, and a guest's session may last the timeout once per
 * credential it is asked with.
 */
export function probeBatchBudgetMs(batch: GuestProbeBatch): number {
  const rounds = Math.max(1, ...batch.requests.map((r) => r.credentials.length));
  const waves = Math.ceil(batch.requests.length / PROBE_THROTTLE_LIMIT);
  return rounds * waves * batch.timeoutMs + 30_000;
}

interface RawOutcome {
  vm?: unknown;
  status?: unknown;
  credential?: unknown;
  reason?: unknown;
  results?: { done?: unknown; detail?: unknown; replace?: unknown }[] | null;
}

/** The host's answers, checked: one result per requested probe, for VMs that were asked. */
export function probeOutcomesFromJson(batch: GuestProbeBatch, raw: unknown): GuestProbeOutcome[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new InternalError(`guest probes answered ${typeof raw}, not a list`);
  const asked = new Map(batch.requests.map((r) => [r.vm.toLowerCase(), r]));
  return (raw as RawOutcome[]).map((o) => {
    const request = asked.get(String(o.vm ?? '').toLowerCase());
    if (!request) throw new InternalError(`guest probes answered for ${String(o.vm)}, which was not asked`);
    if (o.status !== 'answered')
      return { vm: request.vm, status: 'unknown', reason: String(o.reason ?? 'no reason given') };
    const results = o.results ?? [];
    if (results.length !== request.operations.length) {
      throw new InternalError(
        `probes of ${request.vm} answered ${results.length} results for ${request.operations.length} probes`,
      );
    }
    const mapped: GuestProbeResult[] = results.map((r) => ({
      done: Boolean(r.done),
      ...(r.detail ? { detail: String(r.detail) } : {}),
      // A guest that cannot become what the manifest says in place (the plan replaces the VM).
      ...(r.replace ? { replace: String(r.replace) } : {}),
    }));
    return {
      vm: request.vm,
      status: 'answered',
      credential: String(o.credential ?? request.credentials[0]),
      results: mapped,
    };
  });
}
