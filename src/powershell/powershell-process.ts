import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import type { Logger } from '../log/logger.js';
import { encodeCommand, renderStage1, STAGE0 } from './bootstrap.js';
import type { Launch } from './transport.js';
import { encodeRequest, encodeScriptLine, LineSplitter, parseAnswerLine } from './wire.js';
import type { Answer } from './wire.js';

/** How a PowerShell process ended. */
export interface ProcessExit {
  code?: number;
  signal?: string;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: string;
  stderrTail: string[];
}

/** The process ended while a request waited for its answer. */
export class ProcessExitedError extends Error {
  constructor(readonly exit: ProcessExit) {
    super('the PowerShell process exited');
  }
}

const STDERR_TAIL = 20;

export interface ProcessOptions {
  /** The command line for the given -EncodedCommand text. */
  launch: (encodedCommand: string) => Launch;
  env?: Record<string, string>;
  logger: Logger;
  host: string;
  /** Hides secret values in what is logged or kept from the process's output. */
  scrub?: (text: string) => string;
}

/**
 * One PowerShell process speaking the framed protocol. It does not restart itself or time
 * out: the session decides that. Answers are matched to requests by id.
 */
export class PowerShellProcess {
  readonly exited: Promise<ProcessExit>;
  #alive = true;
  readonly #pending = new Map<string, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  readonly #stderrTail: string[] = [];
  readonly #child: ReturnType<typeof execa>;
  readonly #nonce = randomBytes(16).toString('hex');

  private constructor(options: ProcessOptions) {
    const launch = options.launch(encodeCommand(STAGE0));
    const { logger } = options;
    const scrub = options.scrub ?? ((text: string) => text);
    this.#child = execa(launch.file, launch.args, {
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      env: options.env,
      extendEnv: true,
      windowsHide: true,
      cleanup: true,
    });
    const out = new LineSplitter((line) => this.#onStdoutLine(line, logger, scrub));
    const err = new LineSplitter((raw) => {
      if (raw.trim() === '') return;
      const line = scrub(raw);
      this.#stderrTail.push(line);
      if (this.#stderrTail.length > STDERR_TAIL) this.#stderrTail.shift();
      logger.debug({ host: options.host, stderr: line }, 'powershell stderr');
    });
    this.#child.stdout?.on('data', (chunk: Buffer | string) => out.push(chunk));
    this.#child.stderr?.on('data', (chunk: Buffer | string) => err.push(chunk));
    // Writing to a process that just died raises EPIPE here; the exit handler reports it.
    this.#child.stdin?.on('error', (error: Error) =>
      logger.debug({ host: options.host, err: error.message }, 'powershell stdin'),
    );
    this.exited = this.#child.then((result) => {
      out.flush();
      err.flush();
      this.#alive = false;
      const spawnError =
        result.exitCode === undefined && !result.signal
          ? result.originalMessage || result.message
          : undefined;
      const exit: ProcessExit = {
        code: result.exitCode,
        signal: result.signal ?? undefined,
        spawnError,
        stderrTail: [...this.#stderrTail],
      };
      for (const waiter of this.#pending.values()) waiter.reject(new ProcessExitedError(exit));
      this.#pending.clear();
      return exit;
    });
    const stage1 = renderStage1({ nonce: this.#nonce, remoteHost: launch.remoteHost });
    this.#write(encodeScriptLine(stage1));
  }

  static start(options: ProcessOptions): PowerShellProcess {
    return new PowerShellProcess(options);
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Sends one request; resolves with its answer, rejects with ProcessExitedError. */
  request(request: { id: string; command: string; parameters: unknown }): Promise<Answer> {
    if (!this.#alive) return this.exited.then((exit) => Promise.reject(new ProcessExitedError(exit)));
    // Encode before registering: a value JSON cannot carry throws here, nothing is left waiting.
    const line = encodeRequest(request);
    return new Promise<Answer>((resolve, reject) => {
      this.#pending.set(request.id, { resolve, reject });
      this.#write(line);
    });
  }

  /** Forgets a request (timed out); a late answer is then ignored. */
  forget(id: string): void {
    this.#pending.delete(id);
  }

  kill(): void {
    this.#child.kill('SIGKILL');
  }

  /** Closes stdin: the far side's loop ends at end of input. */
  endInput(): void {
    this.#child.stdin?.end();
  }

  #write(text: string): void {
    if (this.#child.stdin && !this.#child.stdin.destroyed) this.#child.stdin.write(text);
  }

  #onStdoutLine(line: string, logger: Logger, scrub: (text: string) => string): void {
    let answer: Answer | undefined;
    try {
      answer = parseAnswerLine(line, this.#nonce);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'unreadable answer from PowerShell');
      // Fail the request now rather than at its timeout.
      const id = line.slice(line.indexOf(`${this.#nonce}:`) + this.#nonce.length + 1).split(':')[0] ?? '';
      const record = {
        message: `unreadable answer from PowerShell: ${(error as Error).message}`,
        category: 'ParserError',
        fullyQualifiedErrorId: 'LabformUnreadableAnswer',
      };
      answer = { id, ok: false, error: record };
    }
    if (!answer) {
      // Host output of cmdlets (Write-Host, warnings, stray objects): never part of an answer.
      if (line.trim() !== '')
        logger.debug(
          { noise: scrub(line.length > 2000 ? `${line.slice(0, 2000)}…` : line) },
          'powershell output',
        );
      return;
    }
    const waiter = this.#pending.get(answer.id);
    if (!waiter) {
      logger.debug({ id: answer.id }, 'answer for a request nobody waits for');
      return;
    }
    this.#pending.delete(answer.id);
    waiter.resolve(answer);
  }
}
