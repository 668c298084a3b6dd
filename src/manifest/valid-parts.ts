/**
 * A manifest with schema errors still gets the rule errors of its other parts in the same run,
 * so a user fixes everything at once. The entries the schema errors are in (a VM, a network, a
 * key of `settings`) are left out, what remains is checked against the schema again (when that
 * still fails, e.g. a required section is gone, only the schema errors are reported), then
 * expanded and checked by the rules as usual, with every diagnostic on its original line.
 *
 * Leaving entries out must not invent errors: a reference to a left-out entry's name is not
 * reported, nor are the rules that judge an entry by others that may be the ones left out (a
 * member by its domain controller, a shared disk by the VMs using it, a role by its VM's image).
 * Those are checked once the schema errors are fixed.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Position } from './reporter.js';
import { Reporter } from './reporter.js';
import { checkSchema } from './schema-validator.js';
import { expandLab } from './expand/expand-lab.js';
import { runRules } from './rules/index.js';
import type { RawLab } from './raw-lab.js';
import { escapePointerSegment, pointerSegments } from './pointer.js';

/**
 * Rules whose verdict on one entry depends on entries of other sections being there (`at`: only
 * where the rule reports under that pointer).
 */
const DEPENDS_ON: { rule: string; at?: string; on: string[] }[] = [
  { rule: 'cluster-node', on: ['clusters', 'hosts'] },
  { rule: 'network-host', on: ['networks', 'hosts'] },
  { rule: 'port-mapping-no-address', on: ['vms'] },
  { rule: 'dhcp-no-server', on: ['vms', 'networks'] },
  { rule: 'dhcp-scope-network', on: ['networks'] },
  { rule: 'shared-disk-users', on: ['vms'] },
  { rule: 'shared-disk-cluster', on: ['vms', 'clusters', 'hosts'] },
  { rule: 'credential-missing', on: ['credentials'] },
  { rule: 'host-credential', on: ['credentials'] },
  { rule: 'literal-password', on: ['credentials'] },
  { rule: 'no-image-guest-config', on: ['images'] },
  { rule: 'image-os', on: ['images'] },
  { rule: 'image-generation', on: ['images'] },
  { rule: 'linux-role', on: ['images'] },
  { rule: 'script-shell', on: ['images'] },
  { rule: 'domain-no-controller', on: ['vms'] },
  { rule: 'domain-unreachable', on: ['vms', 'networks'] },
  { rule: 'dc-address', on: ['vms', 'networks'] },
  { rule: 'guarded-host-no-hgs', on: ['vms'] },
  { rule: 'guest-cluster-node', on: ['vms'] },
  { rule: 'guest-cluster-disk', on: ['vms', 'disks'] },
  // A guest cluster's address is judged by its nodes' networks.
  { rule: 'address-outside-prefix', at: '/guestClusters/', on: ['networks', 'vms'] },
];

interface Pruning {
  /** Sections with an entry (or themselves) left out. */
  touched: Set<string>;
  /** Section -> indexes left out (sorted). */
  dropped: Map<string, number[]>;
  /** Names of the entries left out (`{n}` kept as a pattern); undefined when one had no name. */
  names: string[] | undefined;
}

/** Which entries the schema errors are in, and the data without them. */
function prune(
  data: Record<string, unknown>,
  pointers: string[],
): { data: Record<string, unknown>; pruning: Pruning } | undefined {
  const copy = structuredClone(data);
  const dropped = new Map<string, Set<number>>();
  const touched = new Set<string>();
  let names: string[] | undefined = [];
  for (const pointer of pointers) {
    const [section, second] = pointerSegments(pointer);
    if (section === undefined) return undefined;
    const value = copy[section];
    touched.add(section);
    if (second === undefined || value === null || typeof value !== 'object') {
      // The section itself (or a stray top-level key) is wrong: without it, or not at all.
      delete copy[section];
      names = undefined;
      continue;
    }
    if (Array.isArray(value)) {
      const index = Number(second);
      if (!Number.isInteger(index) || index < 0 || index >= value.length) return undefined;
      const set = dropped.get(section) ?? new Set<number>();
      set.add(index);
      dropped.set(section, set);
    } else delete (value as Record<string, unknown>)[second];
  }
  const sorted = new Map<string, number[]>();
  for (const [section, set] of dropped) {
    const list = copy[section] as unknown[];
    const indexes = [...set].sort((a, b) => a - b);
    sorted.set(section, indexes);
    for (const i of indexes) {
      const name = (list[i] as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && names) names.push(name);
      else names = undefined;
    }
    copy[section] = list.filter((_, i) => !set.has(i));
  }
  return { data: copy, pruning: { touched, dropped: sorted, names } };
}

/** A pointer of the original document in the pruned one (undefined: it was left out). */
function toPruned(pointer: string, dropped: Map<string, number[]>): string | undefined {
  const segments = pointerSegments(pointer);
  const indexes = segments[0] === undefined ? undefined : dropped.get(segments[0]);
  if (!indexes || segments[1] === undefined) return pointer;
  const index = Number(segments[1]);
  if (indexes.includes(index)) return undefined;
  const shifted = index - indexes.filter((i) => i < index).length;
  return ['', ...[segments[0], String(shifted), ...segments.slice(2)].map(escapePointerSegment)].join('/');
}

/** A pointer of the pruned document in the original one. */
function toOriginal(pointer: string, dropped: Map<string, number[]>): string {
  const segments = pointerSegments(pointer);
  const indexes = segments[0] === undefined ? undefined : dropped.get(segments[0]);
  if (!indexes || segments[1] === undefined) return pointer;
  let index = Number(segments[1]);
  for (const i of indexes) if (i <= index) index++;
  return ['', ...[segments[0], String(index), ...segments.slice(2)].map(escapePointerSegment)].join('/');
}

function remap(map: ReadonlyMap<string, Position>, dropped: Map<string, number[]>): Map<string, Position> {
  const out = new Map<string, Position>();
  for (const [pointer, position] of map) {
    const to = toPruned(pointer, dropped);
    if (to !== undefined) out.set(to, position);
  }
  return out;
}

/** A reference to an entry that was left out: `... named web1`, `{n}` entries by pattern. */
function refersToLeftOut(message: string, names: string[]): boolean {
  return names.some((name) => {
    const pattern = name
      .split('{n}')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[0-9]+');
    return new RegExp(` named ${pattern}(;|$)`).test(message);
  });
}

/**
 * PURE: the rule diagnostics of the schema-valid parts of `data`, whose schema errors are at
 * `schemaPointers`. Never throws: a part it cannot check is simply not reported on.
 */
export function rulesOfValidParts(options: {
  data: Record<string, unknown>;
  schemaPointers: string[];
  file: string;
  absoluteFile: string;
  positions: ReadonlyMap<string, Position>;
  keyPositions: ReadonlyMap<string, Position>;
}): Diagnostic[] {
  const pruned = prune(options.data, options.schemaPointers);
  if (!pruned) return [];
  const { touched, dropped, names } = pruned.pruning;
  const positions = remap(options.positions, dropped);
  const reporter = new Reporter(options.file, positions, remap(options.keyPositions, dropped));
  try {
    if (!checkSchema({ data: pruned.data, reporter: new Reporter(options.file, positions) })) return [];
    const lab = expandLab({
      raw: pruned.data as unknown as RawLab,
      file: options.absoluteFile,
      positions,
      reporter,
    });
    runRules({ lab, raw: pruned.data as unknown as RawLab, reporter });
  } catch {
    return [];
  }
  return reporter.diagnostics
    .filter(
      (d) =>
        !DEPENDS_ON.some(
          (x) =>
            x.rule === d.rule &&
            (x.at === undefined || d.pointer.startsWith(x.at)) &&
            x.on.some((section) => touched.has(section)),
        ),
    )
    .filter(
      (d) => d.rule !== 'reference-unknown' || (names !== undefined && !refersToLeftOut(d.message, names)),
    )
    .map((d) => ({ ...d, pointer: toOriginal(d.pointer, dropped) }));
}
