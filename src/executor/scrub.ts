/** Last-line defence: replace any known secret value in text that leaves the executor. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const value of secrets) {
    // Very short values would mangle ordinary words; passwords that short are rejected elsewhere.
    if (value.length >= 4) out = out.split(value).join('(sensitive)');
  }
  return out;
}
