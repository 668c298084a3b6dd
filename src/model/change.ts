/** What the diff found for one resource, and what apply refuses: the vocabulary shared by diff, plan, render and the CLI. */

export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'noop';
export type ResourceKind =
  'network' | 'nat' | 'portMapping' | 'disk' | 'image' | 'vm' | 'role' | 'guestCluster';

export interface PropertyDiff {
  /** Dotted property path, e.g. `memory.startup`, `network[0].macAddressSpoofing`. */
  path: string;
  before: unknown;
  after: unknown;
  /** This property alone forces replacement (generation, image). */
  forcesReplace?: boolean;
  /** Hyper-V changes this property only while the VM is off. */
  requiresStop?: boolean;
}

export interface Change {
  /** `<kind>.<name>`, e.g. `vm.dc01`, `role.dc01.domainController`, `portMapping.LabNet.tcp.8443`. */
  address: string;
  kind: ResourceKind;
  action: ChangeAction;
  requiresStop: boolean;
  diff: PropertyDiff[];
  /** Why: "not found on hv01", "generation 1 -> 2 forces replacement", "removed from the manifest". */
  reason?: string;
  /** The host it lives on (the first one for multi-host switches). */
  host?: string;
  /** Every host of a resource on several (a network on hv01 and hv02). */
  hosts?: string[];
  /**
   * A create: what the resource will be, attribute by attribute (dotted paths as in `diff`,
   * sizes in bytes), e.g. `{"memory": 2147483648, "network[0].address": "10.0.0.5/24"}`.
   */
  after?: Attributes;
}

/** An unmarked resource with a wanted name, or one owned by another lab: apply refuses. */
export interface Conflict {
  address: string;
  host: string;
  message: string;
  hint?: string;
}

/** What a resource to create will be: one entry per attribute, keyed by dotted diff paths. */
export type Attributes = Record<string, string | number | boolean | string[]>;
