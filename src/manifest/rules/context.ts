import type { Lab, VmSpec } from '../lab.js';
import type { RawLab, RawVm } from '../raw-lab.js';
import type { Reporter } from '../reporter.js';
import { closestName } from '../suggest.js';

/** What every rule sees: the expanded lab, the manifest as written, and where to report. */
export class RuleContext {
  /** The first VM of each manifest entry: checks that do not depend on `{n}` run once per entry. */
  readonly entryVms: VmSpec[];
  readonly vmByName: Map<string, VmSpec>;
  constructor(
    readonly lab: Lab,
    readonly raw: RawLab,
    readonly report: Reporter,
  ) {
    const seen = new Set<string>();
    this.entryVms = lab.vms.filter((vm) => !seen.has(vm.pointer) && Boolean(seen.add(vm.pointer)));
    this.vmByName = new Map();
    for (const vm of lab.vms) if (!this.vmByName.has(vm.name)) this.vmByName.set(vm.name, vm);
  }

  rawVm(vm: VmSpec): RawVm {
    return this.raw.vms[Number(vm.pointer.split('/')[2])]!;
  }

  /** `node{n}` for a counted entry (the message is about the entry), else the VM name. */
  entryName(vm: VmSpec): string {
    const raw = this.rawVm(vm);
    return (raw.count ?? 1) > 1 ? raw.name : vm.name;
  }

  /** Reports `reference-unknown` unless `name` is one of `candidates`. Returns whether it exists. */
  reference(options: {
    kind: string;
    name: string;
    candidates: readonly string[];
    pointer: string;
    from: string;
  }): boolean {
    if (options.candidates.includes(options.name)) return true;
    const best = closestName(options.name, options.candidates);
    this.report.error({
      rule: 'reference-unknown',
      pointer: options.pointer,
      message: `${options.from}: no ${options.kind} named ${options.name}${best ? `; did you mean ${best}?` : ''}`,
      hint: options.candidates.length
        ? `${options.kind}s in this lab: ${options.candidates.slice(0, 10).join(', ')}${options.candidates.length > 10 ? ', ...' : ''}`
        : `this lab defines no ${options.kind}`,
    });
    return false;
  }
}

export type Rule = (ctx: RuleContext) => void;

export const names = <T extends { name: string }>(items: readonly T[]) => items.map((i) => i.name);
