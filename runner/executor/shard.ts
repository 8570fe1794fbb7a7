// --shard K/N: a stable slice of hosts chosen by a hash of the host name, so a CI job matrix
// covers every host exactly once and a host stays in its shard when others are added.
export function isInShard(host: string, index: number, count: number): boolean {
  // FNV-1a, 32 bits: tiny, stable across Node versions and platforms.
  let hash = 0x811c9dc5;
  for (let i = 0; i < host.length; i++) {
    hash ^= host.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count === index - 1;
}
