import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionPool, type SessionPool } from '../../src/powershell/session-pool.js';
import type { InvokeRequest, StartableSession } from '../../src/powershell/session.js';
import { ProviderError } from '../../src/errors.js';
import { describePwsh } from '../support/pwsh.js';
import { pwshSession, TEST_LIBRARY } from './support.js';

/**
 * In-memory sessions whose requests end when the test opens their gate. Like real sessions, a
 * session runs its requests one at a time (a shared session queues them). `refuse(n)` gives the
 * error the nth start of a host fails with, if any.
 */
function gatedSessions(refuse: (host: string, n: number) => Error | undefined = () => undefined) {
  const created: string[] = [];
  const closed: string[] = [];
  const started: string[] = [];
  /** Every start attempted, `hv01#3 refused` for a refused one. */
  const starts: string[] = [];
  const gates = new Map<string, () => void>();
  const sessionFor = (host: string): StartableSession => {
    const n = created.filter((c) => c.startsWith(`${host}#`)).length + 1;
    const name = `${host}#${n}`;
    created.push(name);
    let queue: Promise<unknown> = Promise.resolve();
    return {
      start: async () => {
        const error = refuse(host, n);
        starts.push(error ? `${name} refused` : name);
        if (error) throw error;
      },
      invoke: <T>(request: InvokeRequest) => {
        const run = queue.then(
          () =>
            new Promise<T>((resolve) => {
              const id = String(request.parameters.id);
              started.push(`${id}@${name}`);
              gates.set(id, () => resolve(name as T));
            }),
        );
        queue = run.catch(() => undefined);
        return run;
      },
      close: async () => {
        closed.push(name);
        if (name === 'bad#1') throw new Error('close failed');
      },
    };
  };
  const open = (id: string) => {
    const gate = gates.get(id);
    if (!gate) throw new Error(`request ${id} has not started`);
    gates.delete(id);
    gate();
  };
  return { sessionFor, created, closed, started, starts, open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const request = (id: string, quick = false): InvokeRequest => ({
  command: 'Get-LabformEcho',
  parameters: { id },
  ...(quick ? { quick } : {}),
});

describe('session pool', () => {
  it('starts a session only when none is idle: requests one after another share one', async () => {
    const fake = gatedSessions();
    const pool = createSessionPool({ parallelism: 4, sessionFor: fake.sessionFor });
    expect(fake.created).toEqual([]);
    for (const id of ['a', 'b', 'c']) {
      const answer = pool.get('hv01').invoke(request(id));
      await settle();
      fake.open(id);
      expect(await answer).toBe('hv01#1');
    }
    expect(fake.created).toEqual(['hv01#1']);
  });

  it('runs up to parallelism requests of a host at once, queues the next, and keeps one session for quick requests', async () => {
    const fake = gatedSessions();
    const pool = createSessionPool({ parallelism: 2, sessionFor: fake.sessionFor });
    const host = pool.get('hv01');
    const one = host.invoke(request('one'));
    const two = host.invoke(request('two'));
    const three = host.invoke(request('three'));
    await settle();
    // Two long requests overlap, each on its own session; the third waits for one of them.
    expect(fake.started).toEqual(['one@hv01#1', 'two@hv01#2']);
    const poll = host.invoke(request('poll', true));
    await settle();
    expect(fake.started).toEqual(['one@hv01#1', 'two@hv01#2', 'poll@hv01#3']);
    fake.open('poll');
    expect(await poll).toBe('hv01#3');
    await settle();
    // The reserved session is not for ordinary requests: the third still waits.
    expect(fake.started).not.toContain('three@hv01#3');
    fake.open('two');
    expect(await two).toBe('hv01#2');
    await settle();
    expect(fake.started.at(-1)).toBe('three@hv01#2');
    fake.open('three');
    fake.open('one');
    expect(await Promise.all([one, three])).toEqual(['hv01#1', 'hv01#2']);
    // Another host has sessions of its own.
    const other = pool.get('hv02').invoke(request('other'));
    await settle();
    fake.open('other');
    expect(await other).toBe('hv02#1');
    expect(fake.created).toEqual(['hv01#1', 'hv01#2', 'hv01#3', 'hv02#1']);
  });

  it('holds one session for every request of a stream, while other requests use other sessions', async () => {
    const fake = gatedSessions();
    const pool = createSessionPool({ parallelism: 2, sessionFor: fake.sessionFor });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const answers: unknown[] = [];
    const stream = pool.hold('hv01', async (session) => {
      for (const id of ['start', 'receive']) {
        const answer = session.invoke(request(id));
        await settle();
        fake.open(id);
        answers.push(await answer);
      }
      await released;
      const last = session.invoke(request('stop'));
      await settle();
      fake.open('stop');
      answers.push(await last);
    });
    await settle();
    await settle();
    // Between the stream's requests its session stays its own: another request starts a second one.
    const other = pool.get('hv01').invoke(request('other'));
    await settle();
    fake.open('other');
    expect(await other).toBe('hv01#2');
    release();
    await stream;
    expect(answers).toEqual(['hv01#1', 'hv01#1', 'hv01#1']);
  });

  it('closes every session of every host, also when one fails to close, and refuses queued requests', async () => {
    const fake = gatedSessions();
    const pool = createSessionPool({ parallelism: 1, sessionFor: fake.sessionFor });
    const running = pool.get('bad').invoke(request('running'));
    const queued = pool.get('bad').invoke(request('queued'));
    const idle = pool.get('hv01').invoke(request('idle'));
    await settle();
    fake.open('idle');
    await idle;
    const closing = pool.closeAll();
    fake.open('running');
    await closing;
    expect(fake.closed.sort()).toEqual(['bad#1', 'hv01#1']);
    await running;
    await expect(queued).rejects.toThrow(/sessions to bad are closed/);
    // A request after closeAll starts afresh.
    const later = pool.get('hv01').invoke(request('later'));
    await settle();
    fake.open('later');
    expect(await later).toBe('hv01#2');
  });
});

describePwsh('session pool over real PowerShell processes', () => {
  let dir: string;
  let pool: SessionPool;
  const gateLibrary = String.raw`
function Wait-LabformGate { param([string]$Path) while (-not (Test-Path -LiteralPath $Path)) { Start-Sleep -Milliseconds 20 }; return $PID }
function Open-LabformGate { param([string]$Path) Set-Content -LiteralPath $Path -Value open; return $PID }
function Stop-LabformSelf { [Environment]::Exit(3) }
`;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'labform-pool-'));
    pool = createSessionPool({
      parallelism: 2,
      sessionFor: (host) => pwshSession({ host, libraryScripts: [TEST_LIBRARY, gateLibrary] }),
    });
  });
  afterAll(async () => {
    await pool?.closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs two long requests of one host at once: the first ends only because the second ran', async () => {
    const gate = join(dir, 'gate');
    const host = pool.get('hv01');
    // The waiter returns only once the gate file exists, and only the opener makes it: with one
    // session the opener would queue behind the waiter and the waiter would time out. (Which
    // answer arrives first is not fixed: the waiter may see the file before the opener's own
    // answer is back.)
    const waiting = host.invoke<number>({
      command: 'Wait-LabformGate',
      parameters: { Path: gate },
      timeoutMs: 60_000,
    });
    const opening = host.invoke<number>({
      command: 'Open-LabformGate',
      parameters: { Path: gate },
      timeoutMs: 60_000,
    });
    const [waiter, opener] = await Promise.all([waiting, opening]);
    expect(existsSync(gate)).toBe(true);
    expect(waiter).not.toBe(opener);
  }, 120_000);

  it('replaces a session whose process died; the error names the host and the exit', async () => {
    const host = pool.get('hv07');
    const before = await host.invoke<number>({ command: 'Get-LabformPid', parameters: {} });
    const error = await host.invoke({ command: 'Stop-LabformSelf', parameters: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(
      /the PowerShell process on hv07 .* exited while running Stop-LabformSelf/,
    );
    expect((error as Error).message).toMatch(/exited with code 3/);
    const after = await host.invoke<number>({ command: 'Get-LabformPid', parameters: {} });
    expect(after).not.toBe(before);
  }, 120_000);
});
