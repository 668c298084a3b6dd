/**
 * Paths of a VM's property differences (`PropertyDiff.path`), built here and parsed back here:
 *
 *   disks.<IDE|SCSI>.<controller>.<location>[.size|.supportPersistentReservations]
 *                                                      a drive slot's disk (or a setting of it)
 *   dvd.<IDE|SCSI>.<controller>.<location>            a DVD drive slot's ISO
 *   network[<i>][.switchName|.mac|.macAddressSpoofing|.vlan]   the i-th adapter (or a setting of it)
 *   cloudInit.instanceId                               the instance-id of a Linux guest's cloud-init seed
 *   cloudInit.<what>                                   what changed in that seed (hostname, user,
 *                                                      network[<mac>], sshAuthorizedKeys): shown; the
 *                                                      instance-id line is what the steps follow
 *   anything else                                      a VM setting (memory.startup, processors, ...)
 */

export interface SlotRef {
  controllerType: 'IDE' | 'SCSI';
  controllerNumber: number;
  controllerLocation: number;
}

const slotText = (s: SlotRef) => `${s.controllerType}.${s.controllerNumber}.${s.controllerLocation}`;

/** `disks.SCSI.0.1`: the disk in a drive slot. */
export const diskSlotPath = (slot: SlotRef): string => `disks.${slotText(slot)}`;
/** `disks.SCSI.0.1.size`: a setting (`size`, `supportPersistentReservations`) of the disk in a drive slot. */
export const diskFieldPath = (slot: SlotRef, field: 'size' | 'supportPersistentReservations'): string =>
  `${diskSlotPath(slot)}.${field}`;
/** `dvd.IDE.1.0`: the ISO in a DVD drive slot. */
export const dvdSlotPath = (slot: SlotRef): string => `dvd.${slotText(slot)}`;
/** `network[0]` (the adapter) or `network[0].switchName` (one of its settings). */
export const adapterPath = (index: number, field?: string): string =>
  field ? `network[${index}].${field}` : `network[${index}]`;

/** Every difference of a Linux guest's cloud-init seed starts with it. */
export const CLOUD_INIT_PREFIX = 'cloudInit.';
/** The instance-id of a Linux guest's cloud-init seed: another one means the seed is written again. */
export const CLOUD_INIT_DIFF_PATH = `${CLOUD_INIT_PREFIX}instanceId`;

export type ParsedDiffPath =
  | { kind: 'disk'; slot: SlotRef; field?: string }
  | { kind: 'dvd'; slot: SlotRef }
  | { kind: 'adapter'; index: number; field?: string }
  | { kind: 'setting'; path: string };

const SLOT = /^(disks|dvd)\.(IDE|SCSI)\.(\d+)\.(\d+)(?:\.(\w+))?$/;
const ADAPTER = /^network\[(\d+)\](?:\.(\w+))?$/;

export function parseDiffPath(path: string): ParsedDiffPath {
  const slot = SLOT.exec(path);
  if (slot) {
    const ref: SlotRef = {
      controllerType: slot[2] as 'IDE' | 'SCSI',
      controllerNumber: Number(slot[3]),
      controllerLocation: Number(slot[4]),
    };
    if (slot[1] === 'disks') return { kind: 'disk', slot: ref, ...(slot[5] ? { field: slot[5] } : {}) };
    if (!slot[5]) return { kind: 'dvd', slot: ref };
  }
  const adapter = ADAPTER.exec(path);
  if (adapter)
    return { kind: 'adapter', index: Number(adapter[1]), ...(adapter[2] ? { field: adapter[2] } : {}) };
  return { kind: 'setting', path };
}
