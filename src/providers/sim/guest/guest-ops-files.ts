/**
 * `files:` in the simulator: host media copied into a guest over PowerShell Direct (Windows:
 * New-PSSession -VMName, Copy-Item -ToSession -Recurse) or scp (Linux), compared by relative
 * path, size and SHA-256 (model/file-copy.ts) as the Hyper-V provider's probe compares them.
 * Only what differs is copied; guest files the host lacks stay. A source missing on the host is
 * refused with Test-Path's wording, as the Hyper-V provider's host script checks it first.
 */
import { createHash } from 'node:crypto';
import type { GuestOperation, GuestProbeResult } from '../../../model/guest-operation.js';
import type { SimGuest, SimHost } from '../sim-state.js';
import type { TimingProfile } from '../time/timing-profile.js';
import type { GuestEffect, GuestOpContext } from './guest-op-context.js';
import {
  compareCopies,
  copyProbeDetail,
  copyRunDetail,
  sourceMissingDetail,
} from '../../../model/file-copy.js';
import type { CopiedFile, CopyComparison } from '../../../model/file-copy.js';
import { hostCopySource } from '../host/host-files.js';
import { GuestFileSystem } from './guest-files.js';
import { refusal } from '../sim-errors.js';

type CopyFiles = Extract<GuestOperation, { op: 'copyFiles' }>;

/** What the guest holds at `to`: the file itself for a single-file source, else every file under it. */
function guestSide(fs: GuestFileSystem, op: CopyFiles, single: boolean): CopiedFile[] {
  const hash = (f: { content: string; sha256?: string }) =>
    f.sha256 ?? createHash('sha256').update(Buffer.from(f.content, 'base64')).digest('hex');
  if (single) {
    const file = fs.file(op.to);
    return file ? [{ path: '', size: file.size, sha256: hash(file) }] : [];
  }
  const root = fs.resolve(op.to);
  const cut = /[\\/]$/.test(root) ? root.length : root.length + 1;
  return fs.under(root).map((f) => ({
    path: f.path.slice(cut).replace(/\\/g, '/'),
    size: f.size,
    sha256: hash(f),
  }));
}

function compare(host: SimHost, guest: SimGuest, op: CopyFiles): CopyComparison | undefined {
  const source = hostCopySource(host, op.from);
  if (!source) return undefined;
  const fs = new GuestFileSystem(guest, '');
  const single = source.length === 1 && source[0]!.path === '';
  return compareCopies({ os: guest.os, host: source, guest: guestSide(fs, op, single) });
}

export function probeCopyFiles(host: SimHost, guest: SimGuest, op: CopyFiles): GuestProbeResult {
  const c = compare(host, guest, op);
  if (!c) return { done: false, detail: sourceMissingDetail(op.from) };
  return { done: c.differ.length === 0, detail: copyProbeDetail(c) };
}

/** Simulated time the copy takes: the bytes that differ at the copy rate, plus the session. */
export function copyFilesDuration(g: GuestOpContext, op: CopyFiles, timing: TimingProfile): number {
  const c = compare(g.env.world.host(g.at.host), g.at.guest, op);
  const bytes = c?.bytes ?? 0;
  return timing.guest.small + Math.round((bytes / 1024 ** 3) * timing.guest.copyPerGiB);
}

export function copyFiles(g: GuestOpContext, op: CopyFiles): GuestEffect {
  const host = g.env.world.host(g.at.host);
  const c = compare(host, g.at.guest, op);
  if (!c) {
    throw refusal(g.site, {
      cmdlet: g.at.guest.os === 'linux' ? 'scp' : 'Copy-Item',
      message: `Cannot find path '${op.from}' because it does not exist.`,
      category: 'ObjectNotFound',
      errorId: 'PathNotFound,Microsoft.PowerShell.Commands.CopyItemCommand',
      target: op.from,
      exceptionType: 'System.Management.Automation.ItemNotFoundException',
    });
  }
  const fs = new GuestFileSystem(g.at.guest, '');
  const root = fs.resolve(op.to);
  for (const file of c.differ) {
    const target = file.path === '' ? root : fs.paths.join(root, file.path);
    fs.writeCopied(target, { size: file.size, sha256: file.sha256 }, g.env.world.now);
  }
  return { reboots: 0, detail: copyRunDetail(c) };
}
