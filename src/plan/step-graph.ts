import type { Lab } from '../manifest/lab.js';
import type { HostOperation } from '../model/host-operation.js';
import type { GuestStep, HostStep, Step, WaitStep } from './plan.js';
import type { WaitKind } from '../model/wait.js';
import { InternalError } from '../errors.js';
import { stepTitle } from './step-titles.js';

/** Rough simulated seconds per host operation, for critical-path figures. */
const ESTIMATE_S: Partial<Record<HostOperation['op'], number>> = {
  createSwitch: 3,
  removeSwitch: 3,
  renameSwitch: 1,
  setHostAddress: 2,
  createNat: 2,
  addNatMapping: 1,
  createVhd: 3,
  injectAnswerFile: 15,
  createVm: 3,
  configureVm: 2,
  startVm: 3,
  stopVm: 20,
  removeVm: 3,
  removeVhd: 1,
  attachDisk: 1,
  addAdapter: 1,
  assignDevice: 3,
  addClusterRole: 10,
  // Convert-WindowsImage's apply of a Server edition (Expand-WindowsImage) with bcdboot: minutes.
  buildImage: 600,
  installFeaturesOffline: 30,
};
const WAIT_ESTIMATE_S: Record<WaitKind, number> = { heartbeat: 60, powershellDirect: 20, adReady: 120 };

/** The steps of a plan being built: unique ids, dependencies only on steps that exist. */
export class StepGraph {
  readonly steps: Step[] = [];
  readonly #byId = new Map<string, Step>();
  /** Address -> the step ids after which the resource is ready for its dependents. */
  readonly ready = new Map<string, string[]>();
  /** VM -> the Windows features installed into its new OS disk before the first boot (`settings.featureInstall`). */
  offlineFeatures: ReadonlyMap<string, string[]> = new Map();
  /** Host and ISO -> the image builds that mount it, which take turns (`orderMediaTurns`). */
  readonly mediaTurns = new Map<string, string[]>();

  constructor(readonly lab: Lab) {}

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  get(id: string): Step | undefined {
    return this.#byId.get(id);
  }

  #push<T extends Step>(step: T): string {
    if (this.#byId.has(step.id)) throw new InternalError(`duplicate plan step ${step.id}`);
    step.dependsOn = [...new Set(step.dependsOn.filter(Boolean))];
    this.steps.push(step);
    this.#byId.set(step.id, step);
    return step.id;
  }

  host(o: {
    id: string;
    address: string;
    host: string;
    title: string;
    operation: HostOperation;
    dependsOn?: string[];
  }): string {
    const step: HostStep = {
      type: 'host',
      id: o.id,
      address: o.address,
      host: o.host,
      title: o.title,
      operation: o.operation,
      dependsOn: o.dependsOn ?? [],
      timeoutMs: this.lab.settings.timeouts.step,
      estimateS: ESTIMATE_S[o.operation.op] ?? 2,
    };
    return this.#push(step);
  }

  wait(o: {
    id: string;
    address: string;
    host: string;
    vm: string;
    os: 'windows' | 'linux';
    wait: WaitKind;
    credential?: string;
    dependsOn?: string[];
    title?: string;
  }): string {
    const t = this.lab.settings.timeouts;
    const step: WaitStep = {
      type: 'wait',
      id: o.id,
      address: o.address,
      host: o.host,
      title: o.title ?? stepTitle.wait(o.wait, o.vm, o.os),
      wait: o.wait,
      vm: o.vm,
      os: o.os,
      credential: o.credential,
      stablePolls: o.wait === 'heartbeat' ? 3 : undefined,
      dependsOn: o.dependsOn ?? [],
      timeoutMs:
        o.wait === 'heartbeat' ? t.heartbeat : o.wait === 'powershellDirect' ? t.powershellDirect : t.adReady,
      estimateS: WAIT_ESTIMATE_S[o.wait],
    };
    return this.#push(step);
  }

  guest(o: Omit<GuestStep, 'type' | 'timeoutMs' | 'probe'> & { estimateS?: number }): string {
    const step: GuestStep = {
      type: 'guest',
      probe: true,
      timeoutMs: this.lab.settings.timeouts.step,
      ...o,
      estimateS: o.estimateS ?? 60,
    };
    return this.#push(step);
  }

  /** Adds dependencies to an existing step (only on steps that exist). */
  addDeps(id: string, deps: string[]): void {
    const step = this.#byId.get(id);
    if (!step) return;
    step.dependsOn = [...new Set([...step.dependsOn, ...deps.filter((d) => d && d !== id)])];
  }

  /** Drops dependencies on steps that were never added (e.g. of noop resources). */
  prune(): void {
    for (const s of this.steps) s.dependsOn = s.dependsOn.filter((d) => this.#byId.has(d));
  }
}
