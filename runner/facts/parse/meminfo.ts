// Parses /proc/meminfo lines (`MemTotal:       24684084 kB`) into megabytes.

/** The MemTotal line in MiB (the kernel's "kB" is KiB), rounded down; null when absent. */
export function parseMemTotalMb(text: string): number | null {
  const m = /^MemTotal:\s+(\d+)\s*kB\s*$/m.exec(text);
  return m === null ? null : Math.floor(Number(m[1]) / 1024);
}
