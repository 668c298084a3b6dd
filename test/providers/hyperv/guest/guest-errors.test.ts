import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../../src/errors.js';
import type { CallContext } from '../../../../src/providers/call-context.js';
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
const domainAdmin = credential('domain-admin', 'Sup3r-S3cret-Domain!');
const safeMode = credential('safe-mode', 'Sup3r-S3cret-SafeMode!');
const credentials = { 'lab-admin': admin, 'domain-admin': domainAdmin, 'safe-mode': safeMode };

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a rejection');
}

describePwsh('guest errors, reachability and secrets', () => {
  let f: GuestFixture;
  let log: ReturnType<typeof captureLogger>;
  let ctx: CallContext;

  beforeAll(async () => {
    log = captureLogger();
    f = guestFixture({ logger: log.logger });
    await f.start();
    ctx = f.context(credentials);
  });
  afterAll(async () => {
    await f?.close();
  });

  it("surfaces an error inside the guest with the guest cmdlet's record", async () => {
    f.seed([{ name: 'h1', macs: ['00155D000001'] }]);
    const error = await rejection(
      f.runner.runGuest(f.target('h1'), { op: 'installFeatures', features: ['DNS', 'No-Such-Feature'] }, ctx),
    );
    expect(error.retryable).toBe(false);
    expect(error.record).toMatchObject({
      category: 'InvalidArgument',
      fullyQualifiedErrorId:
        'NameDoesNotExist,Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand',
    });
    expect(error.record?.message).toMatch(/^in guest h1: ArgumentNotValid: .*'No-Such-Feature'/);
    expect(error.address).toBe('vm.test');
    // Nothing was installed: the failing call stopped the operation.
    expect(f.guest('h1').features).toEqual([]);
  });

  it('surfaces a join refused by the domain (not contactable, then wrong password)', async () => {
    f.seed([
      { name: 'dc01', macs: ['00155D000001'] },
      { name: 'm01', macs: ['00155D000002'] },
    ]);
    const join = {
      op: 'joinDomain' as const,
      domain: 'contoso.com',
      joinCredential: 'domain-admin',
      dns: ['10.0.0.10'],
    };
    const unreachable = await rejection(f.runner.runGuest(f.target('m01'), join, ctx));
    expect(unreachable.record?.fullyQualifiedErrorId).toBe(
      'FailToJoinDomainFromWorkgroup,Microsoft.PowerShell.Commands.AddComputerCommand',
    );
    expect(unreachable.record?.message).toContain('could not be contacted');
    await f.runner.runGuest(
      f.target('dc01'),
      { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] },
      ctx,
    );
    await f.runner.runGuest(
      f.target('dc01'),
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      ctx,
    );
    const wrong = await rejection(
      f.runner.runGuest(f.target('m01'), { ...join, joinCredential: 'lab-admin' }, ctx),
    );
    expect(wrong.record?.message).toContain('The user name or password is incorrect.');
    expect(wrong.retryable).toBe(false);
    expect(f.guest('m01').domain).toBeNull();
  });

  it('reports PowerShell Direct not up (VM off, restarting) as false, and a refused credential as an authentication refusal at once', async () => {
    f.seed([
      { name: 'off1', state: 'Off', macs: ['00155D000001'] },
      { name: 'on1', macs: ['00155D000002'] },
    ]);
    expect(await f.runner.guestReachable(f.target('off1'), ctx)).toBe(false);
    expect(await f.runner.guestReachable(f.target('on1'), ctx)).toBe(true);
    const wrongPassword = await rejection(
      f.runner.guestReachable(f.target('on1', credential('x', 'wrong')), ctx),
    );
    expect(wrongPassword).toMatchObject({
      retryable: false,
      record: {
        category: 'AuthenticationError',
        fullyQualifiedErrorId: 'CredentialRefused,Labform',
        message: 'The credential is invalid.',
      },
    });
    expect(wrongPassword.message).toBe(
      'PowerShell Direct into on1 refused the credential of Administrator: The credential is invalid.',
    );
    // Running a guest operation against an off VM is retryable; with a refused credential it is not.
    const off = await rejection(
      f.runner.runGuest(f.target('off1'), { op: 'setComputerName', computerName: 'X1' }, ctx),
    );
    expect(off.retryable).toBe(true);
    const refused = await rejection(
      f.runner.runGuest(
        f.target('on1', credential('x', 'wrong')),
        { op: 'setComputerName', computerName: 'X1' },
        ctx,
      ),
    );
    expect(refused.retryable).toBe(false);
    expect(refused.record?.message).toContain('The credential is invalid.');
  });

  it('rejects (does not answer false) when the VM does not exist', async () => {
    f.seed([]);
    await rejection(f.runner.guestReachable(f.target('ghost'), ctx));
  });

  it('says Active Directory is not ready on a guest that is not a domain controller', async () => {
    f.seed([{ name: 'h1', macs: ['00155D000001'] }]);
    expect(await f.runner.adReady(f.target('h1'), ctx)).toBe(false);
  });

  it('never writes a password to the log or the fake state', async () => {
    f.seed([
      { name: 'dc01', macs: ['00155D000001'] },
      { name: 'm01', macs: ['00155D000002'] },
    ]);
    await f.runner.runGuest(
      f.target('dc01'),
      { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] },
      ctx,
    );
    await f.runner.runGuest(
      f.target('dc01'),
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      ctx,
    );
    await f.runner.runGuest(
      f.target('m01'),
      { op: 'joinDomain', domain: 'contoso.com', joinCredential: 'domain-admin', dns: [] },
      ctx,
    );
    await f.runner
      .runGuest(
        f.target('m01'),
        {
          op: 'offlineDomainJoin',
          domain: 'contoso.com',
          joinCredential: 'domain-admin',
          dns: [],
          dc: { host: 'hv01', vm: 'dc01', credential: 'domain-admin' },
        },
        ctx,
      )
      .catch(() => undefined);
    const text = log.text();
    expect(text).toContain('guest operation');
    for (const secret of ['Initial#1', 'Sup3r-S3cret-Domain!', 'Sup3r-S3cret-SafeMode!']) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(f.state())).not.toContain(secret);
    }
  });
});

describePwsh('Active Directory answering only after some polls', () => {
  let f: GuestFixture;
  beforeAll(async () => {
    f = guestFixture({ env: { LABFORM_FAKE_AD_POLLS: '2' } });
    await f.start();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('adReady stays false until the directory answers', async () => {
    const ctx = f.context(credentials);
    f.seed([{ name: 'dc01', macs: ['00155D000001'] }]);
    await f.runner.runGuest(
      f.target('dc01'),
      { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] },
      ctx,
    );
    await f.runner.runGuest(
      f.target('dc01'),
      {
        op: 'createForest',
        domain: 'contoso.com',
        netbios: 'CONTOSO',
        safeModePassword: 'safe-mode',
        domainAdmin: 'domain-admin',
      },
      ctx,
    );
    const dc = f.target('dc01', domainAdmin);
    const seen = [
      await f.runner.adReady(dc, ctx),
      await f.runner.adReady(dc, ctx),
      await f.runner.adReady(dc, ctx),
    ];
    expect(seen).toEqual([false, false, true]);
  });
});
