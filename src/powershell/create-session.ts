import PQueue from 'p-queue';
import { InternalError, ProviderError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { mapErrorRecord } from './error-mapping.js';
import { PowerShellProcess, ProcessExitedError } from './powershell-process.js';
import type { ProcessExit } from './powershell-process.js';
import type { InvokeRequest, StartableSession } from './session.js';
import { launchFor, remoteSessionOptions } from './transport.js';
import type { Transport } from './transport.js';
import { collectSecrets } from './wire.js';
import { scrubSecrets } from '../secrets/scrub.js';
import type { Answer } from './wire.js';
import type { ErrorRecord } from '../errors.js';

export interface SessionOptions {
  /** Host name, for messages and logs. */
  host: string;
  transport: Transport;
  /** PowerShell script texts dot-sourced at start; their functions are all a request may call. */
  libraryScripts: string[];
  /** Module paths Import-Module'd before the library (e.g. the fake Hyper-V module in tests). */
  modules?: string[];
  /** Extra environment for the local process (ssh/winrm: the local side only). */
  env?: Record<string, string>;
  /** Per-request timeout when the request names none. Default 10 minutes. */
  defaultTimeoutMs?: number;
  /** Time for the process to start and load the library. Default 60 s. */
  startTimeoutMs?: number;
  /** After the exit request, how long before the process is killed. Default 5 s. */
  closeGraceMs?: number;
  logger?: Logger;
  /** Local PowerShell executable; default LABFORM_PWSH, else powershell.exe / pwsh by shell. */
  executable?: string;
  /** ssh executable; default LABFORM_SSH, else ssh. */
  sshExecutable?: string;
}

function describeExit(exit: ProcessExit): string {
  const how = exit.spawnError
    ? `could not be started (${exit.spawnError})`
    : exit.signal
      ? `was killed by ${exit.signal}`
      : `exited with code ${exit.code}`;
  const tail = exit.stderrTail.slice(-5).join(' | ');
  return tail ? `${how}; last stderr: ${tail}` : how;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

class Session implements StartableSession {
  readonly #options: SessionOptions;
  readonly #logger: Logger;
  readonly #queue = new PQueue({ concurrency: 1 });
  readonly #describe: string;
  readonly #hint: string;
  #process?: PowerShellProcess;
  #nextId = 1;
  #closed = false;
  /** Secret values sent so far: never echoed back in errors or logs. */
  readonly #secrets = new Set<string>();

  constructor(options: SessionOptions) {
    this.#options = options;
    this.#logger = (options.logger ?? silentLogger).child({ host: options.host });
    const launch = this.#launch('');
    this.#describe = launch.describe;
    this.#hint = launch.hint;
  }

  invoke<T = unknown>(request: InvokeRequest): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        new InternalError(`the PowerShell session to ${this.#options.host} is closed (${request.command})`),
      );
    }
    // Internal commands (__load, __exit) and anything that is not a plain function name never reach the pipe.
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(request.command)) {
      const record = {
        message: `labform: ${request.command} is not a function of the loaded library`,
        category: 'PermissionDenied',
        fullyQualifiedErrorId: 'LabformCommandNotAllowed',
        target: request.command,
      };
      return Promise.reject(
        mapErrorRecord({
          record,
          host: this.#options.host,
          command: request.command,
          address: request.address,
        }),
      );
    }
    // One request at a time: a session is one PowerShell pipeline.
    return this.#queue.add(() => this.#run(request), { throwOnTimeout: true }) as Promise<T>;
  }

  start(): Promise<void> {
    if (this.#closed)
      return Promise.reject(new InternalError(`the PowerShell session to ${this.#options.host} is closed`));
    return this.#queue.add(async () => {
      await this.#ensureStarted();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.add(async () => {
      const proc = this.#process;
      this.#process = undefined;
      if (!proc?.alive) return;
      proc.request({ id: 'exit', command: '__exit', parameters: {} }).catch(() => undefined);
      proc.endInput();
      const grace = this.#options.closeGraceMs ?? 5000;
      const ended = await Promise.race([proc.exited.then(() => true), delay(grace).then(() => false)]);
      if (!ended) proc.kill();
      await proc.exited;
    });
  }

  #launch(encodedCommand: string) {
    const { transport, executable, sshExecutable } = this.#options;
    return launchFor({ transport, encodedCommand, executable, sshExecutable });
  }

  async #run(request: InvokeRequest): Promise<unknown> {
    const timeoutMs = request.timeoutMs ?? this.#options.defaultTimeoutMs ?? 600_000;
    let restarted = false;
    for (;;) {
      const proc = await this.#ensureStarted();
      try {
        const answer = await this.#send(proc, request.command, request.parameters, timeoutMs, request);
        if (answer.ok) return answer.result;
        throw mapErrorRecord({
          record: this.#scrubRecord(answer.error),
          host: this.#options.host,
          command: request.command,
          address: request.address,
        });
      } catch (error) {
        if (!(error instanceof ProcessExitedError)) throw error;
        this.#process = undefined;
        // The request may have taken effect before the process died: only re-send what is safe to.
        if (!restarted && request.safeToRetry) {
          restarted = true;
          this.#logger.warn(
            { command: request.command, exit: describeExit(error.exit) },
            'PowerShell process died; restarting and retrying',
          );
          continue;
        }
        throw new ProviderError({
          message: `the PowerShell process on ${this.#options.host} (${this.#describe}) exited while running ${request.command}: ${describeExit(error.exit)}${request.safeToRetry ? ' (already restarted and retried once)' : ' (not retried: the operation is not safe to repeat)'}`,
          address: request.address ?? `host.${this.#options.host}`,
          retryable: false,
          host: this.#options.host,
        });
      }
    }
  }

  #scrub = (text: string): string => scrubSecrets(text, this.#secrets);

  #scrubRecord(record: ErrorRecord): ErrorRecord {
    // Every field: `throw 'text'` puts the text in the error id and the target too.
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record))
      out[key] = typeof value === 'string' ? this.#scrub(value) : value;
    return out as unknown as ErrorRecord;
  }

  async #send(
    proc: PowerShellProcess,
    command: string,
    parameters: unknown,
    timeoutMs: number,
    request?: InvokeRequest,
  ): Promise<Answer> {
    const id = String(this.#nextId++);
    collectSecrets(parameters, this.#secrets);
    // Ordinary serialisation for logs: a Secret renders as (sensitive).
    this.#logger.debug({ id, command, parameters }, 'powershell request');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        proc.forget(id);
        // A hung request poisons the pipeline: kill it, the next request starts a fresh process.
        proc.kill();
        if (this.#process === proc) this.#process = undefined;
        reject(
          new ProviderError({
            message: `${command} on ${this.#options.host} did not answer within ${Math.round(timeoutMs / 1000)} s (timeout ${timeoutMs} ms); the PowerShell session was restarted`,
            address: request?.address ?? `host.${this.#options.host}`,
            retryable: request?.safeToRetry ?? false,
            host: this.#options.host,
          }),
        );
      }, timeoutMs);
    });
    try {
      const answer = await Promise.race([proc.request({ id, command, parameters }), timeout]);
      this.#logger.debug({ id, command, ok: answer.ok }, 'powershell answer');
      return answer;
    } finally {
      clearTimeout(timer);
    }
  }

  async #ensureStarted(): Promise<PowerShellProcess> {
    if (this.#process?.alive) return this.#process;
    const { host } = this.#options;
    this.#logger.debug({ transport: this.#describe }, 'starting PowerShell');
    const proc = PowerShellProcess.start({
      launch: (encoded) => this.#launch(encoded),
      env: this.#options.env,
      logger: this.#logger,
      host,
      scrub: this.#scrub,
    });
    const startTimeoutMs = this.#options.startTimeoutMs ?? 60_000;
    const failed = (what: string, hint = true) =>
      new ProviderError({
        message: `could not start PowerShell on host ${host} over ${this.#describe}: ${what}${hint ? `; ${this.#hint}` : ''}`,
        address: `host.${host}`,
        retryable: false,
        host,
      });
    let answer: Answer;
    try {
      const remote = remoteSessionOptions(this.#options.transport);
      answer = await this.#send(
        proc,
        '__load',
        {
          modules: this.#options.modules ?? [],
          scripts: this.#options.libraryScripts,
          ...(remote ? { remote } : {}),
        },
        startTimeoutMs,
      );
    } catch (error) {
      proc.kill();
      if (error instanceof ProcessExitedError) {
        // No local PowerShell at all (local, and winrm, which relays through one): say that, not
        // "check remoting". For ssh the missing program is the ssh client, whose hint fits.
        const local = this.#options.transport.kind !== 'ssh';
        if (local && error.exit.spawnError && /ENOENT|not found/i.test(error.exit.spawnError)) {
          const file = this.#launch('').file;
          throw new ProviderError({
            message: `no local PowerShell to reach host ${host} over ${this.#describe}: '${file}' was not found on this machine (${error.exit.spawnError}); this is the environment, not the host: install PowerShell (powershell.exe ships with Windows; pwsh: https://aka.ms/powershell) or set LABFORM_PWSH to its path`,
            address: `host.${host}`,
            retryable: false,
            host,
          });
        }
        throw failed(`the process ${describeExit(error.exit)}`);
      }
      if (error instanceof ProviderError) throw failed(`no answer within ${startTimeoutMs} ms`);
      throw error;
    }
    if (!answer.ok) {
      proc.kill();
      // The process runs, so the connection is fine, except for winrm where the PSSession opens here.
      // Over winrm the error is New-PSSession's, which may quote what the request carried.
      throw failed(
        `loading the library failed: ${this.#scrub(answer.error.message)}`,
        this.#options.transport.kind === 'winrm',
      );
    }
    this.#logger.debug({ functions: answer.result }, 'PowerShell session ready');
    this.#process = proc;
    return proc;
  }
}

/** A lazily started, self-restarting PowerShell session to one host. */
export function createSession(options: SessionOptions): StartableSession {
  return new Session(options);
}
