// Reads an inventory or vars file as UTF-8 text, turning bad bytes and I/O failures into located errors.
import { stat } from 'node:fs/promises';
import { readAtMost } from '../text/read-at-most.js';
import { firstInvalidUtf8 } from '../text/utf8.js';
import { InputError } from '../errors.js';

/** The file's text without a BOM; invalid UTF-8 is an error at the first bad byte. */
export async function readSourceText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    // A pipe is allowed (`-i <(generate)`); a device or socket is not (/dev/zero never ends).
    if (!info.isFile() && !info.isFIFO() && !info.isDirectory()) throw new InputError('inventory', `${file}: not a regular file`);
    bytes = await readAtMost(file, MAX_SOURCE_BYTES + 1);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? String(e)})`;
    throw new InputError('inventory', `${file}: ${why}`);
  }
  if (bytes.length > MAX_SOURCE_BYTES) throw new InputError('inventory', `${file}: file is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MB`);
  return decodeUtf8(bytes, file);
}

/** Inventory and vars files larger than this are refused: 10,000 hosts take about 1 MB. */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;


/** Decodes strictly; the error names the line and column of the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return text;
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const lines = before.split('\n');
    const line = lines.length;
    const col = (lines[lines.length - 1] ?? '').replace(/^\uFEFF/, '').length + 1;
    throw new InputError('inventory', `invalid UTF-8 byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}`, {
      file,
      line,
      col,
    });
  }
}
