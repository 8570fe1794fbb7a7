// Parses /etc/os-release (os-release(5)): KEY=value lines, values optionally quoted.

export interface OsRelease {
  readonly id: string | null;
  readonly version: string | null;
  readonly codename: string | null;
  readonly pretty: string | null;
}

/** All KEY=value pairs, unquoted ("..." with \-escapes, or '...'). Comments and junk are skipped. */
export function parseOsReleaseVars(text: string): ReadonlyMap<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z][A-Z0-9_]*)=(.*?)\s*$/.exec(line);
    if (m === null) continue;
    const [, key = '', raw = ''] = m;
    vars.set(key, unquote(raw));
  }
  return vars;
}

function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    return raw.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  }
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1);
  return raw;
}

export function parseOsRelease(text: string): OsRelease {
  const v = parseOsReleaseVars(text);
  const get = (key: string): string | null => {
    const value = v.get(key);
    return value === undefined || value === '' ? null : value;
  };
  // Debian testing has no VERSION_ID; UBUNTU_CODENAME predates VERSION_CODENAME on old Ubuntus.
  return {
    id: get('ID'),
    version: get('VERSION_ID'),
    codename: get('VERSION_CODENAME') ?? get('UBUNTU_CODENAME'),
    pretty: get('PRETTY_NAME'),
  };
}
