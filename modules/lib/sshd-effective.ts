// `sshd -T` output (the effective configuration, Match blocks applied for `-C` connection
// parameters) as data, and the check that the operator could still log in under it.

/** Lower-case keyword → every value printed for it, in order. */
export type EffectiveConfig = ReadonlyMap<string, readonly string[]>;

/** Parses `sshd -T` output: one `keyword value…` per line. */
export function parseSshdT(stdout: string): EffectiveConfig {
  const out = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const m = /^([a-z][a-z0-9]*)\s+(.*)$/.exec(line.trim());
    if (m === null) continue;
    const key = m[1] as string;
    const list = out.get(key) ?? [];
    list.push(m[2] as string);
    out.set(key, list);
  }
  return out;
}

/** The ports sshd listens on per this config. */
export function effectivePorts(config: EffectiveConfig): number[] {
  const ports = (config.get('port') ?? []).map(Number).filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
  return [...new Set(ports)].sort((a, b) => a - b);
}

function first(config: EffectiveConfig, key: string): string | undefined {
  return config.get(key)?.[0];
}

function words(config: EffectiveConfig, key: string): string[] {
  return (config.get(key) ?? []).flatMap((v) => v.split(/\s+/)).filter((w) => w !== '');
}

/** sshd's pattern language: `*` and `?` wildcards, a leading `!` negates. */
function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

/** Whether a user/group pattern list matches (`user@host` patterns are matched on the user part). */
function listMatches(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).split('@')[0] as string;
    if (globMatch(pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/**
 * The reasons `user` (member of `groups`) could not log in under `config`; [] when nothing
 * stands in the way. Catches the classic lockouts: AllowUsers/AllowGroups without the
 * operator, DenyUsers/DenyGroups with them, PermitRootLogin no for root, no auth method left.
 */
export function operatorLockouts(config: EffectiveConfig, user: string, groups: readonly string[]): string[] {
  const problems: string[] = [];
  // forced-commands-only admits root only with a key whose authorized_keys line forces a command,
  // which would run instead of sparkbook's shell: as much a lockout as `no`.
  const rootLogin = first(config, 'permitrootlogin');
  if (user === 'root' && (rootLogin === 'no' || rootLogin === 'forced-commands-only')) problems.push(`PermitRootLogin ${rootLogin} refuses root, the user sparkbook connects as`);
  const denyUsers = words(config, 'denyusers');
  if (denyUsers.length > 0 && listMatches(denyUsers, user)) problems.push(`DenyUsers matches ${user}`);
  const allowUsers = words(config, 'allowusers');
  if (allowUsers.length > 0 && !listMatches(allowUsers, user)) problems.push(`AllowUsers does not include ${user}`);
  const denyGroups = words(config, 'denygroups');
  if (denyGroups.length > 0 && groups.some((g) => listMatches(denyGroups, g))) problems.push(`DenyGroups matches a group of ${user}`);
  const allowGroups = words(config, 'allowgroups');
  if (allowGroups.length > 0 && !groups.some((g) => listMatches(allowGroups, g))) problems.push(`AllowGroups includes no group of ${user}`);
  const pubkey = first(config, 'pubkeyauthentication') !== 'no';
  const password = first(config, 'passwordauthentication') === 'yes';
  const kbd = first(config, 'kbdinteractiveauthentication') === 'yes';
  if (!pubkey && !password && !kbd) problems.push('no authentication method is left (publickey, password and keyboard-interactive are all off)');
  return problems;
}
