// Reads a user's file with a ceiling: a pipe or a device named as a playbook, an import or an
// inventory cannot make sparkbook wait or grow without bound.
import { open } from 'node:fs/promises';

/** At most `limit` bytes of `file`: a pipe's size is not known in advance. */
export async function readAtMost(file: string, limit: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}
