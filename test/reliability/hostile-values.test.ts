import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadLab } from '../../src/manifest/load-lab.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import type { CallContext } from '../../src/providers/call-context.js';
import { describePwsh } from '../support/pwsh.js';
import {
  credential,
  guestFixture,
  startWithCanary,
  type GuestFixture,
  PWSH_TIMEOUTS,
} from '../providers/hyperv/guest/guest-fixture.js';
import { tempDirSync } from '../support/cli-harness.js';

// The Hyper-V provider's own suites (test/providers/hyperv/injection.test.ts, guest/guest-injection.test.ts)
// prove switch/VM notes, disk paths, answer-file values, share names and paths, DNS zones, passwords
// and script text reach the fake cmdlets unchanged. This file covers the rest: the whole way from
// YAML text to the operations (nothing lost or rewritten by parsing, expansion or planning), and
// the domain join's OU and the join credential's user name through real pwsh.

const CHARS = [
  'a',
  'Z',
  '0',
  ' ',
  "'",
  '"',
  '`',
  '$',
  '(',
  ')',
  ';',
  '&',
  '|',
  '{',
  '}',
  '@',
  '#',
  '%',
  '\n',
  '\t',
  '‘',
  '’',
  'é',
  '日',
  '☃',
  '-',
  '.',
  ',',
  '\\',
];
const PAYLOADS = [
  '$(Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned)',
  "'; Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned; '",
  '"; Set-Content $env:LABFORM_CANARY pwned; "',
  '`$(whoami)',
  '\nSet-Content $env:LABFORM_CANARY pwned\n',
  '; rm -rf / #',
];
const hostile = fc
  .tuple(
    fc.array(fc.constantFrom(...CHARS), { maxLength: 10 }),
    fc.constantFrom(...PAYLOADS),
    fc.array(fc.constantFrom(...CHARS), { maxLength: 10 }),
  )
  .map(([a, p, b]) => `x${a.join('')}${p}${b.join('')}`);
// A single line (user names, share names and OUs hold no line breaks in Windows).
const hostileLine = hostile.map((s) => s.replace(/[\r\n\t]/g, ' ').trim() || 'x');
// Share names cannot hold \ / [ ] : | < > + = ; , ? * " (SMB); the rest goes.
const shareName = hostileLine.map((s) => s.replace(/[\\/[\]:|<>+=;,?*"]/g, '_').slice(0, 60) || 'x');

function manifest(v: {
  description: string;
  run: string;
  test: string;
  shareName: string;
  sharePath: string;
  ou: string;
  user: string;
  folder: string;
}) {
  return {
    apiVersion: 'labform/v1',
    kind: 'Lab',
    name: 'hostile',
    description: v.description,
    settings: { storagePath: `D:\\Labs\\${v.folder}` },
    hosts: [{ name: 'hv01', connect: 'local' }],
    images: [{ name: 'img', path: 'D:\\Images\\img.vhdx', os: 'windows', generation: 2 }],
    credentials: [
      { name: 'admin', username: v.user, password: { fromEnv: 'HOSTILE_PW' } },
      { name: 'dadmin', username: `HOSTILE\\${v.user}`, password: { fromEnv: 'HOSTILE_PW' } },
      { name: 'dsrm', username: 'DSRM', password: { fromEnv: 'HOSTILE_PW' } },
    ],
    networks: [{ name: 'Net', type: 'internal', host: 'hv01', prefix: '10.9.0.0/24' }],
    vms: [
      {
        name: 'dc01',
        host: 'hv01',
        image: 'img',
        memory: '2GB',
        credential: 'admin',
        network: [{ network: 'Net', ip: '10.9.0.10/24' }],
        roles: [
          {
            domainController: {
              domain: 'hostile.test',
              netbios: 'HOSTILE',
              safeModePassword: 'dsrm',
              domainAdmin: 'dadmin',
            },
          },
          {
            fileServer: {
              shares: [{ name: v.shareName, path: v.sharePath, fullAccess: [`HOSTILE\\${v.user}`] }],
            },
          },
        ],
      },
      {
        name: 'm01',
        host: 'hv01',
        image: 'img',
        memory: '1GB',
        credential: 'admin',
        network: [{ network: 'Net', ip: '10.9.0.20/24' }],
        roles: [
          { domainMember: { domain: 'hostile.test', joinCredential: 'dadmin', ou: v.ou } },
          { script: { run: v.run, test: v.test, credential: 'dadmin' } },
        ],
      },
    ],
  };
}

describe('hostile values survive YAML, expansion and planning unchanged', () => {
  it('every string field that may hold them reaches its operation exactly (property-based)', async () => {
    const dir = tempDirSync('hostile');
    let planned = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          description: hostile,
          run: hostile,
          test: hostile,
          shareName,
          sharePath: hostileLine.map((s) => `C:\\Shares\\${s.replace(/[\\/:*?"<>|]/g, '_')}`),
          ou: hostileLine,
          user: hostileLine.map((s) => s.replace(/[\\/"[\]:|<>+=;,?*@]/g, '_').slice(0, 20) || 'x'),
          folder: hostileLine.map((s) => s.replace(/[\\/:*?"<>|]/g, '_').slice(0, 40) || 'x'),
        }),
        async (v) => {
          const file = join(dir, 'lab.yaml');
          writeFileSync(file, YAML.stringify(manifest(v)));
          const { lab, diagnostics } = await loadLab({ file });
          // Some folder names are not valid Windows paths: a clear diagnostic is fine, a crash is not.
          if (!lab) {
            expect(diagnostics.length).toBeGreaterThan(0);
            return;
          }
          expect(lab.description).toBe(v.description);
          expect(lab.credentials.find((c) => c.name === 'admin')!.username).toBe(v.user);
          const clock = new VirtualClock();
          const sim = await createSim({ lab, clock, memory: true });
          const credentials = createCredentialResolver({ lab, env: { HOSTILE_PW: `pw'"$(x)` } });
          const { plan } = await makePlan({
            lab,
            provider: sim,
            credentials,
            logger: silentLogger,
            mode: 'apply',
          });
          const ops = plan.steps
            .map((s) => (s as { operation?: Record<string, unknown> }).operation)
            .filter(Boolean) as Record<string, unknown>[];
          const script = ops.find((o) => o.op === 'runScript')!;
          expect(script).toMatchObject({ run: v.run, test: v.test });
          expect(ops.find((o) => o.op === 'createShare')).toMatchObject({
            name: v.shareName,
            path: v.sharePath,
            fullAccess: [`HOSTILE\\${v.user}`],
          });
          const joinOp = ops.find((o) => o.op === 'joinDomain' || o.op === 'offlineDomainJoin')!;
          expect(joinOp.ou).toBe(v.ou);
          const vm = ops.find((o) => o.op === 'createVm' && o.name === 'dc01')!;
          expect(String(vm.path)).toBe(`D:\\Labs\\${v.folder}\\dc01`);
          // The plan, as JSON, gives back the same values (nothing escaped twice or cut).
          expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
          await sim.close();
          planned++;
        },
      ),
      { numRuns: 25 },
    );
    // Most runs got through to a plan: the property was checked, not skipped.
    expect(planned).toBeGreaterThan(15);
  }, 120_000);
});

vi.setConfig(PWSH_TIMEOUTS);

describePwsh('hostile OU and join password through real pwsh and the fake module', () => {
  let f: GuestFixture;
  let canary: string;
  beforeAll(async () => {
    f = guestFixture();
    canary = await startWithCanary(f);
  });
  afterAll(async () => {
    await f?.close();
  });

  // The domain's administrator is Administrator (the credential gives its password): the user name is not free here.
  it('Add-Computer gets the OU and the credential exactly, and nothing runs', async () => {
    const user = 'Administrator';
    await fc.assert(
      fc.asyncProperty(hostileLine, hostile, async (ou, password) => {
        // The state records the OU by right: a password inside it could not be told apart.
        fc.pre(!ou.includes(password));
        f.seed([
          { name: 'dc01', macs: ['00155D000001'] },
          { name: 'm01', macs: ['00155D000002'] },
        ]);
        const creds = {
          'lab-admin': credential('lab-admin', 'Initial#1'),
          'domain-admin': credential('domain-admin', password, `CONTOSO\\${user}`),
          'safe-mode': credential('safe-mode', 'Safe#1'),
        };
        const ctx: CallContext = f.context(creds);
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
          { op: 'joinDomain', domain: 'contoso.com', joinCredential: 'domain-admin', ou, dns: ['10.0.0.10'] },
          ctx,
        );
        const call = f
          .state()
          .calls.filter((c) => c.cmdlet === 'Add-Computer')
          .at(-1)!;
        expect(call.parameters).toMatchObject({ DomainName: 'contoso.com', OUPath: ou });
        expect(JSON.stringify(call.parameters)).toContain(JSON.stringify(user).slice(1, -1));
        expect(f.guest('m01').domain).toBe('contoso.com');
        // The domain admin (hostile name and password) now logs on to the member: both arrived intact.
        expect(await f.runner.guestReachable(f.target('m01', creds['domain-admin']), ctx)).toBe(true);
        expect(JSON.stringify(f.state())).not.toContain(password);
        expect(existsSync(canary)).toBe(false);
      }),
      { numRuns: 8 },
    );
  });
});
