// OpenSSH client config (~/.ssh/config, -F FILE): Host/Match blocks, Include, first-value-wins, and the options sparkbook honours.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { InputError, type SourceLocation } from '../errors.js';
import { globMatch, matchPatternList } from './known-hosts.js';

/** One line of config, in file order. Include is expanded in place (its files parsed). */
export type SshConfigItem =
  | { readonly type: 'option'; readonly keyword: string; readonly args: readonly string[]; readonly where: SourceLocation }
  | { readonly type: 'host'; readonly patterns: readonly string[]; readonly where: SourceLocation }
  | { readonly type: 'match'; readonly criteria: readonly string[]; readonly where: SourceLocation }
  | { readonly type: 'include'; readonly items: readonly SshConfigItem[]; readonly where: SourceLocation };

export interface SshConfig {
  readonly file: string;
  readonly items: readonly SshConfigItem[];
}

/** What an alias resolves to; absent fields were not set by the config. */
export interface SshHostConfig {
  readonly hostName?: string;
  readonly user?: string;
  readonly port?: number;
  /** Every IdentityFile, in order, `~` and tokens expanded. */
  readonly identityFiles: readonly string[];
  readonly identitiesOnly?: boolean;
  /** The raw ProxyJump value (`none` is dropped). */
  readonly proxyJump?: string;
  readonly userKnownHostsFiles?: readonly string[];
  readonly globalKnownHostsFiles?: readonly string[];
  readonly strictHostKeyChecking?: string;
  readonly connectTimeout?: number;
  readonly serverAliveInterval?: number;
  readonly serverAliveCountMax?: number;
  readonly identityAgent?: string;
  readonly hostKeyAlias?: string;
  readonly proxyCommand?: string;
  /** Things sparkbook skipped (unsupported Match criteria), for `validate` to show. */
  readonly notes: readonly string[];
}

const MAX_INCLUDE_DEPTH = 16;

/** Splits a config line into words: blanks separate, `"…"` quotes, an unquoted word starting with `#` ends the line. */
function splitWords(text: string, where: SourceLocation): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length || text[i] === '#') break;
    let word = '';
    while (i < text.length && !/\s/.test(text[i] as string)) {
      const c = text[i] as string;
      if (c === '"') {
        const close = text.indexOf('"', i + 1);
        if (close < 0) throw new InputError('ssh-config', 'unterminated quote', { ...where, col: where.col + i });
        word += text.slice(i + 1, close);
        i = close + 1;
      } else {
        word += c;
        i++;
      }
    }
    words.push(word);
  }
  return words;
}

/** Parses one config file's text; Include files are read and parsed in place. */
export function parseSshConfig(text: string, file: string, options: { readonly depth?: number; readonly home?: string } = {}): SshConfig {
  const depth = options.depth ?? 0;
  const home = options.home ?? homedir();
  const items: SshConfigItem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const lead = line.length - line.trimStart().length;
    const body = line.trim();
    if (body === '' || body.startsWith('#')) return;
    const where: SourceLocation = { file, line: i + 1, col: lead + 1 };
    // `Keyword value`, `Keyword=value` or `Keyword = value`.
    const m = /^([A-Za-z][A-Za-z0-9]*)(\s*=\s*|\s+)(.*)$/.exec(body) ?? /^([A-Za-z][A-Za-z0-9]*)$/.exec(body);
    if (!m) throw new InputError('ssh-config', `not an ssh_config line: ${JSON.stringify(body.slice(0, 60))}`, where);
    const keyword = (m[1] as string).toLowerCase();
    const rest = m[3] ?? '';
    const args = splitWords(rest, { ...where, col: where.col + body.length - rest.length });
    if (keyword === 'host') {
      if (args.length === 0) throw new InputError('ssh-config', 'Host needs at least one pattern', where);
      items.push({ type: 'host', patterns: args, where });
    } else if (keyword === 'match') {
      if (args.length === 0) throw new InputError('ssh-config', 'Match needs criteria', where);
      items.push({ type: 'match', criteria: args, where });
    } else if (keyword === 'include') {
      if (args.length === 0) throw new InputError('ssh-config', 'Include needs a file', where);
      if (depth >= MAX_INCLUDE_DEPTH) throw new InputError('ssh-config', 'Include nested too deeply (a loop?)', where);
      const included: SshConfigItem[] = [];
      for (const arg of args) {
        for (const path of expandInclude(arg, file, home)) {
          const sub = parseSshConfig(readFileSync(path, 'utf8'), path, { depth: depth + 1, home });
          included.push(...sub.items);
        }
      }
      items.push({ type: 'include', items: included, where });
    } else {
      if (args.length === 0) throw new InputError('ssh-config', `${m[1]} needs a value`, where);
      validateOption(keyword, args, where);
      items.push({ type: 'option', keyword, args, where });
    }
  });
  return { file, items };
}

function validateOption(keyword: string, args: readonly string[], where: SourceLocation): void {
  const first = args[0] as string;
  const integer = (name: string): void => {
    if (!/^\d+$/.test(first)) throw new InputError('ssh-config', `${name} must be a number, not ${JSON.stringify(first)}`, where);
  };
  if (keyword === 'port') {
    integer('Port');
    const n = Number(first);
    if (n < 1 || n > 65535) throw new InputError('ssh-config', `Port ${first} is out of range (1-65535)`, where);
  } else if (keyword === 'connecttimeout') integer('ConnectTimeout');
  else if (keyword === 'serveraliveinterval') integer('ServerAliveInterval');
  else if (keyword === 'serveralivecountmax') integer('ServerAliveCountMax');
  else if (keyword === 'identitiesonly' && !/^(yes|no)$/i.test(first)) {
    throw new InputError('ssh-config', `IdentitiesOnly must be yes or no, not ${JSON.stringify(first)}`, where);
  } else if (keyword === 'stricthostkeychecking' && !/^(yes|no|ask|accept-new|off)$/i.test(first)) {
    throw new InputError('ssh-config', `StrictHostKeyChecking must be yes, no, ask or accept-new, not ${JSON.stringify(first)}`, where);
  }
}

/** Include: `~` expanded, relative paths from ~/.ssh (user config), globs in the last component(s). */
function expandInclude(arg: string, fromFile: string, home: string): string[] {
  let path = expandTilde(arg, home);
  if (!isAbsolute(path)) {
    // OpenSSH resolves relative Includes against ~/.ssh for user configs, /etc/ssh for the system one.
    const base = fromFile.startsWith('/etc/ssh/') ? '/etc/ssh' : join(home, '.ssh');
    path = join(base, path);
  }
  return globPath(path);
}

/** A minimal glob over path components (`*`, `?`), sorted like glob(3). A missing file matches nothing. */
function globPath(path: string): string[] {
  const parts = path.split('/');
  let found = [parts[0] === '' ? '/' : '.'];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    const next: string[] = [];
    for (const dir of found) {
      if (!/[*?]/.test(part)) {
        const p = join(dir, part);
        if (existsSync(p)) next.push(p);
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        continue;
      }
      for (const n of names) if (!n.startsWith('.') && globMatch(part, n, true)) next.push(join(dir, n));
    }
    found = next;
  }
  return found;
}

export function expandTilde(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

/** Reads a config file; a missing default file is an empty config, a missing `-F` file is an error. */
export function loadSshConfig(path?: string, home: string = homedir()): SshConfig {
  const file = path ?? join(home, '.ssh', 'config');
  if (!existsSync(file)) {
    if (path !== undefined) throw new InputError('ssh-config', `ssh config file ${path} does not exist`);
    return { file, items: [] };
  }
  return parseSshConfig(readFileSync(file, 'utf8'), file, { home });
}

interface Context {
  readonly alias: string;
  readonly localUser: string;
  readonly home: string;
}

/**
 * The options that apply to `alias`, OpenSSH style: blocks whose patterns match the alias
 * (Host) or the criteria (Match host/originalhost/user/all) apply, and the first value of an
 * option wins (IdentityFile and friends accumulate).
 */
export function resolveSshConfig(config: SshConfig, alias: string, options: { readonly localUser?: string; readonly home?: string } = {}): SshHostConfig {
  const ctx: Context = { alias, localUser: options.localUser ?? userInfo().username, home: options.home ?? homedir() };
  const first = new Map<string, readonly string[]>();
  const identityFiles: string[] = [];
  const notes: string[] = [];

  const walk = (items: readonly SshConfigItem[], active: boolean): void => {
    let on = active;
    for (const item of items) {
      if (item.type === 'host') on = active && matchPatternList(item.patterns, alias);
      else if (item.type === 'match') on = active && matchCriteria(item, ctx, first, notes);
      else if (item.type === 'include') walk(item.items, on);
      else if (on) {
        if (item.keyword === 'identityfile') identityFiles.push(item.args[0] as string);
        else if (!first.has(item.keyword)) first.set(item.keyword, item.args);
      }
    }
  };
  walk(config.items, true);

  const get = (k: string): string | undefined => first.get(k)?.[0];
  const num = (k: string): number | undefined => (get(k) === undefined ? undefined : Number(get(k)));
  const hostNameRaw = get('hostname');
  const hostName = hostNameRaw === undefined ? undefined : expandTokens(hostNameRaw, { ...ctx, host: alias, port: undefined, user: undefined });
  const port = num('port');
  const user = get('user');
  const tokens = { ...ctx, host: hostName ?? alias, port, user: user ?? ctx.localUser };
  const files = (k: string): string[] | undefined => first.get(k)?.map((f) => expandTilde(expandTokens(f, tokens), ctx.home));
  const proxyJump = get('proxyjump');
  const identitiesOnly = get('identitiesonly');
  const strict = get('stricthostkeychecking');
  const out: SshHostConfig = {
    identityFiles: identityFiles.filter((f) => f.toLowerCase() !== 'none').map((f) => expandTilde(expandTokens(f, tokens), ctx.home)),
    notes,
    ...(hostName !== undefined && { hostName }),
    ...(user !== undefined && { user }),
    ...(port !== undefined && { port }),
    ...(identitiesOnly !== undefined && { identitiesOnly: identitiesOnly.toLowerCase() === 'yes' }),
    ...(proxyJump !== undefined && proxyJump.toLowerCase() !== 'none' && { proxyJump }),
    ...(first.has('userknownhostsfile') && { userKnownHostsFiles: files('userknownhostsfile') }),
    ...(first.has('globalknownhostsfile') && { globalKnownHostsFiles: files('globalknownhostsfile') }),
    ...(strict !== undefined && { strictHostKeyChecking: strict.toLowerCase() }),
    ...(num('connecttimeout') !== undefined && { connectTimeout: num('connecttimeout') }),
    ...(num('serveraliveinterval') !== undefined && { serverAliveInterval: num('serveraliveinterval') }),
    ...(num('serveralivecountmax') !== undefined && { serverAliveCountMax: num('serveralivecountmax') }),
    ...(get('identityagent') !== undefined && { identityAgent: expandTilde(get('identityagent') as string, ctx.home) }),
    ...(get('hostkeyalias') !== undefined && { hostKeyAlias: get('hostkeyalias') }),
    ...(first.has('proxycommand') && { proxyCommand: (first.get('proxycommand') as readonly string[]).join(' ') }),
  };
  return out;
}

function matchCriteria(item: Extract<SshConfigItem, { type: 'match' }>, ctx: Context, first: ReadonlyMap<string, readonly string[]>, notes: string[]): boolean {
  const c = item.criteria;
  let i = 0;
  let all = true;
  while (i < c.length) {
    let word = (c[i] as string).toLowerCase();
    const negate = word.startsWith('!');
    if (negate) word = word.slice(1);
    if (word === 'all') {
      i++;
      continue;
    }
    const arg = c[i + 1];
    let result: boolean;
    if (word === 'host' || word === 'originalhost') {
      const target = word === 'host' ? expandTokens(first.get('hostname')?.[0] ?? ctx.alias, { ...ctx, host: ctx.alias, port: undefined, user: undefined }) : ctx.alias;
      result = matchPatternList((arg ?? '').split(','), target);
    } else if (word === 'user') {
      result = matchPatternList((arg ?? '').split(','), first.get('user')?.[0] ?? ctx.localUser);
    } else if (word === 'localuser') {
      result = matchPatternList((arg ?? '').split(','), ctx.localUser);
    } else {
      // exec, canonical, final, localnetwork, tagged: not evaluated; the block never applies.
      notes.push(`${item.where.file}:${item.where.line}: Match ${word} is not supported by sparkbook; the block is ignored`);
      return false;
    }
    if (negate) result = !result;
    all = all && result;
    i += 2;
  }
  return all;
}

/** The tokens OpenSSH expands in HostName/IdentityFile/known-hosts paths: %% %d %h %n %p %r %u. */
export function expandTokens(text: string, t: { readonly alias: string; readonly home: string; readonly localUser: string; readonly host: string; readonly port: number | undefined; readonly user: string | undefined }): string {
  return text.replace(/%([%dhnpru])/g, (_m, k: string) => {
    switch (k) {
      case '%':
        return '%';
      case 'd':
        return t.home;
      case 'h':
        return t.host;
      case 'n':
        return t.alias;
      case 'p':
        return String(t.port ?? 22);
      case 'r':
        return t.user ?? t.localUser;
      default:
        return t.localUser;
    }
  });
}
