/**
 * PURE: the roles a guest records (src/roles/role-record.ts) against the roles the manifest
 * has now. A recorded role the manifest dropped is `- role.VM.KIND`: what Windows lets labform
 * undo is undone (shares, DHCP scopes, the features no remaining role needs), what it cannot
 * (a forest, a domain join, HGS, an iSCSI target's disks) is said as a `role-not-undone`
 * diagnostic, and the record is forgotten. A recorded role that differs is `~`: a share or
 * scope it no longer lists is removed, a share's new path or Full access and a share it adds are
 * shown (src/diff/share-changes.ts), a script's old and new text are shown, a member's
 * computer object shows the OU it is in and the one it moves to.
 */
import type { Lab } from '../manifest/lab.js';
import type { Change, PropertyDiff } from '../model/change.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { GuestOperation } from '../model/guest-operation.js';
import type { GuestTask } from '../roles/guest-task.js';
import type { RecordedTask, RoleRecord } from '../roles/role-record.js';
import type { PlannedChange } from './planned-change.js';
import { canonicalPrefix } from '../model/ipv4.js';
import { recordedShareChange, shareText } from './share-changes.js';

export interface RoleRecordsInput {
  lab: Lab;
  /** The lab's guest tasks (record tasks included), in order. */
  tasks: GuestTask[];
  /** The records each probed guest holds, by VM name. */
  records: Map<string, RoleRecord[]>;
  /** `<vm>|<key>` of tasks the probes found done (tasks left out here are added to it). */
  doneTasks: Set<string>;
  /** `<vm>|<key>` of tasks the probes found not done, with what the probe saw. */
  pendingTasks: Map<string, string | undefined>;
  /** The role changes of diffRoles, revised in place. */
  roleChanges: PlannedChange[];
}

export interface RoleRecordsResult {
  /** `- role...` changes of the roles the manifest no longer has. */
  removed: PlannedChange[];
  /** The tasks with the undo tasks placed before each VM's record tasks. */
  tasks: GuestTask[];
  diagnostics: Diagnostic[];
}

type Undo = { operation: GuestOperation; title: string } | { kept: string } | 'nothing';

const ref = (t: { vm: string; key: string }) => `${t.vm}|${t.key}`;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** What undoing one recorded task takes; features still wanted by the VM's other tasks stay. */
function undoOf(task: RecordedTask, vm: string, wantedFeatures: Set<string>): Undo {
  const op = task.operation;
  switch (op.op) {
    case 'createShare':
      return {
        operation: { op: 'removeShare', name: str(op.name) },
        title: `remove share ${str(op.name)} from ${vm} (${str(op.path)} and its files stay)`,
      };
    case 'addDhcpScope':
      return {
        operation: {
          op: 'removeDhcpScope',
          name: str(op.name),
          start: str(op.start),
          prefixLength: Number(op.prefixLength),
        },
        title: `remove DHCP scope ${str(op.start)}-${str(op.end)} from ${vm}`,
      };
    case 'installFeatures': {
      const features = (Array.isArray(op.features) ? op.features : [])
        .map(String)
        .filter((f) => !wantedFeatures.has(f.toLowerCase()));
      if (features.length === 0) return 'nothing';
      return {
        operation: { op: 'uninstallFeatures', features },
        title: `uninstall ${features.join(', ')} from ${vm}`,
      };
    }
    case 'runScript':
      return 'nothing';
    case 'authorizeDhcp':
      return { kept: 'its authorisation in Active Directory (Remove-DhcpServerInDC removes it)' };
    case 'createForest':
    case 'addDomainController':
      return { kept: 'the domain controller (demoting it takes Uninstall-ADDSDomainController)' };
    case 'joinDomain':
    case 'offlineDomainJoin':
      return { kept: `the membership of ${str(op.domain)}` };
    case 'createIscsiTarget':
      return { kept: 'the iSCSI target and its virtual disks (their data)' };
    default:
      return { kept: `what ${op.op} made` };
  }
}

/**
 * A recorded DHCP scope and a scope the manifest asks for are one Windows scope when their
 * ScopeId (the subnet: start address and prefix length) is the same (Add-DhcpServerv4Scope
 * derives it; Remove-DhcpServerv4Scope -ScopeId removes by it).
 */
function sameScope(now: GuestOperation, recorded: RecordedTask): boolean {
  if (now.op !== 'addDhcpScope') return false;
  const scopeId = (start: unknown, length: unknown) => canonicalPrefix(`${str(start)}/${Number(length)}`);
  return (
    scopeId(now.start, now.prefixLength) ===
    scopeId(recorded.operation.start, recorded.operation.prefixLength)
  );
}

/**
 * The task that makes the recorded share under another key: Windows share names are not
 * case-sensitive, so `share.data` recorded and `share.DATA` wanted are one share (Get-SmbShare
 * finds it; removing `data` would take `DATA`).
 */
function sameShareTask(recorded: RecordedTask, tasks: Iterable<GuestTask>): GuestTask | undefined {
  if (recorded.operation.op !== 'createShare') return undefined;
  const name = str(recorded.operation.name).toLowerCase();
  for (const t of tasks)
    if (t.operation.op === 'createShare' && t.operation.name.toLowerCase() === name) return t;
  return undefined;
}

/** `fileServer` of `role.web1.fileServer`, `script.2` of `role.srv1.script.2`. */
function prefixOf(address: string): string {
  return address.split('.').slice(2).join('.');
}

/** `OU=Servers,DC=contoso,DC=com` of `CN=WEB1,OU=Servers,DC=contoso,DC=com`. */
function parentOf(dn: string | undefined): string | null {
  if (!dn || !/^CN=/i.test(dn)) return null;
  return dn.replace(/^CN=(?:\\,|[^,])+,/i, '');
}

function roleDiagnostic(lab: Lab, vm: string, message: string, hint: string): Diagnostic {
  const spec = lab.vms.find((v) => v.name === vm);
  const pointer = spec?.pointer ?? '';
  const at = lab.positions[pointer];
  return {
    severity: 'warning',
    rule: 'role-not-undone',
    message,
    file: lab.file,
    line: at?.line ?? 0,
    column: at?.column ?? 0,
    pointer,
    hint,
  };
}

/**
 * A member joined in this apply lands in its OU (Add-Computer -OUPath, djoin /machineou): the
 * move is left out while its join is still to run.
 */
function skipMovesOfPendingJoins(tasks: GuestTask[], done: Set<string>): void {
  for (const t of tasks) {
    if (t.operation.op !== 'moveComputer') continue;
    const join = t.after[0];
    if (join && !done.has(ref(join))) done.add(ref(t));
  }
}

/**
 * Where a VM's forget tasks go when it has no task left (a Linux guest whose every script role
 * was removed): its host, reached with the VM's credential, as its scripts were.
 */
function taskless(
  lab: Lab,
  vm: string,
): Pick<GuestTask, 'host' | 'os' | 'credential' | 'rebootCredential'> | undefined {
  const spec = lab.vms.find((v) => v.name === vm);
  if (!spec?.credential) return undefined;
  return { host: spec.host, os: spec.os, credential: spec.credential };
}

export function diffRoleRecords(input: RoleRecordsInput): RoleRecordsResult {
  const { lab, records, doneTasks, pendingTasks } = input;
  skipMovesOfPendingJoins(input.tasks, doneTasks);
  const removed: PlannedChange[] = [];
  const diagnostics: Diagnostic[] = [];
  const undoByVm = new Map<string, GuestTask[]>();
  const changeOf = new Map(input.roleChanges.map((pc) => [pc.change.address, pc]));
  const recordedAddresses = new Set<string>();

  for (const [vm, held] of records) {
    const mine = input.tasks.filter((t) => t.vm === vm);
    const last = mine.filter((t) => !t.key.includes('@')).at(-1) ?? mine.at(-1) ?? taskless(lab, vm);
    if (!last) continue;
    const credential = last.rebootCredential ?? last.credential;
    const wantedFeatures = new Set(
      mine.flatMap((t) =>
        t.operation.op === 'installFeatures' ? t.operation.features.map((f) => f.toLowerCase()) : [],
      ),
    );
    const addresses = new Set(mine.filter((t) => !t.key.includes('@')).map((t) => t.address));
    const undo: GuestTask[] = [];
    const undoTask = (address: string, n: number, u: { operation: GuestOperation; title: string }) => {
      const task: GuestTask = {
        key: `${prefixOf(address)}/undo.${n}`,
        address,
        vm,
        host: last.host,
        os: last.os,
        title: u.title,
        operation: u.operation,
        credential,
        after: [],
        estimateS: u.operation.op === 'uninstallFeatures' ? 98 : 2,
      };
      if (u.operation.op === 'uninstallFeatures') task.rebootCredential = credential;
      undo.push(task);
    };
    for (const record of held) {
      recordedAddresses.add(record.address);
      const kind = prefixOf(record.address).split('.')[0]!;
      if (!addresses.has(record.address)) {
        // The role is gone from the manifest.
        const plans = record.tasks.map((t) => undoOf(t, vm, wantedFeatures));
        const kept = plans.flatMap((p) => (typeof p === 'object' && 'kept' in p ? [p.kept] : []));
        // What stays standing keeps what it stands on: a role with anything kept (other than a DHCP
        // authorisation) is left whole, features included.
        const whole =
          kept.length > 0 &&
          plans.some(
            (p, i) =>
              typeof p === 'object' && 'kept' in p && record.tasks[i]!.operation.op !== 'authorizeDhcp',
          );
        let n = 0;
        // Undone in reverse: a scope before the DHCP feature its cmdlets come with.
        if (!whole)
          for (const p of [...plans].reverse())
            if (typeof p === 'object' && 'operation' in p) undoTask(record.address, ++n, p);
        undo.push({
          key: `${prefixOf(record.address)}/forget`,
          address: record.address,
          vm,
          host: last.host,
          os: last.os,
          title: `forget role ${prefixOf(record.address)} in ${vm}'s guest record`,
          operation: { op: 'forgetRole', address: record.address },
          credential,
          after: [],
          estimateS: 2,
        });
        const undone = undo.filter((t) => t.address === record.address && t.operation.op !== 'forgetRole');
        const what =
          undone.length > 0
            ? `undone: ${undone.map((t) => t.title.replace(/ from \S+?( \(|$)/, '$1')).join('; ')}`
            : kind === 'script'
              ? 'a script has nothing to undo'
              : 'nothing is undone';
        const change: Change = {
          address: record.address,
          kind: 'role',
          action: 'delete',
          requiresStop: false,
          diff: [],
          reason: `removed from the manifest; ${what}${kept.length ? `; kept: ${kept.join('; ')}` : ''}`,
          host: last.host,
        };
        removed.push({ change });
        if (kind === 'script')
          diagnostics.push(
            roleDiagnostic(
              lab,
              vm,
              `${record.address} was removed: what the script did stays in the guest (labform cannot undo a script); apply only forgets its record`,
              `undo it with a script of your own, or replace the VM for a clean guest: labform apply --replace vm.${vm}`,
            ),
          );
        else if (kept.length > 0)
          diagnostics.push(
            roleDiagnostic(
              lab,
              vm,
              `the ${kind} role of ${vm} was removed, but Windows keeps ${kept.join('; ')}: labform does not undo it; apply forgets the role's record`,
              `to get a guest without it, replace the VM: labform apply --replace vm.${vm}`,
            ),
          );
        continue;
      }
      // The role is still there: what its record lists and the manifest no longer has is undone.
      const current = new Map(mine.filter((t) => t.address === record.address).map((t) => [t.key, t]));
      const pc = changeOf.get(record.address);
      const diff: PropertyDiff[] = [];
      const notes: string[] = [];
      let n = 0;
      for (const t of [...record.tasks].reverse()) {
        const now = current.get(t.key) ?? sameShareTask(t, current.values());
        if (t.operation.op === 'runScript' && now?.operation.op === 'runScript') {
          if (now.operation.run !== t.operation.run)
            diff.push({ path: 'run', before: str(t.operation.run), after: now.operation.run });
          continue;
        }
        // A share the probe found not as wanted: a new path or Full access (src/diff/share-changes.ts).
        if (
          t.operation.op === 'createShare' &&
          now?.operation.op === 'createShare' &&
          !doneTasks.has(ref(now))
        ) {
          const share = recordedShareChange(
            t.operation,
            now.operation,
            now.key.slice(now.key.indexOf('/') + 1),
          );
          diff.push(...share.diff.reverse());
          notes.push(...share.reasons.reverse());
          continue;
        }
        if (now) continue;
        // A scope the role still serves under another key (its network renamed): the same
        // Windows scope (ScopeId, the subnet), so it stays; removing it would take the new one.
        if (t.operation.op === 'addDhcpScope' && [...current.values()].some((c) => sameScope(c.operation, t)))
          continue;
        const p = undoOf(t, vm, wantedFeatures);
        const tail = t.key.slice(t.key.indexOf('/') + 1);
        if (typeof p === 'object' && 'operation' in p) {
          undoTask(record.address, ++n, p);
          diff.push({ path: tail, before: describe(t), after: null });
        } else if (typeof p === 'object') {
          diagnostics.push(
            roleDiagnostic(
              lab,
              vm,
              `${tail} of the ${kind} role of ${vm} was removed, but Windows keeps ${p.kept}`,
              `to get a guest without it, replace the VM: labform apply --replace vm.${vm}`,
            ),
          );
        }
      }
      notes.reverse();
      // A share the record does not list, still to make: `(none) -> "share Tools (C:\Shares\Tools)"`.
      const added: PropertyDiff[] = [];
      for (const t of current.values()) {
        if (t.operation.op !== 'createShare' || doneTasks.has(ref(t))) continue;
        if (record.tasks.some((r) => r.key === t.key || sameShareTask(r, [t]))) continue;
        added.push({
          path: t.key.slice(t.key.indexOf('/') + 1),
          before: null,
          after: shareText(t.operation.name, t.operation.path),
        });
        notes.push(`share ${t.operation.name} is added`);
      }
      if (pc && diff.length + added.length > 0) {
        pc.change.diff.push(...diff.reverse(), ...added);
        if (pc.change.action === 'noop' || pc.change.action === 'create') pc.change.action = 'update';
        const run = mine.find((t) => t.address === record.address && t.operation.op === 'runScript');
        pc.change.reason = !diff.some((d) => d.path === 'run')
          ? notes.length > 0
            ? notes.join('; ')
            : 'differs from what the guest records'
          : run && !doneTasks.has(ref(run))
            ? 'the script changed: it runs again'
            : 'the script in this place is one that has already run: only its record changes';
      }
    }
    if (undo.length > 0) undoByVm.set(vm, undo);
  }

  // A member's computer object in another OU: `~ role.VM.domainMember ou` with where it is now.
  for (const t of input.tasks) {
    if (t.operation.op !== 'moveComputer' || !pendingTasks.has(ref(t)) || doneTasks.has(ref(t))) continue;
    const pc = changeOf.get(t.address);
    if (!pc) continue;
    pc.change.diff.push({ path: 'ou', before: parentOf(pendingTasks.get(ref(t))), after: t.operation.ou });
    if (pc.change.action !== 'replace') pc.change.action = 'update';
    pc.change.reason = `the computer object of ${t.operation.computerName} moves (Move-ADObject on ${t.vm})`;
  }

  // A role some of whose work is there (recorded, or tasks probed done) changes; it is not new.
  for (const pc of input.roleChanges) {
    if (pc.change.action !== 'create' && !(pc.change.action === 'update' && pc.change.diff.length === 0))
      continue;
    const of = input.tasks.filter((t) => t.address === pc.change.address);
    const recorded = recordedAddresses.has(pc.change.address);
    // A move left out because its join is still to run (skipMovesOfPendingJoins) is not work done.
    const someDone = of.some((t) => t.operation.op !== 'moveComputer' && doneTasks.has(ref(t)));
    if (!recorded && !someDone) continue;
    pc.change.action = 'update';
    const work = of.filter((t) => t.operation.op !== 'recordRole' && !doneTasks.has(ref(t)));
    // Only the record differs (a guest configured before labform kept records, an `ou` dropped).
    if (work.length === 0)
      pc.change.reason = recorded
        ? "the guest's record of the role is updated"
        : "the guest's record of the role is written (docs/roles.md)";
  }

  // Undo before the VM's record tasks: the guest records the roles as they are after it.
  const tasks: GuestTask[] = [];
  const placed = new Set<string>();
  for (const t of input.tasks) {
    const undo = undoByVm.get(t.vm);
    if (undo && !placed.has(t.vm) && t.operation.op === 'recordRole') {
      tasks.push(...undo);
      placed.add(t.vm);
    }
    tasks.push(t);
  }
  for (const [vm, undo] of undoByVm) {
    if (placed.has(vm)) continue;
    // No record task left (every role removed): after the VM's last task.
    const at = tasks.map((t) => t.vm).lastIndexOf(vm);
    tasks.splice(at + 1, 0, ...undo);
  }
  return { removed, tasks, diagnostics };
}

/** `share data (C:\Shares\data)`: what a recorded task made, for the plan. */
function describe(t: RecordedTask): string {
  const op = t.operation;
  switch (op.op) {
    case 'createShare':
      return shareText(str(op.name), str(op.path));
    case 'addDhcpScope':
      return `DHCP scope ${str(op.start)}-${str(op.end)}`;
    case 'installFeatures':
      return `features ${(Array.isArray(op.features) ? op.features : []).join(', ')}`;
    default:
      return op.op;
  }
}
