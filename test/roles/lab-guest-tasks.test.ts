import { describe, expect, it } from 'vitest';
import { guestTasks } from '../../src/roles/lab-guest-tasks.js';
import { scheduleTasks, taskCycle, taskId } from '../../src/roles/task-graph.js';
import type { GuestTask } from '../../src/roles/guest-task.js';
import { guardedFabric, roleLab, nic, roleVm } from '../support/lab-builder.js';

describe('guestTasks', () => {
  it('is deterministic for the same lab', () => {
    expect(JSON.stringify(guestTasks({ lab: guardedFabric() }))).toBe(
      JSON.stringify(guestTasks({ lab: guardedFabric() })),
    );
  });

  it('keys are unique per VM, refs point at existing tasks, and there is no cycle', () => {
    const tasks = guestTasks({ lab: guardedFabric() });
    const ids = tasks.map(taskId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of tasks) for (const ref of t.after) expect(ids).toContain(taskId(ref));
    expect(taskCycle(tasks)).toBeUndefined();
  });

  it('groups tasks by VM in manifest order, every task with an estimate', () => {
    const tasks = guestTasks({ lab: guardedFabric() });
    const order = [...new Set(tasks.map((t) => t.vm))];
    expect(order).toEqual(['dc01', 'hgs01', 'vmm01', 'gh01', 'gh02']);
    for (const t of tasks) expect(t.estimateS).toBeGreaterThan(0);
  });

  it('names credentials only, each one the lab defines', () => {
    const names = new Set(['lab-admin', 'fabric-admin']);
    for (const t of guestTasks({ lab: guardedFabric() })) {
      for (const c of [t.credential, t.rebootCredential, t.alternateCredential, t.then?.credential])
        if (c !== undefined) expect(names).toContain(c);
    }
  });

  it('counts a feature installed earlier on the VM only as a probe', () => {
    const tasks = guestTasks({ lab: guardedFabric() });
    const hyperV = tasks.find((t) => t.vm === 'gh01' && t.key === 'hyperV/features')!;
    const gh = tasks.find((t) => t.vm === 'gh01' && t.key === 'guardedHost/features')!;
    expect(gh.estimateS!).toBeLessThan(hyperV.estimateS!);
  });

  it('rejects roles that wait for each other in a cycle', () => {
    // Each host is the other's HGS client before it is an HGS itself.
    const l = roleLab({
      vms: [
        roleVm('a', {
          network: [nic('LabNet', '10.0.0.1')],
          roles: [
            { kind: 'guardedHost', hgs: 'b' },
            { kind: 'hostGuardianService', domain: 'a.lab', attestation: 'hostKey', serviceName: 'hgs' },
          ],
        }),
        roleVm('b', {
          network: [nic('LabNet', '10.0.0.2')],
          roles: [
            { kind: 'guardedHost', hgs: 'a' },
            { kind: 'hostGuardianService', domain: 'b.lab', attestation: 'hostKey', serviceName: 'hgs' },
          ],
        }),
      ],
    });
    expect(() => guestTasks({ lab: l })).toThrow(/cycle/);
  });
});

describe('scheduleTasks', () => {
  const t = (vmName: string, key: string, estimateS: number, extra: Partial<GuestTask> = {}): GuestTask => ({
    key,
    address: `vm.${vmName}`,
    vm: vmName,
    host: 'hv01',
    os: 'windows',
    title: key,
    operation: { op: 'setComputerName', computerName: vmName },
    credential: 'c',
    after: [],
    estimateS,
    ...extra,
  });

  it('chains tasks within a VM, follows after edges and adds the AD wait', () => {
    const tasks = [
      t('a', 'x', 10, { then: { wait: 'adReady', credential: 'c' } }),
      t('a', 'y', 5),
      t('b', 'z', 1, { after: [{ vm: 'a', key: 'x' }] }),
    ];
    const s = scheduleTasks({ tasks, firstBootS: 100, adReadyS: 50 });
    expect(s.finishS.get('a/x')).toBe(160);
    expect(s.finishS.get('a/y')).toBe(165);
    expect(s.finishS.get('b/z')).toBe(161);
    expect(s.makespanS).toBe(165);
    expect(s.criticalPath).toEqual(['a/x', 'a/y']);
  });

  it('refuses unknown refs', () => {
    expect(() => scheduleTasks({ tasks: [t('a', 'x', 1, { after: [{ vm: 'nope', key: 'y' }] })] })).toThrow(
      /does not exist/,
    );
  });
});
