// ufw rules as data, and their one canonical text: the form `ufw show added` prints (ufw
// 0.36.2 parser.py UFWCommandRule.get_command), so a wanted rule and an existing one compare
// as strings and a second run plans nothing.
import { TaskError } from '../../runner/errors.js';
import { PORT_NUMBER_PATTERN, caseless } from './patterns.js';

export type UfwAction = 'allow' | 'deny' | 'reject' | 'limit';
export type UfwProto = 'tcp' | 'udp' | 'any';

/** One rule as a task gives it (after defaults). */
export interface UfwRuleSpec {
  readonly rule: UfwAction;
  /** A port, a range `6000:6007` or a list `80,443`; absent: any port. */
  readonly port?: number | string;
  readonly proto?: UfwProto;
  /** A source address or CIDR, or `any`. */
  readonly from?: string;
  /** A destination address or CIDR, or `any`. */
  readonly to?: string;
  /** `in on IFACE` (direction in) or `out on IFACE` (direction out). */
  readonly interface?: string;
  readonly direction?: 'in' | 'out';
  readonly comment?: string;
  /** An application profile (`OpenSSH`) instead of a port. */
  readonly app?: string;
}

/** A rule in canonical form: its identity (no comment) and the words of its ufw command. */
export interface UfwRule {
  /** `allow in on tailscale0 to any port 22 proto tcp`: what identifies the rule. */
  readonly identity: string;
  readonly comment: string | null;
  readonly action: UfwAction;
  readonly direction: 'in' | 'out';
  readonly interface: string | null;
  readonly from: string;
  readonly to: string;
  readonly port: string | null;
  readonly proto: UfwProto;
  readonly app: string | null;
}

const IFACE = /^[A-Za-z0-9_.:+-]{1,15}$/;
const PORT = /^\d{1,5}(?:[:,]\d{1,5})*$/;

/** An application profile name (`OpenSSH`, `Nginx Full`). */
export const UFW_APP_PATTERN = '^[A-Za-z0-9][A-Za-z0-9 _.+-]*$';
const APP = new RegExp(UFW_APP_PATTERN);

/** A port as a string: one port, a range `6000:6007` or a list `80,443`, each 1-65535. */
export const UFW_PORT_PATTERN = `^${PORT_NUMBER_PATTERN}(?:[:,]${PORT_NUMBER_PATTERN})*$`;
/** A port string that is a range or a list, which ufw takes only with proto tcp or udp. */
export const UFW_PORT_RANGE_PATTERN = '^[0-9]+(?:[:,][0-9]+)+$';

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}(?:/(?:3[0-2]|[12]?[0-9]))?`;
const IPV6 = '[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(?:/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))?';
/**
 * What normalizeUfwAddress takes: any, an IPv4 or IPv6 address, or a CIDR with a prefix length
 * that fits (ufw takes no host names). Its schema form, so `sparkbook validate` refuses the rest.
 */
export const UFW_ADDRESS_PATTERN = `^\\s*(?:${caseless('any')}|${IPV4}|${IPV6})\\s*$`;

function fail(message: string): never {
  throw new TaskError('module', `ufw: ${message}`);
}

function ipv4Bits(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function ipv4Text(bits: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(bits / 2 ** s) % 256).join('.');
}

/**
 * An address as ufw stores it: `any`; an IPv4 host without `/32`; an IPv4 network with its host
 * bits cleared (ufw keeps `192.168.1.0/24` for `192.168.1.7/24`); IPv6 lower-cased, `/128` dropped.
 */
export function normalizeUfwAddress(value: string | undefined): string {
  if (value === undefined) return 'any';
  const text = value.trim();
  if (text === '' || text.toLowerCase() === 'any' || text === '0.0.0.0/0' || text === '::/0') return 'any';
  const [addr = '', prefixText, extra] = text.split('/');
  if (extra !== undefined) fail(`${JSON.stringify(value)} is not an address or CIDR`);
  const v4 = ipv4Bits(addr);
  if (v4 !== null) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (!/^\d{1,2}$/.test(prefixText ?? '32') || prefix > 32) fail(`${JSON.stringify(value)} has a bad prefix length`);
    if (prefix === 32) return addr.split('.').map(Number).join('.');
    const size = 2 ** (32 - prefix);
    return `${ipv4Text(Math.floor(v4 / size) * size)}/${prefix}`;
  }
  if (/^[0-9A-Fa-f:.]+$/.test(addr) && addr.includes(':')) {
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText ?? '128') || prefix > 128) fail(`${JSON.stringify(value)} has a bad prefix length`);
    return prefix === 128 ? addr.toLowerCase() : `${addr.toLowerCase()}/${prefix}`;
  }
  return fail(`${JSON.stringify(value)} is not an address or CIDR (ufw takes no host names)`);
}

/** A task's rule in canonical form; throws a TaskError for a rule ufw would refuse. */
export function canonicalRule(spec: UfwRuleSpec): UfwRule {
  const direction = spec.direction ?? 'in';
  const port = spec.port === undefined ? null : String(spec.port);
  const proto = spec.proto ?? 'any';
  const app = spec.app ?? null;
  if (port !== null && !PORT.test(port)) fail(`port ${JSON.stringify(port)} is not a port, range (6000:6007) or list (80,443)`);
  if (port !== null && /[:,]/.test(port) && proto === 'any') fail(`port ${port}: a range or list needs proto tcp or udp`);
  if (port !== null && port.split(/[:,]/).some((p) => Number(p) < 1 || Number(p) > 65535)) fail(`port ${port} is out of 1-65535`);
  if (app !== null && !APP.test(app)) fail(`app ${JSON.stringify(app)} is not a profile name`);
  if (app !== null && port !== null) fail('give either port or app, not both');
  if (spec.interface !== undefined && !IFACE.test(spec.interface)) fail(`interface ${JSON.stringify(spec.interface)} is not an interface name`);
  if (spec.comment !== undefined && (spec.comment.includes("'") || spec.comment.includes('\n'))) {
    fail('a comment cannot contain a quote or a newline');
  }
  const rule: Omit<UfwRule, 'identity'> = {
    action: spec.rule,
    direction,
    interface: spec.interface ?? null,
    from: normalizeUfwAddress(spec.from),
    to: normalizeUfwAddress(spec.to),
    port,
    proto: app !== null ? 'any' : proto,
    app,
    comment: spec.comment ?? null,
  };
  return { ...rule, identity: ruleIdentity(rule) };
}

function appWord(app: string): string {
  return app.includes(' ') ? `'${app}'` : app;
}

/** ufw's get_command without the comment: short syntax when only a port is given. */
function ruleIdentity(r: Omit<UfwRule, 'identity'>): string {
  const short = r.from === 'any' && r.to === 'any' && r.interface === null && (r.port !== null || r.app !== null);
  const words: string[] = [r.action];
  if (short) {
    if (r.direction === 'out') words.push('out');
    if (r.app !== null) words.push(appWord(r.app));
    else words.push(r.proto === 'any' ? String(r.port) : `${r.port}/${r.proto}`);
    return words.join(' ');
  }
  if (r.interface !== null) words.push(r.direction === 'in' ? `in on ${r.interface}` : `out on ${r.interface}`);
  else if (r.direction === 'out') words.push('out');
  if (r.from !== 'any') words.push(`from ${r.from}`);
  if (r.to !== 'any' || r.port !== null || r.app !== null) {
    words.push(`to ${r.to}`);
    if (r.app !== null) words.push(`app ${appWord(r.app)}`);
    else if (r.port !== null) words.push(`port ${r.port}`);
  }
  const text = words.join(' ');
  const extended = text.includes(' to ') || text.includes(' from ') || r.interface !== null;
  const out = extended ? words : [...words, 'to any'];
  if (r.proto !== 'any' && r.app === null) out.push(`proto ${r.proto}`);
  return out.join(' ');
}

/** The argv words after `ufw` that add (or, with `del`, delete) the rule. */
export function ruleArgs(r: UfwRule, del = false): string[] {
  const words = splitWords(r.identity);
  const out = del ? ['delete', ...words] : words;
  if (!del && r.comment !== null) out.push('comment', r.comment);
  return out;
}

/** Splits a canonical rule text into words, keeping a quoted app name as one word. */
function splitWords(text: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m[1] ?? m[2] ?? '');
  return out;
}

/** The rule as people read it: `ufw allow 51820/udp`. */
export function ruleText(r: UfwRule): string {
  return `ufw ${r.identity}`;
}

/** One line of `ufw show added` (`ufw allow 22/tcp comment 'ssh'`) as identity and comment. */
export function parseAddedLine(line: string): { identity: string; comment: string | null } | null {
  const text = line.trim();
  if (!text.startsWith('ufw ')) return null;
  const body = text.slice(4);
  const m = / comment '(.*)'$/.exec(body);
  if (m) return { identity: body.slice(0, m.index), comment: m[1] ?? '' };
  return { identity: body, comment: null };
}

/** `ufw show added` output as rules in canonical text (route rules included, prefixed `route`). */
export function parseShowAdded(stdout: string): { identity: string; comment: string | null }[] {
  const out: { identity: string; comment: string | null }[] = [];
  for (const line of stdout.split('\n')) {
    const rule = parseAddedLine(line);
    if (rule !== null) out.push(rule);
  }
  return out;
}

/**
 * Whether the rule lets new TCP connections in to `port` from anywhere on any interface (what
 * keeps the operator's SSH session reachable). `OpenSSH` is the app profile of port 22.
 */
export function allowsTcpPortFromAnywhere(identity: string, port: number): boolean {
  const p = String(port);
  const forms = [
    `allow ${p}/tcp`,
    `allow ${p}`,
    `limit ${p}/tcp`,
    `limit ${p}`,
  ];
  if (port === 22) forms.push('allow OpenSSH', 'limit OpenSSH');
  return forms.includes(identity);
}

/** The argv words of a canonical rule text (`allow in on tailscale0 to any port 22 proto tcp`). */
export function identityArgs(identity: string, del = false, comment?: string): string[] {
  const words = splitWords(identity);
  const out = del ? ['delete', ...words] : words;
  if (!del && comment !== undefined) out.push('comment', comment);
  return out;
}

/**
 * The same rule for another port: `allow 22/tcp` → `allow 2222/tcp`, `… port 22 proto tcp` →
 * `… port 2222 proto tcp`, the OpenSSH profile → `allow 2222/tcp`. null when the rule is not an
 * allow/limit of TCP `from` (a route rule, a UDP rule, another port).
 */
export function movePortRule(identity: string, from: number, to: number): string | null {
  const short = /^(allow|limit)( out)? (\d+)(\/tcp)?$/.exec(identity);
  if (short !== null) return Number(short[3]) === from ? `${short[1]}${short[2] ?? ''} ${to}${short[4] ?? ''}` : null;
  if (from === 22 && /^(allow|limit) OpenSSH$/.test(identity)) return `${identity.split(' ')[0]} ${to}/tcp`;
  const full = /^((?:allow|limit) (?:.* )?to \S+ port )(\d+)((?: proto tcp)?)$/.exec(identity);
  if (full !== null && !identity.startsWith('route ') && Number(full[2]) === from) return `${full[1]}${to}${full[3]}`;
  return null;
}
