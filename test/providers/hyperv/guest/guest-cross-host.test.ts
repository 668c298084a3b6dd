import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { PowerShellSession } from '../../../../src/powershell/session.js';
import { createGuestRunner, type GuestRunner } from '../../../../src/providers/hyperv/guest/guest-runner.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { describePwsh } from '../../../support/pwsh.js';
import {
  captureLogger,
  credential,
  guestFixture,
  type GuestFixture,
  PWSH_TIMEOUTS,
} from './guest-fixture.js';

vi.setConfig(PWSH_TIMEOUTS);

const admin = credential('lab-admin', 'Initial#1');
const domainAdmin = credential('domain-admin', 'Cr0ss-H0st-Secret');
const safeMode = credential('safe-mode', 'Safe#1');
const credentials = { 'lab-admin': admin, 'domain-admin': domainAdmin, 'safe-mode': safeMode };

describePwsh('guest operations that span two hosts', () => {
  let a: GuestFixture;
  let b: GuestFixture;
  let runner: GuestRunner;
  let log: ReturnType<typeof captureLogger>;

  beforeAll(async () => {
    log = captureLogger();
    a = guestFixture({ logger: log.logger });
    b = guestFixture({ logger: log.logger });
    await Promise.all([a.start(), b.start()]);
    const sessions: Record<string, PowerShellSession> = { hv01: a.session, hv02: b.session };
    runner = createGuestRunner({
      sessionFor: async (host) => sessions[host]!,
      logger: log.logger ?? silentLogger,
    });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('joins offline with the DC on another host: the blob travels as a secret and never reaches the log', async () => {
    a.seed([{ name: 'dc01', macs: ['00155D000001'] }]);
    b.seed([{ name: 'm01', macs: ['00155D000002'] }]);
    const ctx = a.context(credentials);
    const dc = { host: 'hv01', vm: 'dc01', os: 'windows' as const, credential: admin };
    await runner.runGuest(dc, { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] }, ctx);
    await runner.runGuest(
      dc,
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      ctx,
    );
    const member = { host: 'hv02', vm: 'm01', os: 'windows' as const, credential: admin };
    const op = {
      op: 'offlineDomainJoin' as const,
      domain: 'contoso.com',
      joinCredential: 'domain-admin',
      dns: ['10.0.0.10'],
      dc: { host: 'hv01', vm: 'dc01', credential: 'domain-admin' },
    };
    expect((await runner.probeGuest(member, [op], ctx))[0]?.done).toBe(false);
    expect((await runner.runGuest(member, op, ctx)).rebooted).toBe(true);
    expect((await runner.probeGuest(member, [op], ctx))[0]?.done).toBe(true);
    expect(b.guest('m01').domain).toBe('contoso.com');
    expect(a.guest('dc01').dc.computers).toContain('M01');
    // The fake's blob is base64 of "ODJ|<domain>|<machine>|<random>": its first 18 characters encode to a fixed prefix.
    const blobPrefix = Buffer.from('ODJ|contoso.com|M0').toString('base64');
    expect(log.text()).not.toContain(blobPrefix);
    expect(log.text()).not.toContain('Cr0ss-H0st-Secret');
  });

  it('registers a TPM host whose identifier is read on another host', async () => {
    a.seed([{ name: 'hgs01', macs: ['00155D000001'] }]);
    b.seed([{ name: 'gh01', macs: ['00155D000002'], tpm: true }]);
    const ctx = a.context(credentials);
    const hgs = { host: 'hv01', vm: 'hgs01', os: 'windows' as const, credential: admin };
    await runner.runGuest(
      hgs,
      { op: 'installHgs', domain: 'bastion.local', safeModePassword: 'safe-mode' },
      ctx,
    );
    await runner.runGuest(hgs, { op: 'initializeHgs', serviceName: 'hgs', attestation: 'tpm' }, ctx);
    const op = {
      op: 'addAttestationTpmHost' as const,
      name: 'gh01',
      from: { host: 'hv02', vm: 'gh01', credential: 'lab-admin' },
    };
    await runner.runGuest(hgs, op, ctx);
    expect((await runner.probeGuest(hgs, [op], ctx))[0]?.done).toBe(true);
    expect(a.guest('hgs01').attestation.tpmHosts[0].identifier).toMatch(/^EK-/);
  });
});

describePwsh('PowerShell Direct while the guest restarts', () => {
  let f: GuestFixture;
  beforeAll(async () => {
    f = guestFixture({ env: { LABFORM_FAKE_REBOOT_SECONDS: '3600' } });
    await f.start();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('is not reachable (false, not an error) until the restart is over', async () => {
    const ctx = f.context(credentials);
    f.seed([{ name: 'h1', macs: ['00155D000001'] }]);
    expect(await f.runner.guestReachable(f.target('h1'), ctx)).toBe(true);
    await f.runner.runGuest(f.target('h1'), { op: 'setComputerName', computerName: 'H1NEW' }, ctx);
    expect(await f.runner.guestReachable(f.target('h1'), ctx)).toBe(false);
    await expect(
      f.runner.probeGuest(f.target('h1'), [{ op: 'setComputerName', computerName: 'H1NEW' }], ctx),
    ).rejects.toMatchObject({ retryable: true });
  });
});
