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
  simSpeed?: number;
}
