/**
 * The ownership mark: written into a VM's and a switch's Notes, and the NAT's name is
 * derived from the lab. A resource without our mark is never adopted or removed.
 */
const PREFIX = 'labform:lab=';

/** The Notes text for a resource owned by `lab`. */
export function ownershipMark(lab: string): string {
  return `${PREFIX}${lab}`;
}

/** The lab named in a Notes text, or undefined when the resource is not labform's. */
export function ownerOf(notes: string | null | undefined): string | undefined {
  if (!notes) return undefined;
  for (const line of notes.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith(PREFIX)) {
      const lab = trimmed.slice(PREFIX.length).trim();
      if (/^[a-z][a-z0-9-]{0,39}$/.test(lab)) return lab;
    }
  }
  return undefined;
}

/** The WinNAT instance name for a lab's NAT network: `labform-<lab>.<network>` (lab names hold no dot). */
export function natName(lab: string, network: string): string {
  return `labform-${lab}.${network}`;
}

/** The lab and network encoded in a NAT name, if it is one of ours. */
export function parseNatName(name: string): { lab: string; network: string } | undefined {
  const m = /^labform-([a-z][a-z0-9-]{0,39})\.([A-Za-z0-9][A-Za-z0-9._-]{0,62})$/.exec(name);
  return m ? { lab: m[1]!, network: m[2]! } : undefined;
}
