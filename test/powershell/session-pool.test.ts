import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionPool, type SessionPool } from '../../src/powershell/session-pool.js';
import type { InvokeRequest, StartableSession } from '../../src/powershell/session.js';
import { ProviderError } from '../../src/errors.js';
import { describePwsh } from '../support/pwsh.js';
import { captureLogger, pwshSession, TEST_LIBRARY } from './support.js';

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

/**
 * WinRM's answer when the account's MaxShellsPerUser quota is reached (the PowerShell team,
 * "Configuring WSMAN Limits", https://devblogs.microsoft.com/powershell/configuring-wsman-limits/:
 * OpenError, PSRemotingTransportException, PSSessionOpenFailed), as create-session.ts reports a
 * session that could not start.
 */
function quotaRefusal(host: string, shells: number): ProviderError {
  return new ProviderError({
    message: `could not start PowerShell on host ${host} over winrm://${host}: loading the library failed: Connecting to remote server ${host} failed with the following error message : The WS-Management service cannot process the request. This user is allowed a maximum number of ${shells} concurrent shells, which has been exceeded. Close existing shells or raise the quota for this user. For more information, see the about_Remote_Troubleshooting Help topic.`,
    address: `host.${host}`,
    retryable: false,
    host,
  });
}

/** A host taking `shells` sessions: later starts are refused as WinRM refuses them. */
const quota = (shells: number) => (host: string, n: number) =>
  n > shells ? quotaRefusal(host, shells) : undefined;

/** The warnings a pino logger wrote. */
function warnings(text: string): { msg: string; host: string; sessions: number; error: string }[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as { level: number; msg: string; host: string; sessions: number; error: string },
    )
    .filter((entry) => entry.level === 40);
}

/** Opens every gate as its request starts, until all the requests have settled. */
async function runAll<T>(fake: ReturnType<typeof gatedSessions>, requests: Promise<T>[]): Promise<T[]> {
  let done = false;
  const all = Promise.all(requests).finally(() => (done = true));
  let opened = fake.started.length;
  while (!done) {
    await settle();
    for (const entry of fake.started.slice(opened)) {
      opened++;
      fake.open(entry.slice(0, entry.indexOf('@')));
    }
  }
  return all;
}

describe('session pool on a host that refuses more sessions', () => {
  it('keeps the sessions that worked: every request completes, one warning, no further starts', async () => {
    const fake = gatedSessions(quota(2));
    const log = captureLogger();
    const pool = createSessionPool({ parallelism: 4, sessionFor: fake.sessionFor, logger: log.logger });
    const host = pool.get('hv01');
    // The plan's discovery starts the first session.
    const discovery = host.invoke(request('discover'));
    await settle();
    fake.open('discover');
    await discovery;
    // Apply: more steps than the host takes sessions, and the waits' polls among them.
    const ids = ['s1', 's2', 's3', 's4', 's5', 's6'];
    const answers = await runAll(fake, [
      ...ids.map((id) => host.invoke<string>(request(id))),
      host.invoke<string>(request('poll1', true)),
      host.invoke<string>(request('poll2', true)),
    ]);
    // Every request ran, on the two sessions the host took.
    expect(answers).toHaveLength(8);
    expect(new Set(answers)).toEqual(new Set(['hv01#1', 'hv01#2']));
    // Steps 2 to 4 and the first poll started sessions at once: one worked, the host refused the others.
    expect(fake.starts).toEqual(['hv01#1', 'hv01#2', 'hv01#3 refused', 'hv01#4 refused', 'hv01#5 refused']);
    expect(fake.closed.sort()).toEqual(['hv01#3', 'hv01#4', 'hv01#5']);
    // The rest of the run stays on two sessions: a second burst starts nothing.
    await runAll(
      fake,
      ['t1', 't2', 't3', 't4', 'poll3'].map((id) => host.invoke(request(id, id.startsWith('poll')))),
    );
    expect(fake.starts).toHaveLength(5);
    const warned = warnings(log.text());
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ host: 'hv01', sessions: 2 });
    expect(warned[0]!.msg).toMatch(
      /^host hv01 refused a PowerShell session beyond 2 \(labform wanted up to 5\)/,
    );
    expect(warned[0]!.msg).toMatch(/MaxShellsPerUser/);
    expect(warned[0]!.error).toMatch(/This user is allowed a maximum number of 2 concurrent shells/);
    // Another host has its own sessions and its own limit.
    const other = pool.get('hv02').invoke(request('other'));
    await settle();
    fake.open('other');
    expect(await other).toBe('hv02#1');
    await pool.closeAll();
  });

  it('with two sessions, one stays for quick requests: steps take turns, polls never wait behind them', async () => {
    const fake = gatedSessions(quota(2));
    const pool = createSessionPool({ parallelism: 4, sessionFor: fake.sessionFor });
    const host = pool.get('hv01');
    const first = host.invoke(request('first'));
    await settle();
    fake.open('first');
    await first;
    const long = host.invoke(request('long'));
    const next = host.invoke(request('next'));
    const more = host.invoke(request('more'));
    await settle();
    // "next" started the second session; the host refused a third for "more", which waits.
    expect(fake.starts).toEqual(['hv01#1', 'hv01#2', 'hv01#3 refused']);
    expect(fake.started).toEqual(['first@hv01#1', 'long@hv01#1', 'next@hv01#2']);
    // Both sessions run steps (they had them before the host said no): a poll waits for the first free one.
    const poll = host.invoke(request('poll', true));
    await settle();
    fake.open('long');
    await long;
    await settle();
    expect(fake.started.at(-1)).toBe('poll@hv01#1');
    fake.open('poll');
    await poll;
    await settle();
    // From now on one session stays for quick requests: "more" waits for the step still running.
    expect(fake.started).not.toContain('more@hv01#1');
    const poll2 = host.invoke(request('poll2', true));
    await settle();
    expect(fake.started.at(-1)).toBe('poll2@hv01#1');
    fake.open('poll2');
    await poll2;
    fake.open('next');
    await next;
    await settle();
    expect(fake.started.at(-1)).toMatch(/^more@hv01#[12]$/);
    fake.open('more');
    await more;
    expect(fake.starts).toHaveLength(3);
    await pool.closeAll();
  });

  it('reports a host that takes no session at all as it is, and tries again for the next request', async () => {
    const fake = gatedSessions((host, n) => (n === 1 ? quotaRefusal(host, 0) : undefined));
    const log = captureLogger();
    const pool = createSessionPool({ parallelism: 4, sessionFor: fake.sessionFor, logger: log.logger });
    const host = pool.get('hv01');
    const [failed, waiting] = [host.invoke(request('a')), host.invoke(request('b'))];
    await expect(failed).rejects.toThrow(
      /could not start PowerShell on host hv01 .*maximum number of 0 concurrent shells/,
    );
    // The request queued behind the first start tried its own, which worked.
    await settle();
    fake.open('b');
    expect(await waiting).toBe('hv01#2');
    expect(fake.starts).toEqual(['hv01#1 refused', 'hv01#2']);
    expect(warnings(log.text())).toEqual([]);
    await pool.closeAll();
  });

  it('with one session, a stream and the poll it waits on both complete, and a waiting poll goes before waiting steps', async () => {
    const fake = gatedSessions(quota(1));
    const pool = createSessionPool({ parallelism: 4, sessionFor: fake.sessionFor });
    const host = pool.get('hv01');
    const discovery = host.invoke(request('discover'));
    await settle();
    fake.open('discover');
    await discovery;
    // `labform exec`: the stream holds the session from its start to its last receive, and waits
    // on a poll through the pool in between.
    const stream = pool.hold('hv01', async (session) => {
      await session.invoke(request('exec-start'));
      const polled = await pool.get('hv01').invoke<string>(request('stream-poll', true));
      const received = await session.invoke<string>(request('exec-receive'));
      return [polled, received];
    });
    // A step arrives meanwhile: the host refuses it a session of its own, so it waits.
    const step = host.invoke(request('step'));
    await settle();
    expect(fake.starts).toEqual(['hv01#1', 'hv01#2 refused']);
    expect(fake.started).toEqual(['discover@hv01#1', 'exec-start@hv01#1']);
    fake.open('exec-start');
    await settle();
    // The poll shares the stream's session (the host has no other): the stream does not starve.
    expect(fake.started.at(-1)).toBe('stream-poll@hv01#1');
    fake.open('stream-poll');
    await settle();
    expect(fake.started.at(-1)).toBe('exec-receive@hv01#1');
    fake.open('exec-receive');
    expect(await stream).toEqual(['hv01#1', 'hv01#1']);
    // The step runs once the stream let go; another step and a poll arrive behind it.
    await settle();
    expect(fake.started.at(-1)).toBe('step@hv01#1');
    const after = host.invoke(request('after'));
    const poll = host.invoke(request('poll', true));
    await settle();
    fake.open('step');
    expect(await step).toBe('hv01#1');
    await settle();
    expect(fake.started.at(-1)).toBe('poll@hv01#1');
    fake.open('poll');
    await poll;
    await settle();
    expect(fake.started.at(-1)).toBe('after@hv01#1');
    fake.open('after');
    expect(await after).toBe('hv01#1');
    // One refusal was enough: no start was tried again.
    expect(fake.starts).toEqual(['hv01#1', 'hv01#2 refused']);
    await pool.closeAll();
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
