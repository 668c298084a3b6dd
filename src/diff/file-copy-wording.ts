/** What a `files:` copy makes of the guest, as the plan words it (a create's `files[i]`, or a copy that differs). */
export function fileCopyAfter(copy: { from: string; to: string }): string {
  return `${copy.to} same as ${copy.from} on the host`;
}
