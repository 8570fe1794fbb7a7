// OpenSSH known_hosts: parse (plain, hashed, [host]:port, @revoked), decide known/unknown/changed, append.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  readonly marker: 'revoked' | 'cert-authority' | null;
  /** Either a comma list of patterns (`!` negation, `*`/`?` globs) or one hashed name. */
  readonly hosts: { readonly kind: 'patterns'; readonly patterns: readonly string[] } | { readonly kind: 'hashed'; readonly salt: Buffer; readonly hash: Buffer };
  readonly keyType: string;
  /** The key in SSH wire format (the base64 field, decoded). */
  readonly key: Buffer;
  readonly file: string;
  readonly line: number;
}

export interface KnownHosts {
  readonly entries: readonly KnownHostEntry[];
  /** Lines that were skipped, and why: shown by `validate`, never fatal (OpenSSH skips them too). */
  readonly notes: readonly string[];
}

/** Parses known_hosts text. Comments, blank lines and CRLF are fine; bad lines become notes. */
export function parseKnownHosts(text: string, file: string): KnownHosts {
  const entries: KnownHostEntry[] = [];
  const notes: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/[ \t]+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift() as string;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else {
        notes.push(`${file}:${lineNo}: unknown marker ${m}, line ignored`);
        return;
      }
    }
    const [hostField, keyType, keyB64] = fields;
    if (hostField === undefined || keyType === undefined || keyB64 === undefined) {
      notes.push(`${file}:${lineNo}: not a known_hosts entry, line ignored`);
      return;
    }
    const key = Buffer.from(keyB64, 'base64');
    if (key.length === 0 || keyTypeOf(key) !== keyType) {
      notes.push(`${file}:${lineNo}: key does not decode as ${keyType}, line ignored`);
      return;
    }
    if (marker === 'cert-authority') {
      notes.push(`${file}:${lineNo}: @cert-authority is not supported (host certificates are not verified), line ignored`);
    }
    if (hostField.startsWith('|1|')) {
      const [, , salt, hash] = hostField.split('|');
      const saltBuf = Buffer.from(salt ?? '', 'base64');
      const hashBuf = Buffer.from(hash ?? '', 'base64');
      if (saltBuf.length !== 20 || hashBuf.length !== 20) {
        notes.push(`${file}:${lineNo}: malformed hashed host name, line ignored`);
        return;
      }
      entries.push({ marker, hosts: { kind: 'hashed', salt: saltBuf, hash: hashBuf }, keyType, key, file, line: lineNo });
    } else {
      entries.push({ marker, hosts: { kind: 'patterns', patterns: hostField.split(',').filter((p) => p !== '') }, keyType, key, file, line: lineNo });
    }
  });
  return { entries, notes };
}

/** The name OpenSSH looks up and records: `host`, or `[host]:port` when the port is not 22. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

/** OpenSSH's glob: `*` any run, `?` one character; case-insensitive unless `exactCase` (file names). */
export function globMatch(pattern: string, text: string, exactCase = false): boolean {
  const p = exactCase ? pattern : pattern.toLowerCase();
  const t = exactCase ? text : text.toLowerCase();
  // Iterative matcher with backtracking to the last star: linear-ish, no regex built from input.
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * OpenSSH's match_hostname over a pattern list: a matching negated pattern vetoes the list,
 * otherwise any positive match matches.
 */
export function matchPatternList(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) matched = true;
  }
  return matched;
}

export function hashHostName(name: string, salt: Buffer): Buffer {
  return createHmac('sha1', salt).update(name).digest();
}

function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.kind === 'patterns') return matchPatternList(entry.hosts.patterns, name);
  return hashHostName(name, entry.hosts.salt).equals(entry.hosts.hash);
}

/** The algorithm name inside an SSH wire-format key (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`). */
export function keyTypeOf(key: Buffer): string | null {
  if (key.length < 4) return null;
  const len = key.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > key.length) return null;
  return key.subarray(4, 4 + len).toString('latin1');
}

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** A short human name for a key type: ed25519, ecdsa, rsa. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ed25519';
  if (keyType.startsWith('ecdsa-')) return 'ecdsa';
  if (keyType === 'ssh-rsa') return 'rsa';
  return keyType;
}

export type HostKeyDecision =
  | { readonly status: 'known'; readonly entry: KnownHostEntry }
  | { readonly status: 'unknown' }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry }
  | { readonly status: 'changed'; readonly expected: readonly KnownHostEntry[] };

/** The host-key entries (not revoked, not CA) that apply to any of `names`. */
export function entriesFor(known: KnownHosts, names: readonly string[]): KnownHostEntry[] {
  return known.entries.filter((e) => e.marker === null && names.some((n) => entryMatches(e, n)));
}

/**
 * Decides what a presented key means for a host known under `names` (already in
 * `knownHostName` form). A key listed for the host is known; any other key when the host has
 * entries is a change (OpenSSH prefers the known algorithms, so a different one is suspect too);
 * a revoked key is refused whatever else says.
 */
export function checkHostKey(known: KnownHosts, names: readonly string[], presented: Buffer): HostKeyDecision {
  for (const e of known.entries) {
    if (e.marker === 'revoked' && e.key.equals(presented) && names.some((n) => entryMatches(e, n))) return { status: 'revoked', entry: e };
  }
  const mine = entriesFor(known, names);
  const same = mine.find((e) => e.key.equals(presented));
  if (same) return { status: 'known', entry: same };
  if (mine.length > 0) return { status: 'changed', expected: mine };
  return { status: 'unknown' };
}

/** Reads and parses known_hosts files; a missing file is empty, an unreadable one throws (fail closed). */
export async function loadKnownHosts(files: readonly string[]): Promise<KnownHosts> {
  const entries: KnownHostEntry[] = [];
  const notes: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const parsed = parseKnownHosts(text, f);
    entries.push(...parsed.entries);
    notes.push(...parsed.notes);
  }
  return { entries, notes };
}

/** The known_hosts line sparkbook writes for a new key. */
export function knownHostLine(name: string, key: Buffer): string {
  return `${name} ${keyTypeOf(key) ?? 'unknown'} ${key.toString('base64')}`;
}

const appendQueues = new Map<string, Promise<void>>();

/**
 * Records `key` for `name` at the end of `file`: one O_APPEND write of a whole line (atomic for
 * concurrent writers), the file created 0600 and its directory 0700 when missing. Appends in this
 * process are serialised per file and skipped when the same entry is already there.
 */
export function appendKnownHost(file: string, name: string, key: Buffer): Promise<void> {
  const previous = appendQueues.get(file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(async () => {
    const current = await loadKnownHosts([file]);
    if (entriesFor(current, [name]).some((e) => e.key.equals(key))) return;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const handle = await open(file, fsConstants.O_RDWR | fsConstants.O_APPEND | fsConstants.O_CREAT, 0o600);
    try {
      const { size } = await handle.stat();
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      await handle.write(`${prefix}${knownHostLine(name, key)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
  appendQueues.set(file, next);
  return next;
}

/** A hashed host field as `ssh-keygen -H` writes it (for tests and HashKnownHosts users). */
export function hashedHostField(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${hashHostName(name, salt).toString('base64')}`;
}
