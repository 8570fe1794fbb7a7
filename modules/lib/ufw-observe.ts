// What a host's ufw is: installed, active, default policies, log level, IPv6 switch and the
// user rules in `ufw show added` form. Read-only probe body plus its total parser; the sshd
// module reads the same state to open and close its ports.
import { sh, type Script } from '../../runner/shell/script.js';
import { parseKeyEquals, parseSections, section } from './parse.js';
import { MISSING_FILE, SMALL_CONTENT_BYTES, parseObservedFile, statScript, type ObservedFile } from './probe-file.js';
import { parseShowAdded } from './ufw-rules.js';

export type UfwPolicy = 'allow' | 'deny' | 'reject';
export type UfwLogLevel = 'off' | 'low' | 'medium' | 'high' | 'full';

export const UFW_DEFAULTS_FILE = '/etc/default/ufw';
export const UFW_CONF_FILE = '/etc/ufw/ufw.conf';

export interface UfwObserved {
  readonly installed: boolean;
  /** `ufw status` says active (the rules are in the kernel now). */
  readonly active: boolean;
  /** ENABLED=yes in ufw.conf (started at boot). */
  readonly enabledAtBoot: boolean;
  readonly defaults: {
    readonly incoming: UfwPolicy | null;
    readonly outgoing: UfwPolicy | null;
    readonly routed: UfwPolicy | null;
  };
  readonly logging: UfwLogLevel | null;
  /** IPV6=yes in /etc/default/ufw. */
  readonly ipv6: boolean;
  /** /etc/default/ufw as read, for line edits. */
  readonly defaultsFile: ObservedFile;
  /** User rules, canonical (`allow 22/tcp`), in the order ufw lists them. */
  readonly rules: readonly { readonly identity: string; readonly comment: string | null }[];
}

export const UFW_NOT_INSTALLED: UfwObserved = {
  installed: false,
  active: false,
  enabledAtBoot: false,
  defaults: { incoming: null, outgoing: null, routed: null },
  logging: null,
  ipv6: false,
  defaultsFile: MISSING_FILE,
  rules: [],
};

/** The read-only probe: sections `ufw.installed`, `ufw.status`, `ufw.added`, `ufw.conf`, `ufw.defaults`. */
export function ufwProbeScript(): Script {
  const body = sh`if command -v ufw >/dev/null 2>&1; then echo yes; else echo no; fi`;
  return sh`${section('ufw.installed', body)}
if command -v ufw >/dev/null 2>&1; then
${section('ufw.status', sh`LC_ALL=C ufw status verbose 2>&1 || :`)}
${section('ufw.added', sh`LC_ALL=C ufw show added 2>&1 || :`)}
${section('ufw.conf', sh`cat ${UFW_CONF_FILE} 2>/dev/null || :`)}
${section('ufw.defaults', statScript(UFW_DEFAULTS_FILE, SMALL_CONTENT_BYTES))}
fi`;
}

const POLICY: Readonly<Record<string, UfwPolicy>> = { DROP: 'deny', ACCEPT: 'allow', REJECT: 'reject' };
const LEVELS: readonly UfwLogLevel[] = ['off', 'low', 'medium', 'high', 'full'];

function unquote(value: string | undefined): string | undefined {
  return value?.trim().replace(/^"(.*)"$/, '$1');
}

/** Shell-style `KEY=value` assignments (comments and blanks skipped). */
function assignments(text: string): Map<string, string> {
  return parseKeyEquals(text.split('\n').filter((l) => !l.trimStart().startsWith('#')).map((l) => l.trim()));
}

/** Parses the probe's output. Total: a missing ufw or garbage gives nulls, never a throw. */
export function parseUfwProbe(stdout: string): UfwObserved {
  const sections = parseSections(stdout);
  if ((sections.get('ufw.installed') ?? [])[0]?.trim() !== 'yes') return UFW_NOT_INSTALLED;
  const status = (sections.get('ufw.status') ?? []).join('\n');
  const conf = assignments((sections.get('ufw.conf') ?? []).join('\n'));
  const defaultsFile = parseObservedFile(sections.get('ufw.defaults'));
  const defaults = assignments(defaultsFile.content ?? '');
  const level = unquote(conf.get('LOGLEVEL'));
  return {
    installed: true,
    active: /^Status: active$/m.test(status),
    enabledAtBoot: unquote(conf.get('ENABLED')) === 'yes',
    defaults: {
      incoming: POLICY[unquote(defaults.get('DEFAULT_INPUT_POLICY')) ?? ''] ?? null,
      outgoing: POLICY[unquote(defaults.get('DEFAULT_OUTPUT_POLICY')) ?? ''] ?? null,
      routed: POLICY[unquote(defaults.get('DEFAULT_FORWARD_POLICY')) ?? ''] ?? null,
    },
    logging: LEVELS.find((l) => l === level) ?? null,
    ipv6: unquote(defaults.get('IPV6')) === 'yes',
    defaultsFile,
    rules: parseShowAdded((sections.get('ufw.added') ?? []).join('\n')),
  };
}
