import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { ExitCode } from '../exit-codes.js';
import { loadLab } from '../../manifest/load-lab.js';
import { hasErrors } from '../../model/diagnostic.js';
import { formatDiagnostics, summarizeDiagnostics } from '../../render/diagnostics.js';

/** `labform validate FILE`: every diagnostic, then one summary line; exit 0 when valid (warnings allowed). */
export async function runValidate(options: {
  file: string;
  global: GlobalOptions;
  io: CommandIo;
}): Promise<number> {
  const { file, io } = options;
  const { diagnostics } = await loadLab({ file });
  const failed = hasErrors(diagnostics);
  // Diagnostics go to stderr when the manifest is rejected, to stdout when it is only warned about.
  const out = failed ? io.stderr : io.stdout;
  if (diagnostics.length > 0) out.write(`${formatDiagnostics(diagnostics, { color: io.color })}\n`);
  out.write(
    failed
      ? `${file}: ${summarizeDiagnostics(diagnostics)}\n`
      : `${file}: valid (${summarizeDiagnostics(diagnostics)})\n`,
  );
  return failed ? ExitCode.inputRejected : ExitCode.ok;
}
