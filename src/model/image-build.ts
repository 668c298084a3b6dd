/**
 * Images built from an ISO (`images[].from`): what a build is keyed by, how an edition named in
 * the manifest is found among the ISO's, and what differs between the record a built image
 * carries and what the manifest wants now. PURE, shared by the diff, the simulator and the
 * Hyper-V provider's request, so both providers rebuild (and refuse) for the same reasons.
 *
 * The record lives next to the image, in `<image>.labform.json` (imageRecordPath): Hyper-V
 * keeps nothing of the sort in the VHDX, and Convert-WindowsImage (x0nn/Convert-WindowsImage)
 * names what it built only through the file name.
 */

/** One edition of an install.wim / install.esd, as Get-WindowsImage lists it (ImageIndex, ImageName). */
export interface ImageEdition {
  index: number;
  name: string;
}

/** The ISO as the host sees it: identity by size and last write time (hashing 5 GB per plan is too slow). */
export interface IsoIdentity {
  path: string;
  size: number;
  /** LastWriteTimeUtc, ISO 8601. */
  modified: string;
}

/** What an image was built from: written next to it when the build ends, read back by discovery. */
export interface ImageRecord {
  format: 'labform-image/1';
  iso: IsoIdentity;
  edition: ImageEdition;
  /** Every edition the ISO has (so a changed `edition` is checked without mounting it again). */
  editions: ImageEdition[];
  size: number;
  generation: 1 | 2;
  updates: string[];
}

/** Discovery's answer for one image built from an ISO on one host. */
export interface LiveImageBuild {
  path: string;
  /** The image file is there. */
  exists: boolean;
  /** Its record (null: none; an image without one was not built by labform and is used as found). */
  record: ImageRecord | null;
  /** The ISO, or null when it does not exist on the host. */
  iso: IsoIdentity | null;
  /**
   * The ISO's editions: read from the ISO (mounted read-only) when a build may be needed (no
   * image, no record, or another ISO than the recorded one); otherwise the recorded list.
   */
  editions: ImageEdition[] | null;
  /** Update packages of the request that are not on the host. */
  missingUpdates: string[];
  /** Differencing disks on the host (of any lab, attached to a VM or under the lab's folders) whose parent is the image. */
  dependents: string[];
  /** A build that was interrupted left its work behind (a mounted ISO or a partial disk); the next build cleans it. */
  leftover: boolean;
}

/** The record file of an image. */
export function imageRecordPath(imagePath: string): string {
  return `${imagePath}.labform.json`;
}

/** The disk a build writes before it becomes the image (renamed at the end: never a half-built image at the path). */
export function imagePartialPath(imagePath: string): string {
  return imagePath.replace(/(\.vhdx?)$/i, '.partial$1');
}

/** The edition the manifest names (1-based index, or name in any case), or undefined. */
export function findEdition(editions: ImageEdition[], wanted: string | number): ImageEdition | undefined {
  if (typeof wanted === 'number') return editions.find((e) => e.index === wanted);
  const name = wanted.trim().toLowerCase();
  return editions.find((e) => e.name.toLowerCase() === name);
}

/** `1: Windows Server 2016 Standard, 2: ...`, for a message that lists what the ISO has. */
export function listEditions(editions: ImageEdition[]): string {
  return editions.map((e) => `${e.index}: ${e.name}`).join(', ');
}

export interface WantedImage {
  iso: string;
  edition: string | number;
  size: number;
  generation: 1 | 2;
  updates: string[];
}

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * What differs between the record and the wanted build, as `path: before -> after` pairs; empty
 * when the image is current. The ISO counts as changed when its path, size or write time did.
 */
export function recordDifferences(
  record: ImageRecord,
  wanted: WantedImage,
  iso: IsoIdentity | null,
): { path: string; before: unknown; after: unknown }[] {
  const out: { path: string; before: unknown; after: unknown }[] = [];
  if (!sameText(record.iso.path, wanted.iso))
    out.push({ path: 'from.iso', before: record.iso.path, after: wanted.iso });
  else if (iso && (iso.size !== record.iso.size || iso.modified !== record.iso.modified))
    out.push({
      path: 'from.iso',
      before: `${record.iso.path} (${record.iso.size} bytes, ${record.iso.modified})`,
      after: `${iso.path} (${iso.size} bytes, ${iso.modified})`,
    });
  const sameEdition =
    typeof wanted.edition === 'number'
      ? record.edition.index === wanted.edition
      : sameText(record.edition.name, wanted.edition);
  if (!sameEdition) out.push({ path: 'from.edition', before: record.edition.name, after: wanted.edition });
  if (record.size !== wanted.size) out.push({ path: 'from.size', before: record.size, after: wanted.size });
  if (record.generation !== wanted.generation)
    out.push({ path: 'generation', before: record.generation, after: wanted.generation });
  const updates = (list: string[]) => list.map((u) => u.toLowerCase()).join('\n');
  if (updates(record.updates) !== updates(wanted.updates))
    out.push({ path: 'from.updates', before: record.updates, after: wanted.updates });
  return out;
}
