import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { Secret } from '../../src/secrets/secret.js';
import { describePwsh } from '../support/pwsh.js';
import { captureLogger, pwshSession, TEST_LIBRARY } from './support.js';

describePwsh('PowerShell session (real pwsh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'labform-session-'));
  const modulePath = join(dir, 'LabformTestModule.psm1');
  writeFileSync(
    modulePath,
    "function Get-ModuleThing { 'from module' }\nExport-ModuleMember -Function Get-ModuleThing\n",
  );
  const capture = captureLogger();
  const session = pwshSession({
    libraryScripts: [TEST_LIBRARY, 'function Get-LabformViaModule { Get-ModuleThing }'],
    modules: [modulePath],
    logger: capture.logger,
  });
  afterAll(() => session.close());

  it('answers requests with the function output: nothing, one object, several', async () => {
    expect(await session.invoke({ command: 'Get-LabformNothing', parameters: {} })).toBeNull();
    expect(await session.invoke({ command: 'Get-LabformMany', parameters: { Count: 1 } })).toEqual({ i: 0 });
    expect(await session.invoke({ command: 'Get-LabformMany', parameters: { Count: 3 } })).toEqual([
      { i: 0 },
      { i: 1 },
      { i: 2 },
    ]);
  });

  it('keeps one-element and empty arrays arrays, at the top and inside objects', async () => {
    expect(await session.invoke({ command: 'Get-LabformOneArray', parameters: {} })).toEqual([
      { name: 'only' },
    ]);
    expect(await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: ['x'] } })).toEqual(['x']);
    expect(await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: [] } })).toEqual([]);
    expect(await session.invoke({ command: 'Get-LabformNested', parameters: {} })).toEqual({
      one: ['x'],
      none: [],
      deep: { list: [{ n: 1 }] },
    });
  });

  it('decodes parameters as data: hashtables, arrays, numbers, ISO-looking strings stay strings', async () => {
    const types = await session.invoke<string[]>({
      command: 'Get-LabformTypes',
      parameters: {
        Value: {
          a: { b: 1 },
          c: [1],
          d: 'text',
          e: 2,
          f: true,
          g: null,
          h: '2024-01-01T00:00:00Z',
          i: 4294967296,
        },
      },
    });
    expect(types).toEqual([
      'a=System.Collections.Hashtable',
      'c=System.Object[]',
      'd=System.String',
      expect.stringMatching(/^e=System\.Int(32|64)$/),
      'f=System.Boolean',
      'g=null',
      'h=System.String',
      'i=System.Int64',
    ]);
  });

  it('ignores everything cmdlets write to the host, stdout or stderr', async () => {
    expect(await session.invoke({ command: 'Get-LabformNoisy', parameters: { Tag: 'first' } })).toEqual({
      tag: 'first',
    });
    expect(await session.invoke({ command: 'Get-LabformNoisy', parameters: { Tag: 'second' } })).toEqual({
      tag: 'second',
    });
    expect(await session.invoke({ command: 'Get-LabformMany', parameters: { Count: 2 } })).toEqual([
      { i: 0 },
      { i: 1 },
    ]);
    expect(capture.text()).toContain('host line');
    expect(capture.text()).toContain('a stderr line');
  });

  it('carries a 20 MB answer', async () => {
    const answer = await session.invoke<{ text: string }>({
      command: 'Get-LabformHuge',
      parameters: { Megabytes: 20 },
    });
    expect(answer.text.length).toBe(20 * 1024 * 1024);
    expect(/^x+$/.test(answer.text)).toBe(true);
    expect(await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: 'after' } })).toBe(
      'after',
    );
  });

  it('delivers secrets as SecureString and PSCredential, and never logs them', async () => {
    const password = 'Pa$$w0rd-`"\'-ünï-' + 'x'.repeat(20);
    const result = await session.invoke({
      command: 'Test-LabformSecret',
      parameters: {
        Password: new Secret(password),
        Credential: { name: 'lab-admin', username: 'LAB\\admin', password: new Secret(password) },
      },
    });
    expect(result).toEqual({
      passwordType: 'System.Security.SecureString',
      credentialType: 'System.Management.Automation.PSCredential',
      user: 'LAB\\admin',
      same: true,
      length: password.length,
    });
    const logs = capture.text();
    expect(logs).toContain('Test-LabformSecret');
    expect(logs).toContain('(sensitive)');
    expect(logs).not.toContain(password);
    expect(logs).not.toContain(Buffer.from(password).toString('base64').slice(0, 16));
  });

  it('scrubs secret values a script echoes back in errors, host output or stderr', async () => {
    const password = 'Echoed-Secret-Value-42';
    const error = (await session
      .invoke({ command: 'Invoke-LabformLeak', parameters: { Password: new Secret(password) } })
      .catch((e) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toContain('leaking in an error: (sensitive)');
    expect(JSON.stringify(error.record)).not.toContain(password);
    expect(capture.text()).toContain('leaking to the host: (sensitive)');
    expect(capture.text()).not.toContain(password);
  });

  it('fails a request at once when its answer cannot be read, and goes on', async () => {
    const error = (await session
      .invoke({ command: 'Write-LabformBadFrame', parameters: {} })
      .catch((e) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.record?.fullyQualifiedErrorId).toBe('LabformUnreadableAnswer');
    expect(error.retryable).toBe(false);
    expect(await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: 'still fine' } })).toBe(
      'still fine',
    );
  });

  it('lets only library functions run', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const refused = [
      { command: 'Remove-Item', parameters: { LiteralPath: victim } },
      { command: 'Invoke-Expression', parameters: { Command: `Remove-Item -LiteralPath '${victim}'` } },
      { command: 'Get-ModuleThing', parameters: {} },
      { command: 'LabformBoot-Dispatch', parameters: { Json: '{}' } },
      { command: 'LabformBoot-Value', parameters: {} },
      { command: '__load', parameters: { scripts: [] } },
      { command: '__exit', parameters: {} },
      { command: 'Get-LabformEcho; Remove-Item x', parameters: {} },
    ];
    for (const request of refused) {
      const error = await session.invoke(request).catch((e: unknown) => e);
      expect(error, request.command).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).record?.fullyQualifiedErrorId).toMatch(/^LabformCommandNotAllowed/);
      expect((error as ProviderError).retryable).toBe(false);
    }
    expect(existsSync(victim)).toBe(true);
    // A library function may still use the module.
    expect(await session.invoke({ command: 'Get-LabformViaModule', parameters: {} })).toBe('from module');
  });

  it('maps error records, terminating or not', async () => {
    const fail = (Kind: string) =>
      session
        .invoke({ command: 'Invoke-LabformFail', parameters: { Kind, Name: 'dc01' }, address: 'vm.dc01' })
        .then(
          () => {
            throw new Error('expected a failure');
          },
          (e: unknown) => e as ProviderError,
        );
    const notFound = await fail('notfound');
    expect(notFound).toBeInstanceOf(ProviderError);
    expect(notFound.retryable).toBe(false);
    expect(notFound.address).toBe('vm.dc01');
    expect(notFound.host).toBe('hv01');
    expect(notFound.record).toMatchObject({
      message: 'Hyper-V was unable to find a virtual machine with name "dc01".',
      category: 'ObjectNotFound',
      fullyQualifiedErrorId: 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM,Invoke-LabformFail',
      target: 'dc01',
    });
    const busy = await fail('busy');
    expect(busy.retryable).toBe(true);
    expect(busy.record?.exceptionType).toBe('System.InvalidOperationException');
    expect(busy.message).toContain('performing another operation');
    expect((await fail('plain')).record?.message).toBe('plain failure');
    expect((await fail('method')).record?.exceptionType).toMatch(/MethodInvocationException/);
    const binding = await fail('binding');
    expect(binding.record?.fullyQualifiedErrorId).toMatch(/^NamedParameterNotFound/);
    expect(binding.retryable).toBe(false);
    const nonTerminating = await fail('nonterminating');
    expect(nonTerminating.record?.category).toBe('ObjectNotFound');
    expect(nonTerminating.record?.fullyQualifiedErrorId).toMatch(/^PathNotFound/);
    // The session is still usable after errors.
    expect(await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: 1 } })).toBe(1);
  });

  it('refuses a request whose parameter does not exist on an advanced function', async () => {
    expect(await session.invoke({ command: 'Set-LabformStrict', parameters: { Name: 'ok' } })).toBe('ok');
    const error = (await session
      .invoke({ command: 'Set-LabformStrict', parameters: { Nope: 1 } })
      .catch((e) => e)) as ProviderError;
    expect(error.record?.fullyQualifiedErrorId).toMatch(/^NamedParameterNotFound/);
  });
});
