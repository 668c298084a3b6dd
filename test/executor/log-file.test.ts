import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { createLogger } from '../../src/log/create-logger.js';
import { FakeProvider, SECRET_VALUE, fakeCredentials, fatal, transient } from '../support/fake-provider.js';
import { createVm, guestStep, hostStep, waitStep } from '../support/steps.js';

describe('--log-file', () => {
  it('logs every step, provider call, retry and wait poll as pino JSON, with secrets redacted', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'labform-log-')), 'run.log');
    const logger = createLogger({ file, level: 'debug' });
    const clock = new VirtualClock();
    const credentials = fakeCredentials();
    const provider = new FakeProvider(clock, {
      failures: { 'createVm:a': [transient()], 'createVm:b': [fatal(`denied for ${SECRET_VALUE}`)] },
      heartbeats: { a: ['NoContact', 'OK'] },
    });
    await executePlan({
      plan: {
        lab: 'demo',
        steps: [
          hostStep('vm.a/create', createVm('a')),
          hostStep('vm.b/create', createVm('b')),
          waitStep('vm.a/wait-heartbeat', 'heartbeat', 'a', { dependsOn: ['vm.a/create'], stablePolls: 1 }),
          guestStep(
            'vm.a/rename',
            'a',
            { op: 'setComputerName', computerName: 'A' },
            { dependsOn: ['vm.a/wait-heartbeat'] },
          ),
        ],
      },
      provider,
      credentials,
      clock,
      logger: logger.child({ password: credentials.get('x').password, run: 'test' }),
      parallelism: 4,
      perHostParallelism: 4,
    });
    const text = await readFile(file, 'utf8');
    const records = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const messages = records.map((r) => r.msg);
    expect(messages).toContain('step started: vm.a/create');
    expect(messages).toContain('step done: vm.a/create');
    expect(messages).toContain('step failed: vm.b/create');
    expect(messages).toContain('retrying after a transient failure');
    expect(messages.filter((m) => m === 'provider call').length).toBeGreaterThanOrEqual(4);
    expect(messages.filter((m) => m === 'wait poll')).toHaveLength(2);
    expect(messages).toContain('run finished');
    expect(text).not.toContain(SECRET_VALUE);
    expect(records[0]!.password).toBe('(sensitive)');
  });
});
