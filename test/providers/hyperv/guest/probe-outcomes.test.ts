/**
 * The host's answer to a probe batch, read back: one result per probe asked, and what a guest
 * says it cannot become in place (`replace`: a domain controller of another domain) kept, so
 * the Hyper-V provider plans a replacement as the simulator does.
 */
import { describe, expect, it } from 'vitest';
import { probeOutcomesFromJson } from '../../../../src/providers/hyperv/guest/probe-batch-request.js';
import type { GuestProbeBatch } from '../../../../src/providers/provider.js';

const batch: GuestProbeBatch = {
  lab: 'truth',
  credentials: {},
  timeoutMs: 20_000,
  requests: [
    {
      vm: 'dc1',
      os: 'windows',
      credentials: ['domain-admin'],
      operations: [
        {
          op: 'createForest',
          domain: 'other.test',
          netbios: 'OTHER',
          safeModePassword: 'safe-mode',
          domainAdmin: 'domain-admin',
        },
        { op: 'readRoles' },
      ],
    },
  ],
};

describe('probeOutcomesFromJson', () => {
  it('keeps replace, detail and the role records of an answered guest', () => {
    const [outcome] = probeOutcomesFromJson(batch, [
      {
        vm: 'DC1',
        status: 'answered',
        credential: 'domain-admin',
        results: [
          { done: false, detail: 'domain truth.test, role 5', replace: 'a domain controller of truth.test' },
          { done: true, detail: '[]', replace: '' },
        ],
      },
    ]);
    expect(outcome).toEqual({
      vm: 'dc1',
      status: 'answered',
      credential: 'domain-admin',
      results: [
        { done: false, detail: 'domain truth.test, role 5', replace: 'a domain controller of truth.test' },
        { done: true, detail: '[]' },
      ],
    });
  });

  it('refuses an answer with another number of results than probes asked', () => {
    expect(() =>
      probeOutcomesFromJson(batch, [{ vm: 'dc1', status: 'answered', results: [{ done: true }] }]),
    ).toThrow(/answered 1 results for 2 probes/);
  });
});
