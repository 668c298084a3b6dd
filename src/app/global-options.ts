/** Options every command takes (docs/contract.md section 5, "Common options"). */
export interface GlobalOptions {
  stateDir?: string;
  logFile?: string;
  logLevel?: string;
  color: boolean;
  debug: boolean;
  /** Replace every host's connection with the simulator. */
  sim: boolean;
  /** Simulated seconds per real second (simulator only). */
  simSpeed?: number | string;
}

/** The flags a command the user copies needs to reach the same hosts: ` --sim`, ` --state-dir X`. */
export function sameHostsFlags(global: GlobalOptions): string {
  return `${global.sim ? ' --sim' : ''}${global.stateDir ? ` --state-dir ${global.stateDir}` : ''}`;
}
