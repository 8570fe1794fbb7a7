// `sparkbook ssh-config`: one OpenSSH `Host` block per inventory host, from the settings sparkbook
// resolved for it, so `ssh HOST`, scp and editors reach the host the way a run does. Pure text.
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { ConnectionSettings } from './settings.js';
import type { SshHostConfig } from './ssh-config.js';

/**
 * What a block says: the part of what an alias resolves to (ssh-config.ts) that sparkbook writes,
 * so the reader and the writer speak of one shape. An absent field is ssh's default (the keyword
 * is left out).
 */
export type SshHostBlock = { readonly alias: string } & Pick<SshHostConfig, 'hostName' | 'user' | 'port' | 'identityFiles' | 'identitiesOnly' | 'proxyJump' | 'userKnownHostsFiles'>;

/**
 * The block for a host, or undefined when sparkbook does not reach it over SSH (a local
 * connection). Keywords equal to ssh's own defaults are left out: resolve.ts falls back to the
 * same defaults (local user, port 22, ~/.ssh/id_* keys, ~/.ssh/known_hosts{,2}). Never a password.
 */
export function blockFromSettings(s: ConnectionSettings, context: { readonly home: string; readonly localUser: string }): SshHostBlock | undefined {
  if (s.transport !== 'ssh') return undefined;
  const defaultKeys = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(context.home, '.ssh', f));
  const defaultKnown = ['known_hosts', 'known_hosts2'].map((f) => join(context.home, '.ssh', f));
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  return {
    alias: s.host,
    ...(s.address !== s.host && { hostName: s.address }),
    ...(s.user !== context.localUser && { user: s.user }),
    ...(s.port !== 22 && { port: s.port }),
    identityFiles: same(s.identityFiles, defaultKeys) ? [] : s.identityFiles,
    ...(s.identitiesOnly && { identitiesOnly: true }),
    // The hops in the order sparkbook connects through them (a hop's own jumps first): on ssh's
    // command line a comma list is walked the same way, each hop resolved through the ssh config.
    ...(s.proxyJump.length > 0 && { proxyJump: s.proxyJump.map((h) => h.spec).join(',') }),
    ...(!same(s.knownHostsFiles, defaultKnown) && { userKnownHostsFiles: s.knownHostsFiles }),
  };
}

/** ssh_config's own quoting: a word with blanks, `#` or `'` goes in double quotes; what it cannot say is an error. */
export function quoteSshWord(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new InputError('inventory', `${what} ${JSON.stringify(value)} has a newline or control character, which ssh_config cannot hold`);
  // OpenSSH reads \ and " as escapes/quotes even inside quotes; sparkbook's reader does not, so neither is written.
  if (/["\\]/.test(value)) throw new InputError('inventory', `${what} ${JSON.stringify(value)} has a " or \\, which ssh_config cannot quote portably`);
  if (value.includes('${')) throw new InputError('inventory', `${what} ${JSON.stringify(value)} has \${, which ssh would read as an environment variable`);
  return value === '' || /[\s#']/.test(value) ? `"${value}"` : value;
}

/** A path for a keyword where ssh expands %-tokens: a literal % is written %%. */
function quotePath(value: string, what: string): string {
  return quoteSshWord(value.replace(/%/g, '%%'), what);
}

/** The alias is the Host pattern: it must match only itself. */
function checkAlias(alias: string): void {
  if (alias === '' || /[\s*?!,"#'\\]/.test(alias) || /[\u0000-\u001f\u007f]/.test(alias)) {
    throw new InputError('inventory', `host ${JSON.stringify(alias)} cannot be an ssh_config Host pattern (no blanks, * ? ! , # quotes or backslashes)`);
  }
}

function plainWord(value: string, what: string): string {
  if (value.includes('%')) throw new InputError('inventory', `${what} ${JSON.stringify(value)} has a %, which ssh would read as a token`);
  return quoteSshWord(value, what);
}

export function renderBlock(b: SshHostBlock): string {
  checkAlias(b.alias);
  const what = (k: string): string => `${b.alias}: ${k}`;
  const lines = [`Host ${b.alias}`];
  if (b.hostName !== undefined) lines.push(`  HostName ${plainWord(b.hostName, what('HostName'))}`);
  if (b.user !== undefined) lines.push(`  User ${plainWord(b.user, what('User'))}`);
  if (b.port !== undefined) lines.push(`  Port ${b.port}`);
  for (const f of b.identityFiles) lines.push(`  IdentityFile ${quotePath(f, what('IdentityFile'))}`);
  if (b.identitiesOnly) lines.push('  IdentitiesOnly yes');
  if (b.proxyJump !== undefined) lines.push(`  ProxyJump ${plainWord(b.proxyJump, what('ProxyJump'))}`);
  if (b.userKnownHostsFiles !== undefined && b.userKnownHostsFiles.length > 0) {
    lines.push(`  UserKnownHostsFile ${b.userKnownHostsFiles.map((f) => quotePath(f, what('UserKnownHostsFile'))).join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function beginMarker(inventory: string): string {
  return `# BEGIN sparkbook (inventory ${inventory})`;
}

export function endMarker(inventory: string): string {
  return `# END sparkbook (inventory ${inventory})`;
}

/**
 * The marked section for one inventory. It ends with `Host *` so that whatever follows it in a
 * file (options before the file's first Host line apply to every host) still applies to every
 * host, as it did before the section was put in front of it.
 */
export function renderSection(inventory: string, blocks: readonly SshHostBlock[], comments: readonly string[] = []): string {
  if (/[\r\n]/.test(inventory)) throw new InputError('usage', `inventory path ${JSON.stringify(inventory)} has a newline`);
  const body = blocks.map(renderBlock).join('\n');
  const notes = comments.map((c) => `# ${c.replace(/[\r\n]+/g, ' ')}\n`).join('');
  return `${beginMarker(inventory)}\n# Written by sparkbook ssh-config from the inventory's resolution; edits between these lines are replaced.\n${notes}${body === '' ? '' : `\n${body}`}\n# What follows applies to every host again.\nHost *\n${endMarker(inventory)}\n`;
}
