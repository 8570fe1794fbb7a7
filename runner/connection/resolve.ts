// Where a host's connection goes and how: ssh config < ssh args < run-wide defaults (-u, --private-key,
// -k, ansible.cfg) < inventory vars, then open it (local or SSH).
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { expandTilde, loadSshConfig, resolveSshConfig, type SshConfig, type SshHostConfig } from './ssh-config.js';
import { isSecret, Secret } from '../shell/secret.js';
import type { Connection } from './connection.js';
import { LocalConnection } from './local.js';
import { parseSshArgs, type SshArgOption } from './ssh-args.js';
import { SshConnection } from './ssh.js';
import type { ConnectionSettings, HostKeyPolicy, JumpHop } from './settings.js';

export type { ConnectionSettings, HostKeyPolicy, JumpHop } from './settings.js';

export interface ResolveOptions {
  /** `-F FILE`; default ~/.ssh/config (missing is fine). */
  readonly sshConfigPath?: string;
  /** A config already loaded (the CLI loads it once for all hosts). */
  readonly sshConfig?: SshConfig;
  /** `--known-hosts FILE`: the only file read and written, whatever the config says. */
  readonly knownHostsPath?: string;
  /** `--host-key-policy`: always wins over StrictHostKeyChecking (which can never turn checking off). */
  readonly hostKeyPolicy: HostKeyPolicy;
  /** Default connect timeout; a host's ConnectTimeout or ansible_timeout is more specific and wins. */
  readonly timeoutMs?: number;
  /** Default per-command timeout (`--timeout`). */
  readonly commandTimeoutMs?: number;
  /** `-K` / SPARKBOOK_BECOME_PASS; an inventory become password for the host wins. */
  readonly becomePassword?: Secret;
  /** Default: SPARKBOOK_KEY_PASSPHRASE from `env`. */
  readonly keyPassphrase?: Secret;
  readonly askPassphrase?: (keyFile: string) => Promise<Secret | undefined>;
  readonly maxSessions?: number;
  /** Default: process.env (SSH_AUTH_SOCK, SPARKBOOK_KEY_PASSPHRASE). */
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
  readonly localUser?: string;
  /** `-u`, `--private-key`, `-k` and ansible.cfg: what a host gets when its inventory vars do not say. */
  readonly defaults?: ConnectionDefaults;
}

/**
 * Run-wide connection defaults. As in Ansible, a host's inventory vars (and -e) win over them,
 * and they win over ssh args and the ssh config (Ansible passes them to ssh as `-o User=…`,
 * `-o IdentityFile=…` before ansible_ssh_common_args, and ssh takes the first value).
 */
export interface ConnectionDefaults {
  /** `-u USER` / ansible.cfg remote_user. */
  readonly user?: string;
  /** `--private-key FILE` / ansible.cfg private_key_file: tried before any IdentityFile. */
  readonly privateKeyFile?: string;
  /** `-k`: the SSH login password. */
  readonly password?: Secret;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_KEEPALIVE_S = 15;

/**
 * Without ServerAliveInterval: every 15 s, or a third of --timeout when that is shorter (at least
 * 1 s), so that a host whose network died is declared lost (3 unanswered keepalives) about when
 * its script would have timed out, not 45 s later. A live sshd answers keepalives even while a
 * long script runs, so a short interval never cuts a healthy host off.
 */
export function defaultKeepaliveMs(commandTimeoutMs: number | undefined): number {
  const standard = DEFAULT_KEEPALIVE_S * 1000;
  if (commandTimeoutMs === undefined || commandTimeoutMs <= 0) return standard;
  return Math.min(standard, Math.max(1000, Math.round(commandTimeoutMs / 3)));
}
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** First defined var among `names`; null counts as unset. */
function pick(vars: Readonly<Record<string, unknown>>, ...names: string[]): unknown {
  for (const n of names) {
    const v = vars[n];
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

function str(host: string, name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw new InputError('inventory', `${host}: ${name} must be a string, not ${Array.isArray(v) ? 'a list' : typeof v}`);
}

function portOf(host: string, name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InputError('inventory', `${host}: ${name} must be a port number (1-65535), not ${JSON.stringify(v)}`);
  return n;
}

function secretOf(host: string, name: string, v: unknown): Secret | undefined {
  if (v === undefined) return undefined;
  if (isSecret(v)) return v;
  if (typeof v === 'string' || typeof v === 'number') return new Secret(String(v));
  throw new InputError('inventory', `${host}: ${name} must be a string`);
}

function boolOf(v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return /^(yes|true|on|1|y)$/i.test(v.trim());
  return undefined;
}

/** The first value of each keyword, plus every IdentityFile, from ssh args in order. */
function argsFirst(options: readonly SshArgOption[]): { first: Map<string, readonly string[]>; identityFiles: string[] } {
  const first = new Map<string, readonly string[]>();
  const identityFiles: string[] = [];
  for (const o of options) {
    if (o.keyword === 'identityfile') identityFiles.push(o.args[0] as string);
    else if (!first.has(o.keyword)) first.set(o.keyword, o.args);
  }
  return { first, identityFiles };
}

/** `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`. */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  let s = spec.trim().replace(/^ssh:\/\//, '');
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let host = s;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  const plain = /^([^:]+):(\d+)$/.exec(s);
  if (v6) {
    host = v6[1] as string;
    if (v6[2] !== undefined) port = Number(v6[2]);
  } else if (plain) {
    host = plain[1] as string;
    port = Number(plain[2]);
  }
  if (host === '' || (port !== undefined && (port < 1 || port > 65535))) throw new InputError('inventory', `ProxyJump ${JSON.stringify(spec)} is not [user@]host[:port]`);
  return { host, ...(user !== undefined && user !== '' && { user }), ...(port !== undefined && { port }) };
}

function defaultIdentities(home: string): string[] {
  return DEFAULT_IDENTITIES.map((f) => join(home, '.ssh', f));
}

/** Resolves ProxyJump hops, each through the ssh config as its own alias (a hop's own ProxyJump comes first). */
function resolveJumps(value: string | undefined, config: SshConfig, ctx: { home: string; localUser: string; fallbackKeys: readonly string[] }, depth = 0): JumpHop[] {
  if (value === undefined || value.toLowerCase() === 'none') return [];
  if (depth > 8) throw new InputError('ssh-config', `ProxyJump chain through ${value} is too long (a loop?)`);
  const hops: JumpHop[] = [];
  for (const spec of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const j = parseJumpSpec(spec);
    const c = resolveSshConfig(config, j.host, { localUser: ctx.localUser, home: ctx.home });
    hops.push(...resolveJumps(c.proxyJump, config, ctx, depth + 1));
    const own = c.identityFiles.length > 0 ? c.identityFiles : defaultIdentities(ctx.home);
    hops.push({
      spec,
      name: j.host,
      address: c.hostName ?? j.host,
      port: j.port ?? c.port ?? 22,
      user: j.user ?? c.user ?? ctx.localUser,
      identityFiles: [...new Set([...own, ...ctx.fallbackKeys])],
      identitiesOnly: c.identitiesOnly ?? false,
    });
  }
  return hops;
}

/**
 * Merges, lowest first: the ssh config for the alias, `ansible_ssh_extra_args`,
 * `ansible_ssh_common_args` (ssh's first-value-wins puts common before extra), the run-wide
 * defaults (`options.defaults`), then the inventory's own connection vars (ansible_* and
 * sparkbook_*; sparkbook_* win).
 */
export function resolveConnectionSettings(hostName: string, vars: Readonly<Record<string, unknown>>, options: ResolveOptions): ConnectionSettings {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const localUser = options.localUser ?? userInfo().username;
  const notes: string[] = [];

  const commonText = str(hostName, 'ansible_ssh_common_args', pick(vars, 'sparkbook_ssh_args', 'ansible_ssh_common_args'));
  const extraText = str(hostName, 'ansible_ssh_extra_args', pick(vars, 'ansible_ssh_extra_args'));
  const common = commonText !== undefined ? parseSshArgs(commonText, 'ansible_ssh_common_args') : undefined;
  const extra = extraText !== undefined ? parseSshArgs(extraText, 'ansible_ssh_extra_args') : undefined;
  notes.push(...(common?.notes ?? []), ...(extra?.notes ?? []));
  const args = argsFirst([...(common?.options ?? []), ...(extra?.options ?? [])]);
  const argConfigFile = common?.configFile ?? extra?.configFile;

  const config = options.sshConfig ?? loadSshConfig(argConfigFile !== undefined ? expandTilde(argConfigFile, home) : options.sshConfigPath, home);
  const sc: SshHostConfig = resolveSshConfig(config, hostName, { localUser, home });
  notes.push(...sc.notes);
  const arg = (k: string): string | undefined => args.first.get(k)?.[0];

  const connectionVar = str(hostName, 'ansible_connection', pick(vars, 'sparkbook_connection', 'ansible_connection'));
  const explicitHost = str(hostName, 'ansible_host', pick(vars, 'sparkbook_host', 'ansible_host', 'ansible_ssh_host'));
  let transport: 'local' | 'ssh';
  if (connectionVar === undefined) transport = hostName === 'localhost' && explicitHost === undefined ? 'local' : 'ssh';
  else if (connectionVar === 'local') transport = 'local';
  else if (['ssh', 'smart', 'paramiko', 'paramiko_ssh'].includes(connectionVar)) transport = 'ssh';
  else throw new InputError('inventory', `${hostName}: ansible_connection ${JSON.stringify(connectionVar)} is not supported (local or ssh)`);

  const address = explicitHost ?? arg('hostname') ?? sc.hostName ?? hostName;
  const port = portOf(hostName, 'ansible_port', pick(vars, 'sparkbook_port', 'ansible_port', 'ansible_ssh_port')) ?? portOf(hostName, 'Port', arg('port')) ?? sc.port ?? 22;
  const defaults = options.defaults ?? {};
  const user = str(hostName, 'ansible_user', pick(vars, 'sparkbook_user', 'ansible_user', 'ansible_ssh_user')) ?? defaults.user ?? arg('user') ?? sc.user ?? localUser;

  const tokens = (f: string): string => expandTilde(f.replace(/%d/g, home).replace(/%u/g, localUser).replace(/%h/g, address).replace(/%r/g, user).replace(/%%/g, '%'), home);
  const inventoryKey = str(hostName, 'ansible_ssh_private_key_file', pick(vars, 'sparkbook_key_file', 'ansible_ssh_private_key_file', 'ansible_private_key_file')) ?? defaults.privateKeyFile;
  const explicitKeys = [...(inventoryKey !== undefined ? [inventoryKey] : []), ...args.identityFiles].map(tokens);
  const configured = [...explicitKeys, ...sc.identityFiles];
  // As ssh: the default identities only when none is named anywhere.
  const identityFiles = [...new Set(configured.length > 0 ? configured : defaultIdentities(home))];
  const identitiesOnlyArg = arg('identitiesonly');
  const identitiesOnly = identitiesOnlyArg !== undefined ? identitiesOnlyArg.toLowerCase() === 'yes' : (sc.identitiesOnly ?? false);

  const argKnown = args.first.get('userknownhostsfile')?.map(tokens);
  const knownHostsFiles = options.knownHostsPath !== undefined ? [options.knownHostsPath] : (argKnown ?? sc.userKnownHostsFiles ?? [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2')]);
  const argGlobal = args.first.get('globalknownhostsfile')?.map(tokens);
  const globalKnownHostsFiles = options.knownHostsPath !== undefined ? [] : (argGlobal ?? sc.globalKnownHostsFiles ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);

  const strict = arg('stricthostkeychecking') ?? sc.strictHostKeyChecking;
  if (strict !== undefined && strict.toLowerCase() !== (options.hostKeyPolicy === 'strict' ? 'yes' : 'accept-new')) {
    notes.push(`StrictHostKeyChecking ${strict} is not used: sparkbook always checks host keys, with --host-key-policy ${options.hostKeyPolicy}`);
  }

  const timeoutVar = pick(vars, 'sparkbook_timeout', 'ansible_timeout', 'ansible_ssh_timeout');
  const timeoutS = timeoutVar !== undefined ? Number(timeoutVar) : arg('connecttimeout') !== undefined ? Number(arg('connecttimeout')) : sc.connectTimeout;
  if (timeoutS !== undefined && (!Number.isFinite(timeoutS) || timeoutS <= 0)) throw new InputError('inventory', `${hostName}: the connect timeout must be a positive number of seconds, not ${JSON.stringify(timeoutVar ?? arg('connecttimeout'))}`);
  const connectTimeoutMs = timeoutS !== undefined ? timeoutS * 1000 : (options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  const aliveS = arg('serveraliveinterval') !== undefined ? Number(arg('serveraliveinterval')) : sc.serverAliveInterval;
  const aliveMax = arg('serveralivecountmax') !== undefined ? Number(arg('serveralivecountmax')) : sc.serverAliveCountMax;

  const identityAgent = arg('identityagent') ?? sc.identityAgent;
  const agentSocket = identityAgent === undefined ? env.SSH_AUTH_SOCK : identityAgent.toLowerCase() === 'none' ? undefined : identityAgent === 'SSH_AUTH_SOCK' ? env.SSH_AUTH_SOCK : tokens(identityAgent);

  const password = secretOf(hostName, 'ansible_password', pick(vars, 'sparkbook_password', 'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password')) ?? defaults.password;
  const keyPassphrase = options.keyPassphrase ?? (env.SPARKBOOK_KEY_PASSPHRASE ? new Secret(env.SPARKBOOK_KEY_PASSPHRASE) : undefined);

  const becomeMethod = str(hostName, 'ansible_become_method', pick(vars, 'ansible_become_method'));
  if (becomeMethod !== undefined && becomeMethod !== 'sudo') notes.push(`ansible_become_method ${becomeMethod} is not supported; sparkbook becomes with sudo`);
  const becomePassword = secretOf(hostName, 'ansible_become_password', pick(vars, 'sparkbook_become_password', 'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass')) ?? options.becomePassword;
  const become = {
    enabled: boolOf(pick(vars, 'sparkbook_become', 'ansible_become')) ?? false,
    user: str(hostName, 'ansible_become_user', pick(vars, 'sparkbook_become_user', 'ansible_become_user')) ?? 'root',
    ...(becomePassword && { password: becomePassword }),
  };

  const proxyJumpValue = arg('proxyjump') ?? sc.proxyJump;
  const proxyJump = transport === 'ssh' ? resolveJumps(proxyJumpValue, config, { home, localUser, fallbackKeys: explicitKeys }) : [];
  if (sc.proxyCommand !== undefined && proxyJumpValue === undefined) notes.push(`ProxyCommand in ${config.file} is not supported (use ProxyJump); ignored`);

  const aliases = [...new Set([hostName, sc.hostName, sc.hostKeyAlias].filter((a): a is string => a !== undefined && a !== address))];

  return {
    host: hostName,
    transport,
    address: transport === 'local' ? 'localhost' : address,
    port: transport === 'local' ? 0 : port,
    user: transport === 'local' ? localUser : user,
    identityFiles,
    identitiesOnly,
    ...(agentSocket !== undefined && agentSocket !== '' && { agentSocket }),
    ...(password && { password }),
    ...(keyPassphrase && { keyPassphrase }),
    ...(options.askPassphrase && { askPassphrase: options.askPassphrase }),
    knownHostsFiles,
    globalKnownHostsFiles,
    hostKeyPolicy: options.hostKeyPolicy,
    hostKeyAliases: aliases,
    connectTimeoutMs,
    keepaliveIntervalMs: aliveS !== undefined && aliveS > 0 ? aliveS * 1000 : defaultKeepaliveMs(options.commandTimeoutMs),
    keepaliveCountMax: aliveMax !== undefined && aliveMax > 0 ? aliveMax : 3,
    ...(options.commandTimeoutMs !== undefined && { commandTimeoutMs: options.commandTimeoutMs }),
    maxSessions: options.maxSessions ?? 10,
    proxyJump,
    become,
    notes,
  };
}

/**
 * Opens the host's connection: a LocalConnection for `ansible_connection: local` (and the
 * implicit localhost), otherwise a connected SshConnection. Throws HostError when unreachable.
 */
export async function openConnection(hostName: string, settings: ConnectionSettings): Promise<Connection> {
  if (settings.transport === 'local') {
    return new LocalConnection({ host: hostName, ...(settings.become.password && { becomePassword: settings.become.password }) });
  }
  return SshConnection.connect(settings);
}
