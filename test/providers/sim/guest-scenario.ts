import type { SimProvider } from '../../../src/providers/sim/sim-provider.js';
import type { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { ctx, target, wait, windowsVm } from './sim-fixtures.js';
import { DEFAULT_TIMING } from '../../../src/providers/sim/time/timing-profile.js';

export const DC_MAC = '00155D000010';
export const DC_IP = '192.168.50.10';

/** Boot to PowerShell Direct for a first boot. */
export const FIRST_BOOT =
  DEFAULT_TIMING.boot.firstBootToHeartbeat + DEFAULT_TIMING.boot.powershellDirectAfterHeartbeat;
/** A guest restart until PowerShell Direct answers again. */
export const REBOOT =
  DEFAULT_TIMING.boot.rebootShutdown +
  DEFAULT_TIMING.boot.bootToHeartbeat +
  DEFAULT_TIMING.boot.powershellDirectAfterHeartbeat;

export async function labNet(sim: SimProvider, host = 'hv01'): Promise<void> {
  await sim.run(host, { op: 'createSwitch', name: 'LabNet', type: 'internal', notes: '' }, ctx());
}

/** dc01 booted, addressed, features installed, forest contoso.com created and AD answering. */
export async function forest(
  sim: SimProvider,
  clock: VirtualClock,
  options: { waitForAd?: boolean } = {},
): Promise<void> {
  await labNet(sim);
  await windowsVm(sim, { name: 'dc01', switchName: 'LabNet', mac: DC_MAC });
  await wait(clock, FIRST_BOOT);
  const local = target('dc01');
  await sim.runGuest(
    local,
    {
      op: 'setNetwork',
      mac: DC_MAC,
      dhcp: false,
      addresses: [{ address: DC_IP, prefixLength: 24 }],
      gateway: '192.168.50.1',
      dns: ['127.0.0.1'],
    },
    ctx(),
  );
  await sim.runGuest(local, { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] }, ctx());
  await sim.runGuest(
    local,
    {
      op: 'createForest',
      domain: 'contoso.com',
      netbios: 'CONTOSO',
      safeModePassword: 'dsrm',
      domainAdmin: 'domain-admin',
    },
    ctx(),
  );
  if (options.waitForAd !== false) await wait(clock, REBOOT + DEFAULT_TIMING.boot.adAfterPromotion);
}

/** A member VM booted and addressed on LabNet with DNS on the DC. */
export async function memberVm(
  sim: SimProvider,
  clock: VirtualClock,
  name: string,
  mac: string,
  ip: string,
  extra: { nested?: boolean } = {},
): Promise<void> {
  await windowsVm(sim, { name, switchName: 'LabNet', mac, ...extra });
  await wait(clock, FIRST_BOOT);
  await sim.runGuest(
    target(name),
    { op: 'setNetwork', mac, dhcp: false, addresses: [{ address: ip, prefixLength: 24 }], dns: [DC_IP] },
    ctx(),
  );
}
