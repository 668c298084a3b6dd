/**
 * The simulated guest's file system, as far as `labform cp` and `labform exec` see it: the
 * folders every fresh guest has, folders made with `mkdir`, and files copied in (with sizes and
 * content). Windows paths are case-insensitive and take `/` or `\`; Linux paths are exact.
 * Copy-Item does not create folders: the destination's folder must exist (its message when not:
 * "Could not find a part of the path", from System.IO.DirectoryNotFoundException).
 */
import path from 'node:path';
import type { SimGuest, SimGuestFile } from '../sim-state.js';

/** Most bytes one simulated guest file keeps (the host document is rewritten on every change). */
export const SIM_MAX_GUEST_FILE = 8 * 1024 * 1024;

const WINDOWS_FOLDERS = [
  'C:\\',
  'C:\\Windows',
  'C:\\Windows\\Temp',
  'C:\\Windows\\System32',
  'C:\\Users',
  'C:\\Users\\Public',
  'C:\\ProgramData',
  'C:\\Program Files',
];
const LINUX_FOLDERS = [
  '/',
  '/tmp',
  '/root',
  '/home',
  '/etc',
  '/opt',
  '/usr',
  '/usr/local',
  '/var',
  '/var/tmp',
  '/var/lib',
];

export interface GuestPaths {
  os: 'windows' | 'linux';
  /** The absolute form of a path typed by the user (Windows: backslashes, no trailing slash). */
  normalise(p: string): string;
  same(a: string, b: string): boolean;
  parent(p: string): string;
  join(folder: string, name: string): string;
  base(p: string): string;
  absolute(p: string): boolean;
}

export function guestPaths(os: 'windows' | 'linux'): GuestPaths {
  if (os === 'windows') {
    const normalise = (p: string) => {
      const n = path.win32.normalize(p.replace(/\//g, '\\'));
      return /^[A-Za-z]:\\$/.test(n)
        ? n.toUpperCase()
        : n.replace(/\\+$/, '').replace(/^([a-z]):/, (_, d: string) => `${d.toUpperCase()}:`);
    };
    return {
      os,
      normalise,
      same: (a, b) => normalise(a).toLowerCase() === normalise(b).toLowerCase(),
      parent: (p) => path.win32.dirname(normalise(p)),
      join: (folder, name) => path.win32.join(normalise(folder), name),
      base: (p) => path.win32.basename(normalise(p)),
      absolute: (p) => /^[A-Za-z]:[\\/]/.test(p),
    };
  }
  const normalise = (p: string) => {
    const n = path.posix.normalize(p);
    return n.length > 1 ? n.replace(/\/+$/, '') : n;
  };
  return {
    os,
    normalise,
    same: (a, b) => normalise(a) === normalise(b),
    parent: (p) => path.posix.dirname(normalise(p)),
    join: (folder, name) => path.posix.join(normalise(folder), name),
    base: (p) => path.posix.basename(normalise(p)),
    absolute: (p) => p.startsWith('/'),
  };
}

/** The user's home folder in the guest (where relative paths start). */
export function homeFolder(os: 'windows' | 'linux', user: string): string {
  const bare = user.includes('\\') ? user.slice(user.lastIndexOf('\\') + 1) : user.split('@')[0]!;
  return os === 'windows' ? `C:\\Users\\${bare}` : bare.toLowerCase() === 'root' ? '/root' : `/home/${bare}`;
}

export class GuestFileSystem {
  readonly paths: GuestPaths;
  constructor(
    private readonly guest: SimGuest,
    private readonly user: string,
  ) {
    this.paths = guestPaths(guest.os);
  }

  /** A path as the guest resolves it: relative paths start at the user's home folder. */
  resolve(p: string): string {
    return this.paths.normalise(
      this.paths.absolute(p) ? p : this.paths.join(homeFolder(this.guest.os, this.user), p),
    );
  }

  private files(): SimGuestFile[] {
    this.guest.files ??= [];
    return this.guest.files;
  }

  folderExists(p: string): boolean {
    const folder = this.resolve(p);
    const builtIn = this.guest.os === 'windows' ? WINDOWS_FOLDERS : LINUX_FOLDERS;
    if (
      [...builtIn, homeFolder(this.guest.os, this.user), ...(this.guest.folders ?? [])].some((f) =>
        this.paths.same(f, folder),
      )
    )
      return true;
    // A folder holding a file exists.
    return this.files().some((f) => this.paths.same(this.paths.parent(f.path), folder));
  }

  file(p: string): SimGuestFile | undefined {
    const wanted = this.resolve(p);
    return this.files().find((f) => this.paths.same(f.path, wanted));
  }

  /** Files directly in a folder. */
  list(p: string): SimGuestFile[] {
    const folder = this.resolve(p);
    return this.files().filter((f) => this.paths.same(this.paths.parent(f.path), folder));
  }

  /** Files anywhere under a folder (Get-ChildItem -Recurse -File, find -type f). */
  under(p: string): SimGuestFile[] {
    const folder = this.resolve(p);
    const key = (x: string) => (this.guest.os === 'windows' ? x.toLowerCase() : x);
    const prefix = key(folder.endsWith(this.sep) ? folder : folder + this.sep);
    return this.files().filter((f) => key(f.path).startsWith(prefix));
  }

  private get sep(): string {
    return this.guest.os === 'windows' ? '\\' : '/';
  }

  /**
   * A file copied from the host's media (`files:`): its size and content hash, no bytes (media
   * run to gigabytes; the host document keeps none). Its folders are made as Copy-Item and the
   * copy's `mkdir -p` make them.
   */
  writeCopied(p: string, file: { size: number; sha256: string }, now: number): SimGuestFile {
    const target = this.resolve(p);
    this.makeFolder(this.paths.parent(target));
    const existing = this.file(target);
    const record: SimGuestFile = {
      path: existing?.path ?? target,
      size: file.size,
      content: '',
      sha256: file.sha256,
      writtenAt: now,
    };
    if (existing) Object.assign(existing, record);
    else this.files().push(record);
    return record;
  }

  /** `mkdir`: makes the folder and its parents (New-Item -ItemType Directory / mkdir -p). */
  makeFolder(p: string): string {
    const folder = this.resolve(p);
    const chain: string[] = [];
    for (let f = folder; !this.folderExists(f); f = this.paths.parent(f)) chain.push(f);
    this.guest.folders = [...(this.guest.folders ?? []), ...chain.reverse()];
    return folder;
  }

  write(p: string, content: Buffer, now: number): SimGuestFile {
    const target = this.resolve(p);
    const existing = this.file(target);
    const record: SimGuestFile = {
      path: existing?.path ?? target,
      size: content.length,
      content: content.toString('base64'),
      writtenAt: now,
    };
    delete existing?.sha256;
    if (existing) Object.assign(existing, record);
    else this.files().push(record);
    return record;
  }
}
