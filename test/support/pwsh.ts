import { accessSync, constants, openSync, closeSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** pwsh for tests: LABFORM_PWSH, else pwsh on PATH, else the .NET global tool location. */
export function findPwsh(): string | undefined {
  const fromEnv = process.env.LABFORM_PWSH;
  if (fromEnv) return executable(fromEnv) || !fromEnv.includes('/') ? fromEnv : undefined;
  const names = process.platform === 'win32' ? ['pwsh.exe'] : ['pwsh'];
  const dirs = [...(process.env.PATH ?? '').split(delimiter), join(homedir(), '.dotnet', 'tools')];
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (dir && executable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The pwsh to use; only call inside a describePwsh body. */
export function pwshPath(): string {
  const found = findPwsh();
  if (!found) throw new Error('pwsh not found');
  return found;
}

/** Says once per test run (not once per file) that the PowerShell suites are skipped. */
function announceSkip(): void {
  const marker = join(tmpdir(), `labform-pwsh-skip-${process.ppid}`);
  try {
    closeSync(openSync(marker, 'wx'));
  } catch {
    return;
  }
  console.warn(
    'labform: pwsh not found: PowerShell test suites skipped (set LABFORM_PWSH, or install PowerShell 7)',
  );
}

/**
 * A describe block that needs real PowerShell. Without pwsh it is skipped with one visible
 * line, unless LABFORM_REQUIRE_PWSH=1 (CI), where a missing pwsh fails the run.
 */
export function describePwsh(name: string, body: () => void): void {
  if (findPwsh()) {
    describe(name, body);
    return;
  }
  if (process.env.LABFORM_REQUIRE_PWSH === '1') {
    describe(name, () => {
      it('needs pwsh (LABFORM_REQUIRE_PWSH=1)', () => {
        throw new Error(
          'pwsh is required here (LABFORM_REQUIRE_PWSH=1) but was not found: install PowerShell 7 or set LABFORM_PWSH',
        );
      });
    });
    return;
  }
  announceSkip();
  // The body is not run: it may start PowerShell while collecting. One placeholder shows as skipped.
  describe.skipIf(true)(name, () => {
    it('needs pwsh', () => undefined);
  });
}
