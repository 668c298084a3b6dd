import { open, stat } from 'node:fs/promises';
import type { Diagnostic } from '../model/diagnostic.js';
import { describeFsError } from '../fs-error.js';

/** Manifests are small; anything bigger is a mistake (or an attack) and is refused before reading. */
export const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;

export interface ManifestText {
  text?: string;
  diagnostics: Diagnostic[];
}

const fileError = (file: string, rule: string, message: string, hint?: string): ManifestText => ({
  diagnostics: [
    { severity: 'error', rule, message, file, line: 0, column: 0, pointer: '', ...(hint ? { hint } : {}) },
  ],
});

/** Reads a manifest file: size-limited, UTF-8 only, no binary content. Never throws for bad input. */
export async function readManifestText(options: {
  file: string;
  displayName?: string;
  maxBytes?: number;
}): Promise<ManifestText> {
  const shown = options.displayName ?? options.file;
  const maxBytes = options.maxBytes ?? MAX_MANIFEST_BYTES;
  let size: number;
  try {
    const info = await stat(options.file);
    if (info.isDirectory())
      return fileError(
        shown,
        'file-unreadable',
        `${shown} is a directory, not a manifest file`,
        'give the path of the lab YAML file',
      );
    if (!info.isFile()) return fileError(shown, 'file-unreadable', `${shown} is not a regular file`);
    size = info.size;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException)?.code === 'ENOENT';
    // A relative path is read from the current folder: say which, the usual cause of a wrong path.
    const hint = missing
      ? `the path is read from the current folder (${process.cwd()}); give the path of the lab YAML file, e.g. examples/nat-lab.yaml in the checkout`
      : undefined;
    return fileError(shown, 'file-unreadable', `cannot read ${shown}: ${describeFsError(error)}`, hint);
  }
  if (size > maxBytes) return tooLarge(shown, size, maxBytes);
  let buffer: Buffer;
  try {
    const handle = await open(options.file, 'r');
    try {
      // Read at most one byte past the limit: the file may have grown since stat.
      const chunk = Buffer.alloc(Math.min(size, maxBytes) + 1);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, 0);
      buffer = chunk.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return fileError(shown, 'file-unreadable', `cannot read ${shown}: ${describeFsError(error)}`);
  }
  if (buffer.length > maxBytes) return tooLarge(shown, buffer.length, maxBytes);
  return decodeManifest({ buffer, file: shown });
}

/** Bytes -> text, rejecting binary content and other encodings with a clear diagnostic. */
export function decodeManifest(options: { buffer: Uint8Array; file: string }): ManifestText {
  const { buffer, file } = options;
  if (
    buffer.length >= 2 &&
    ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))
  ) {
    return fileError(file, 'file-encoding', `${file} is UTF-16, not UTF-8`, 'save the file as UTF-8');
  }
  if (buffer.includes(0))
    return fileError(
      file,
      'file-encoding',
      `${file} contains NUL bytes: it is a binary file, not a YAML manifest`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return fileError(file, 'file-encoding', `${file} is not valid UTF-8`, 'save the file as UTF-8');
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, diagnostics: [] };
}

function tooLarge(file: string, size: number, maxBytes: number): ManifestText {
  return fileError(
    file,
    'file-too-large',
    `${file} is ${size} bytes; a manifest may be at most ${maxBytes} bytes`,
    'a lab manifest is a few kilobytes; check that this is the right file',
  );
}
