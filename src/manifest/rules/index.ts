import type { Lab } from '../lab.js';
import type { RawLab } from '../raw-lab.js';
import type { Reporter } from '../reporter.js';
import { RuleContext, type Rule } from './context.js';
import { checkCountPlaceholder, checkDuplicateNames, checkPlacement, checkReferences } from './references.js';
import { checkDhcpServed, checkNetworks, checkPortMappings } from './networks.js';
import { checkAddresses } from './addresses.js';
import { checkDisks } from './disks.js';
import { checkImages } from './images.js';
import { checkVmHardware } from './vms.js';
import { checkDomains, checkLiteralPasswords, checkRoleCombinations } from './roles.js';
import { checkRoleCycles } from './role-cycle.js';
import { checkGuestClusters } from './guest-clusters.js';
import { checkValueLimits } from './value-limits.js';

/** Every rule of docs/contract.md section 4 (and more a Hyper-V administrator would expect); all run, all report. */
export const RULES: readonly Rule[] = [
  checkCountPlaceholder,
  checkReferences,
  checkDuplicateNames,
  checkPlacement,
  checkNetworks,
  checkAddresses,
  checkPortMappings,
  checkDhcpServed,
  checkDisks,
  checkImages,
  checkVmHardware,
  checkValueLimits,
  checkLiteralPasswords,
  checkRoleCombinations,
  checkDomains,
  checkRoleCycles,
  checkGuestClusters,
];

export function runRules(options: { lab: Lab; raw: RawLab; reporter: Reporter }): void {
  const ctx = new RuleContext(options.lab, options.raw, options.reporter);
  for (const rule of RULES) rule(ctx);
}
