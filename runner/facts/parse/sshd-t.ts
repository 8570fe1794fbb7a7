// Parses `sshd -T`: sshd's effective configuration, one lowercase `keyword value` a line, a
// keyword repeated once per value (port, listenaddress, hostkey, acceptenv, ...).

export interface SshdEffective {
  readonly ports: number[];
  readonly listenAddresses: string[];
  readonly passwordAuthentication: string | null;
  readonly permitRootLogin: string | null;
  readonly pubkeyAuthentication: string | null;
  readonly kbdInteractiveAuthentication: string | null;
  /** Every keyword with all its values in output order. */
  readonly settings: Record<string, string[]>;
}

/** null when the text holds no `port` line: sshd -T failed or printed an error. */
export function parseSshdT(text: string): SshdEffective | null {
  const settings: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z0-9]+) (.*)$/.exec(line.trimEnd());
    if (m === null) continue;
    const [, key = '', value = ''] = m;
    (settings[key] ??= []).push(value);
  }
  const ports = (settings['port'] ?? []).filter((p) => /^\d+$/.test(p)).map(Number);
  if (ports.length === 0) return null;
  const one = (key: string): string | null => settings[key]?.[0] ?? null;
  return {
    ports,
    listenAddresses: settings['listenaddress'] ?? [],
    passwordAuthentication: one('passwordauthentication'),
    permitRootLogin: one('permitrootlogin'),
    pubkeyAuthentication: one('pubkeyauthentication'),
    // OpenSSH before 8.7 names it challengeresponseauthentication.
    kbdInteractiveAuthentication: one('kbdinteractiveauthentication') ?? one('challengeresponseauthentication'),
    settings,
  };
}
