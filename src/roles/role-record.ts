/**
 * What labform records in a guest about the roles it applied (docs/roles.md, "What labform
 * records in a guest"). A role leaves no trace labform could tell apart from what an
 * administrator did by hand (a share, a feature, what a script did), so the last task of every
 * role writes a record (%ProgramData%\labform\roles in a Windows guest, /var/lib/labform/roles
 * in a Linux one): the role's address and, per task, the operation's identity (a share's name,
 * path and Full access, a scope's range, the features, a script's text). The plan reads the
 * records back with the guest probes; a record whose role the manifest no longer has is a
 * removed role (undone as far as Windows allows), a record that differs is a changed role (a
 * dropped share is removed, a moved one made again, a script's old and new text are shown).
 */
import type { GuestOperation } from '../model/guest-operation.js';
import type { GuestTask } from './guest-task.js';

/** One task as the record keeps it: its key and the identity of its operation. */
export interface RecordedTask {
  key: string;
  operation: RecordedOperation;
}

/** The fields of an operation that say what it made (never a credential, never a secret). */
export type RecordedOperation = { op: GuestOperation['op'] } & Record<string, unknown>;

export interface RoleRecord {
  /** `role.web1.fileServer`, `role.srv1.script.2`. */
  address: string;
  tasks: RecordedTask[];
}

/** The identity of an operation: only what tells what it made, so a record changes when the role does. */
export function recordedOperation(op: GuestOperation): RecordedOperation {
  switch (op.op) {
    // fullAccess only when listed: records of shares without it read as before it was kept.
    case 'createShare':
      return {
        op: op.op,
        name: op.name,
        path: op.path,
        ...(op.fullAccess.length > 0 ? { fullAccess: [...op.fullAccess] } : {}),
      };
    case 'addDhcpScope':
      return { op: op.op, name: op.name, start: op.start, end: op.end, prefixLength: op.prefixLength };
    case 'installFeatures':
      return { op: op.op, features: [...op.features] };
    case 'runScript':
      return { op: op.op, id: op.id, shell: op.shell, run: op.run };
    case 'joinDomain':
    case 'offlineDomainJoin':
      return { op: op.op, domain: op.domain, ...(op.ou ? { ou: op.ou } : {}) };
    default:
      return { op: op.op };
  }
}

/** The record of one role from its tasks on one VM (record tasks excluded), as JSON text. */
export function roleRecordText(address: string, tasks: readonly GuestTask[]): string {
  const record: RoleRecord = {
    address,
    tasks: tasks
      .filter((t) => t.operation.op !== 'recordRole')
      .map((t) => ({ key: t.key, operation: recordedOperation(t.operation) })),
  };
  return JSON.stringify(record);
}

/** The key step of a role's record task: `fileServer/record`. */
export const RECORD_STEP = 'record';

/**
 * A record task per role address among a VM's own tasks, in the order the roles came, each
 * reached with `credential`: the one the guest answers to once its roles are done.
 */
export function recordTasks(own: readonly GuestTask[], credential: string): GuestTask[] {
  const byAddress = new Map<string, GuestTask[]>();
  for (const t of own) {
    if (!t.address.startsWith('role.')) continue;
    const list = byAddress.get(t.address);
    if (list) list.push(t);
    else byAddress.set(t.address, [t]);
  }
  const out: GuestTask[] = [];
  for (const [address, tasks] of byAddress) {
    const first = tasks[0]!;
    const prefix = first.key.slice(0, first.key.indexOf('/'));
    out.push({
      key: `${prefix}/${RECORD_STEP}`,
      address,
      vm: first.vm,
      host: first.host,
      os: first.os,
      title: `record role ${address.split('.').slice(2).join('.')} in ${first.vm}'s guest`,
      operation: { op: 'recordRole', address, record: roleRecordText(address, tasks) },
      credential,
      after: [],
      estimateS: 2,
    });
  }
  return out;
}

/**
 * The records a `readRoles` probe answered with (a JSON array of record texts), in address order
 * (a guest lists its files in whatever order its file system gives: `find` on Linux); malformed
 * ones are skipped.
 */
export function parseRoleRecords(detail: string | undefined): RoleRecord[] {
  if (!detail) return [];
  let texts: unknown;
  try {
    texts = JSON.parse(detail);
  } catch {
    return [];
  }
  // Windows PowerShell 5.1 may wrap an array as {"value": [...], "Count": n} (an ETS property on
  // System.Array) or give a one-element array's bare string.
  const unwrapped =
    texts && typeof texts === 'object' && !Array.isArray(texts) && 'value' in texts
      ? (texts as { value: unknown }).value
      : texts;
  const list = Array.isArray(unwrapped) ? unwrapped : [unwrapped];
  const out: RoleRecord[] = [];
  for (const text of list) {
    if (typeof text !== 'string') continue;
    try {
      const record = JSON.parse(text) as RoleRecord;
      if (typeof record.address === 'string' && Array.isArray(record.tasks)) out.push(record);
    } catch {
      continue;
    }
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
