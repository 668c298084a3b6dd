import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { waitUntil } from '../../src/executor/waits.js';
import { silentLogger } from '../../src/log/logger.js';
import { credentialRefused } from '../../src/providers/credential-refused.js';
import type { Provider } from '../../src/providers/provider.js';
import { Secret } from '../../src/secrets/secret.js';

// A wrong password is an answer: the PowerShell Direct wait ends at once with an authentication
// refusal, instead of polling out its timeout as "not answering".
function provider(accepts: string): { provider: Provider; polls: string[] } {
  const polls: string[] = [];
  const p = {
    async guestReachable(
      target: { host: string; vm: string; os: 'windows' | 'linux'; credential: { username: string } },
      ctx: { address: string },
    ) {
      polls.push(target.credential.username);
      if (target.credential.username !== accepts)
        throw credentialRefused({
          address: ctx.address,
          host: target.host,
          vm: target.vm,
          os: target.os,
          username: target.credential.username,
          message: 'The credential is invalid.',
        });
      return true;
    },
  } as unknown as Provider;
  return { provider: p, polls };
}

const credentials = {
  get: (name: string) => ({ name, username: name, password: new Secret('x') }),
  secretValues: () => [],
};
const request = {
  wait: 'powershellDirect' as const,
  host: 'hv01',
  vm: 'dc01',
  os: 'windows' as const,
  address: 'vm.dc01',
  credential: 'local-admin',
  timeoutMs: 600_000,
};

describe('a refused credential in the PowerShell Direct wait', () => {
  it('fails at once, as an authentication refusal, after one poll', async () => {
    const clock = new VirtualClock();
    const { provider: p, polls } = provider('nobody');
    const error = await waitUntil(request, { provider: p, clock, credentials, logger: silentLogger }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      retryable: false,
      record: { category: 'AuthenticationError' },
      message:
        'PowerShell Direct into dc01 refused the credential of local-admin: The credential is invalid.',
    });
    expect(polls).toEqual(['local-admin']);
    expect(clock.now()).toBe(0);
  });

  it("tries the step's alternate credential (a DC on a re-run) before giving up", async () => {
    const clock = new VirtualClock();
    const { provider: p, polls } = provider('domain-admin');
    await expect(
      waitUntil(
        { ...request, alternateCredential: 'domain-admin' },
        { provider: p, clock, credentials, logger: silentLogger },
      ),
    ).resolves.toBe('answering');
    expect(polls).toEqual(['local-admin', 'domain-admin']);
  });
});
