/** What a wait step waits for: the Heartbeat integration service, PowerShell Direct, or Active Directory on a DC. */
export type WaitKind = 'heartbeat' | 'powershellDirect' | 'adReady';
