/** The PowerShell session layer: the only module that starts processes (execa). */
export { createSession } from './create-session.js';
export type { SessionOptions } from './create-session.js';
export { createSessionPool } from './session-pool.js';
export type { SessionPool } from './session-pool.js';
export { classifyRecord, mapErrorRecord, RETRY_RULES } from './error-mapping.js';
export { describeTransport, transportFor } from './transport.js';
export type { PowerShellShell, Transport } from './transport.js';
export type { InvokeRequest, PowerShellSession, SessionErrorRecord } from './session.js';
