// Parses `sysctl`-style `key = value` lines (the facts script prints them from /proc/sys).

export function parseSysctl(text: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z0-9_.\-/]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m !== null) out.set((m[1] ?? '').replace(/\//g, '.'), m[2] ?? '');
  }
  return out;
}

/** A sysctl value as an integer; null when absent or not a number. */
export function sysctlInt(values: ReadonlyMap<string, string>, key: string): number | null {
  const raw = values.get(key);
  return raw !== undefined && /^-?\d+$/.test(raw) ? Number(raw) : null;
}
