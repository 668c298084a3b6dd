// pwsh for the benchmarks: LABFORM_PWSH, else pwsh on PATH, else the .NET global tool location.
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export function findPwsh() {
  if (process.env.LABFORM_PWSH) return process.env.LABFORM_PWSH;
  const name = process.platform === 'win32' ? 'pwsh.exe' : 'pwsh';
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), join(homedir(), '.dotnet', 'tools')]) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // next
    }
  }
  return undefined;
}
