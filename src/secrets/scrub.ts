/**
 * Last-line defence: every known secret value in `text` replaced by `(sensitive)`. Used for what
 * leaves the executor and for what a PowerShell session reports.
 */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const value of secrets) {
    // Very short values would mangle ordinary words; passwords that short are rejected elsewhere.
    if (value.length >= 4) out = out.split(value).join('(sensitive)');
  }
  return out;
}
