// ansible.cfg, found and read as ansible-core 2.14 does, for the settings sparkbook has: the first
// of $ANSIBLE_CONFIG (a directory means DIR/ansible.cfg), ./ansible.cfg (skipped when the current
// directory is world-writable: anyone could plant one there), ~/.ansible.cfg. Unknown sections and
// keys are ignored, as Ansible ignores what it does not know; a malformed file or value is a
// located error (FILE:LINE:COL, exit 2). Command-line flags win over every setting here.
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { formatLocated, InputError, type SourceLocation } from '../errors.js';
import { expandTilde } from '../connection/ssh-config.js';
import { iniGet, parseIni, type IniEntry } from '../text/ini.js';
import { checkBecomeMethod } from './become-method.js';
import type { CommandIo } from './io.js';

/** A setting with where it was written, for messages about it. */
export interface Setting<T> {
  readonly value: T;
  readonly where: SourceLocation;
}

/** The ansible.cfg settings sparkbook reads; paths are absolute (relative ones are from the file's directory, as in Ansible). */
export interface AnsibleConfig {
  /** The file read. */
  readonly file: string;
  readonly inventory?: Setting<string>;
  readonly remoteUser?: Setting<string>;
  readonly privateKeyFile?: Setting<string>;
  readonly forks?: Setting<number>;
  readonly hostKeyChecking?: Setting<boolean>;
  /**
   * [defaults] roles_path: directories, in order, where roles are looked up after the
   * playbook's own roles/ and before Ansible's defaults; `-r/--roles-path` wins over it.
   */
  readonly rolesPath?: Setting<readonly string[]>;
  /** [defaults] timeout: the SSH connect timeout in seconds. */
  readonly timeout?: Setting<number>;
  readonly vaultPasswordFile?: Setting<string>;
  readonly become?: Setting<boolean>;
  readonly becomeUser?: Setting<string>;
  /** Always `sudo`: any other method is refused when the file is read. */
  readonly becomeMethod?: Setting<string>;
}

export interface FoundConfig {
  readonly config?: AnsibleConfig;
  /** Why a candidate was skipped (a world-writable directory, a missing ANSIBLE_CONFIG). */
  readonly warnings: readonly string[];
}

export interface FindOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly home?: string;
}

const readable = (path: string): Promise<boolean> =>
  stat(path).then((s) => s.isFile() && access(path, constants.R_OK).then(() => true, () => false), () => false);

/** Ansible's candidates, first found wins (/etc/ansible/ansible.cfg is not read: see docs/ansible.md). */
export async function findAnsibleConfig(options: FindOptions): Promise<FoundConfig> {
  const cwd = options.cwd ?? process.cwd();
  const home = options.home ?? options.env.HOME ?? homedir();
  const warnings: string[] = [];
  const candidates: string[] = [];
  const fromEnv = options.env.ANSIBLE_CONFIG;
  let envPath: string | undefined;
  if (fromEnv !== undefined) {
    envPath = resolve(cwd, expandPath(fromEnv, options.env, home));
    const isDir = await stat(envPath).then((s) => s.isDirectory(), () => false);
    if (isDir) envPath = join(envPath, 'ansible.cfg');
    candidates.push(envPath);
  }
  const cwdFile = join(cwd, 'ansible.cfg');
  const cwdMode = await stat(cwd).then((s) => s.mode, () => undefined);
  const worldWritable = cwdMode !== undefined && (cwdMode & 0o002) !== 0;
  if (!worldWritable) candidates.push(cwdFile);
  candidates.push(join(home, '.ansible.cfg'));

  let chosen: string | undefined;
  for (const c of candidates) {
    if (await readable(c)) {
      chosen = c;
      break;
    }
  }
  if (envPath !== undefined && chosen !== envPath) warnings.push(`ANSIBLE_CONFIG=${fromEnv}: no readable file at ${envPath}${chosen ? `; reading ${chosen}` : ''}`);
  if (worldWritable && (envPath === undefined || chosen !== envPath) && (await readable(cwdFile))) {
    warnings.push(`ignoring ${cwdFile}: the directory ${cwd} is world-writable (as Ansible does: anyone could have written it)`);
  }
  if (chosen === undefined) return { warnings };
  const text = await readFile(chosen, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError('file', `${chosen}: cannot read (${e.code ?? e.message})`);
  });
  return { config: readAnsibleConfig(text, chosen, options.env, home), warnings };
}

/** The settings of one ansible.cfg text; `file` names it in errors and anchors relative paths. */
export function readAnsibleConfig(text: string, file: string, env: NodeJS.ProcessEnv = {}, home: string = homedir()): AnsibleConfig {
  const doc = parseIni(text.replace(/^\uFEFF/, ''), file);
  const base = dirname(resolve(file));
  const get = (section: string, key: string): IniEntry | undefined => iniGet(doc, section, key);
  const path = (p: string): string => {
    const expanded = expandPath(p, env, home);
    return isAbsolute(expanded) ? expanded : resolve(base, expanded);
  };
  const out: { -readonly [K in keyof AnsibleConfig]: AnsibleConfig[K] } = { file };
  const d = (key: string): IniEntry | undefined => nonEmpty(get('defaults', key));
  const pe = (key: string): IniEntry | undefined => nonEmpty(get('privilege_escalation', key));

  const inventory = d('inventory');
  if (inventory) {
    // Ansible's inventory is a comma-separated list of sources; sparkbook reads one.
    const sources = inventory.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (sources.length > 1) throw new InputError('file', `inventory lists ${sources.length} sources; sparkbook reads one inventory (a directory can hold several files)`, inventory.where);
    if (sources[0] !== undefined) out.inventory = { value: path(sources[0]), where: inventory.where };
  }
  const user = d('remote_user');
  if (user) out.remoteUser = { value: user.value, where: user.where };
  const key = d('private_key_file');
  if (key) out.privateKeyFile = { value: path(key.value), where: key.where };
  const forks = d('forks');
  if (forks) out.forks = { value: integer(forks, 'forks', 1), where: forks.where };
  const hkc = d('host_key_checking');
  if (hkc) out.hostKeyChecking = { value: boolean(hkc, 'host_key_checking'), where: hkc.where };
  const roles = d('roles_path');
  // A pathspec: separated by ':' (and by the newlines of continuation lines).
  if (roles) out.rolesPath = { value: roles.value.split(/[:\n]/).map((s) => s.trim()).filter((s) => s !== '').map(path), where: roles.where };
  const timeout = d('timeout');
  if (timeout) out.timeout = { value: integer(timeout, 'timeout', 1), where: timeout.where };
  const vault = d('vault_password_file');
  if (vault) out.vaultPasswordFile = { value: path(vault.value), where: vault.where };
  const become = pe('become');
  if (become) out.become = { value: boolean(become, 'become'), where: become.where };
  const becomeUser = pe('become_user');
  if (becomeUser) out.becomeUser = { value: becomeUser.value, where: becomeUser.where };
  const method = pe('become_method');
  if (method) {
    try {
      checkBecomeMethod(method.value, 'become_method');
    } catch (error) {
      throw new InputError('file', (error as Error).message, method.where);
    }
    out.becomeMethod = { value: method.value, where: method.where };
  }
  return out;
}

/** An empty value (`key =`) leaves Ansible's default in place. */
const nonEmpty = (e: IniEntry | undefined): IniEntry | undefined => (e === undefined || e.value === '' ? undefined : e);

// Ansible's boolean(): these words, any case. Anything else is an error here (Ansible reads it as false).
const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't', '1.0']);
const FALSE_WORDS = new Set(['n', 'no', 'off', '0', 'false', 'f', '0.0']);

function boolean(e: IniEntry, key: string): boolean {
  const v = e.value.toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  throw new InputError('file', `${key} must be a boolean (true/false, yes/no, on/off, 1/0), not '${e.value}'`, e.where);
}

function integer(e: IniEntry, key: string, min: number): number {
  if (!/^[+]?\d+$/.test(e.value) || Number(e.value) < min) throw new InputError('file', `${key} must be an integer >= ${min}, not '${e.value}'`, e.where);
  return Number(e.value);
}

/** $VAR, ${VAR} and a leading ~, as Python's expandvars and expanduser (an unset variable stays as written). */
export function expandPath(p: string, env: NodeJS.ProcessEnv, home: string): string {
  const vars = p.replace(/\$(\w+)|\$\{([^}]+)\}/g, (all, a: string | undefined, b: string | undefined) => env[(a ?? b) as string] ?? all);
  return expandTilde(vars, home);
}


/** The ansible.cfg a command runs with (its skip warnings on stderr; at -v, which file it is). */
export async function loadAnsibleConfig(io: CommandIo, verbosity = 0): Promise<AnsibleConfig | undefined> {
  const found = await findAnsibleConfig({ env: io.env });
  for (const w of found.warnings) io.stderr.write(`warning: ${w}\n`);
  if (found.config && verbosity > 0) io.stderr.write(`Using ${found.config.file} as config file\n`);
  return found.config;
}

/**
 * ansible.cfg's host_key_checking: True is strict; False (Ansible: no checking at all) is read as
 * accept-new, with a warning — sparkbook never connects to a host whose known key changed.
 */
export function configuredPolicy(config: AnsibleConfig | undefined, io: CommandIo): string | undefined {
  const hkc = config?.hostKeyChecking;
  if (hkc === undefined) return undefined;
  if (hkc.value) return 'strict';
  io.stderr.write(`warning: ${formatLocated('host_key_checking = False is read as --host-key-policy accept-new: unknown host keys are accepted and recorded, a changed key is still refused', hkc.where)}\n`);
  return 'accept-new';
}
