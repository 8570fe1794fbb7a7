// Local users and groups as the user and group modules read them (getent, id) and change them
// (useradd/usermod/userdel, groupadd/groupmod/groupdel, chpasswd -e). A password hash never
// reaches an argv: it is compared on the host and written through chpasswd's stdin.
import { TaskError } from '../../runner/errors.js';
import type { Change } from '../../runner/module.js';
import { joinScripts, sh, type Script } from '../../runner/shell/script.js';
import type { Secret } from '../../runner/shell/secret.js';
import { parseSections, section } from './parse.js';

/** A user or group name as useradd/groupadd accept it (never an option), unanchored. */
const ACCOUNT_NAME = '[A-Za-z_][A-Za-z0-9_.-]*[$]?';
export const ACCOUNT_NAME_PATTERN = `^${ACCOUNT_NAME}$`;
/** Ansible's comma-separated list of names: 'docker,video' (empty: none). */
export const ACCOUNT_LIST_PATTERN = `^(?:${ACCOUNT_NAME}(?:\\s*,\\s*${ACCOUNT_NAME})*)?$`;
/** A group by name or by numeric gid. */
export const GROUP_OR_GID_PATTERN = `^(?:${ACCOUNT_NAME}|\\d+)$`;

export interface ObservedGroup {
  readonly exists: boolean;
  readonly gid: number | null;
}

export interface ObservedUser {
  readonly exists: boolean;
  readonly uid: number | null;
  readonly gid: number | null;
  readonly primaryGroup: string | null;
  readonly comment: string | null;
  readonly home: string | null;
  readonly shell: string | null;
  /** Supplementary groups (the primary one left out). */
  readonly groups: readonly string[];
  /** The shadow hash equals the wanted one; null when not asked or /etc/shadow is unreadable. */
  readonly passwordSame: boolean | null;
}

function firstLine(lines: readonly string[] | undefined): string {
  return (lines ?? []).find((l) => l.trim() !== '') ?? '';
}

function int(text: string | undefined): number | null {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

export function groupProbeScript(name: string): Script {
  return section('group', sh`getent group -- ${name} || :`);
}

export function parseGroupProbe(stdout: string): ObservedGroup {
  const fields = firstLine(parseSections(stdout).get('group')).split(':');
  if (fields.length < 3) return { exists: false, gid: null };
  return { exists: true, gid: int(fields[2]) };
}

export function userProbeScript(name: string, password: Secret | undefined): Script {
  const scripts = [
    section('passwd', sh`getent passwd -- ${name} || :`),
    section('primary', sh`id -gn -- ${name} 2>/dev/null || :`),
    section('groups', sh`id -Gn -- ${name} 2>/dev/null || :`),
  ];
  if (password !== undefined) {
    // The hash is compared here, on the host: it is never printed, and the script travels on stdin.
    scripts.push(
      section(
        'password',
        sh`if ! s=$(getent shadow -- ${name} 2>/dev/null); then echo unknown; elif [ "$(printf '%s' "$s" | cut -d: -f2)" = ${password} ]; then echo same; else echo differs; fi`,
      ),
    );
  }
  return joinScripts(scripts);
}

export function parseUserProbe(stdout: string): ObservedUser {
  const s = parseSections(stdout);
  const fields = firstLine(s.get('passwd')).split(':');
  const answer = firstLine(s.get('password')).trim();
  const passwordSame = answer === 'same' ? true : answer === 'differs' ? false : null;
  if (fields.length < 7) {
    return { exists: false, uid: null, gid: null, primaryGroup: null, comment: null, home: null, shell: null, groups: [], passwordSame };
  }
  const primary = firstLine(s.get('primary')).trim() || null;
  const groups = firstLine(s.get('groups')).trim().split(/\s+/).filter((g) => g !== '' && g !== primary);
  return {
    exists: true,
    uid: int(fields[2]),
    gid: int(fields[3]),
    primaryGroup: primary,
    comment: fields[4] ?? '',
    home: fields[5] ?? '',
    shell: fields[6] ?? '',
    groups,
    passwordSame,
  };
}

export interface WantedGroup {
  readonly name: string;
  readonly state: 'present' | 'absent';
  readonly gid?: number;
  readonly system: boolean;
}

export function planGroup(w: WantedGroup, o: ObservedGroup): Change[] {
  const target = `group ${w.name}`;
  if (w.state === 'absent') {
    return o.exists ? [{ action: '-', target, summary: `${target}: remove`, script: sh`groupdel -- ${w.name}` }] : [];
  }
  if (!o.exists) {
    const args: string[] = [];
    if (w.gid !== undefined) args.push('--gid', String(w.gid));
    if (w.system) args.push('--system');
    const words = [w.gid === undefined ? '' : ` gid ${w.gid}`, w.system ? ' (system)' : ''].join('');
    return [{ action: '+', target, summary: `${target}: new group${words}`, script: sh`groupadd ${args} -- ${w.name}` }];
  }
  if (w.gid !== undefined && o.gid !== w.gid) {
    return [{ action: '~', target, summary: `${target}: gid ${o.gid ?? '?'} → ${w.gid}`, script: sh`groupmod --gid ${String(w.gid)} -- ${w.name}` }];
  }
  return [];
}

export interface WantedUser {
  readonly name: string;
  readonly state: 'present' | 'absent';
  readonly uid?: number;
  /** Primary group: a name or a gid. */
  readonly group?: string;
  /** Supplementary groups; undefined: not managed. */
  readonly groups?: readonly string[];
  readonly append: boolean;
  readonly shell?: string;
  readonly home?: string;
  readonly createHome: boolean;
  readonly system: boolean;
  readonly comment?: string;
  readonly password?: Secret;
  /** absent: also remove the home directory and mail spool (userdel --remove). */
  readonly remove: boolean;
}

function passwordChange(w: WantedUser, password: Secret): Change {
  return {
    action: '~',
    target: `user ${w.name}`,
    summary: `user ${w.name}: password hash (hidden) → set`,
    // printf is a shell builtin: the hash is in no process's argv, only on chpasswd's stdin.
    script: sh`printf '%s:%s\\n' ${w.name} ${password} | chpasswd -e`,
  };
}

function sameGroup(want: string, name: string | null, gid: number | null): boolean {
  return /^\d+$/.test(want) ? gid === Number(want) : want === name;
}

export function planUser(w: WantedUser, o: ObservedUser): Change[] {
  const target = `user ${w.name}`;
  if (w.state === 'absent') {
    if (!o.exists) return [];
    return [{ action: '-', target, summary: `${target}: remove${w.remove ? ' (and its home)' : ''}`, script: w.remove ? sh`userdel --remove -- ${w.name}` : sh`userdel -- ${w.name}` }];
  }
  if (w.password !== undefined && o.exists && o.passwordSame === null) {
    throw new TaskError('module', `${target}: cannot read /etc/shadow to compare the password hash (run the task with become: true)`);
  }
  const changes: Change[] = [];
  if (!o.exists) {
    const args: string[] = [];
    if (w.uid !== undefined) args.push('--uid', String(w.uid));
    if (w.group !== undefined) args.push('--gid', w.group);
    if (w.groups !== undefined && w.groups.length > 0) args.push('--groups', w.groups.join(','));
    if (w.shell !== undefined) args.push('--shell', w.shell);
    if (w.home !== undefined) args.push('--home-dir', w.home);
    if (w.comment !== undefined) args.push('--comment', w.comment);
    if (w.system) args.push('--system');
    args.push(w.createHome ? '--create-home' : '--no-create-home');
    const words = [w.uid === undefined ? '' : ` uid ${w.uid}`, w.system ? ' (system)' : '', w.groups?.length ? ` groups ${w.groups.join(',')}` : ''].join('');
    changes.push({ action: '+', target, summary: `${target}: new user${words}`, script: sh`useradd ${args} -- ${w.name}` });
    if (w.password !== undefined) changes.push(passwordChange(w, w.password));
    return changes;
  }
  const args: string[] = [];
  const words: string[] = [];
  if (w.uid !== undefined && o.uid !== w.uid) {
    args.push('--uid', String(w.uid));
    words.push(`uid ${o.uid ?? '?'} → ${w.uid}`);
  }
  if (w.group !== undefined && !sameGroup(w.group, o.primaryGroup, o.gid)) {
    args.push('--gid', w.group);
    words.push(`group ${o.primaryGroup ?? o.gid ?? '?'} → ${w.group}`);
  }
  if (w.shell !== undefined && o.shell !== w.shell) {
    args.push('--shell', w.shell);
    words.push(`shell ${o.shell ?? '?'} → ${w.shell}`);
  }
  if (w.home !== undefined && o.home !== w.home) {
    args.push('--home', w.home);
    words.push(`home ${o.home ?? '?'} → ${w.home}`);
  }
  if (w.comment !== undefined && o.comment !== w.comment) {
    args.push('--comment', w.comment);
    words.push(`comment → ${JSON.stringify(w.comment)}`);
  }
  if (w.groups !== undefined) {
    const wanted = w.groups.filter((g) => g !== o.primaryGroup);
    const missing = wanted.filter((g) => !o.groups.includes(g));
    const extra = o.groups.filter((g) => !wanted.includes(g));
    if (w.append && missing.length > 0) {
      args.push('--append', '--groups', missing.join(','));
      words.push(`groups + ${missing.join(',')}`);
    } else if (!w.append && (missing.length > 0 || extra.length > 0)) {
      args.push('--groups', wanted.join(','));
      words.push(`groups ${o.groups.join(',') || '(none)'} → ${wanted.join(',') || '(none)'}`);
    }
  }
  if (args.length > 0) changes.push({ action: '~', target, summary: `${target}: ${words.join(', ')}`, script: sh`usermod ${args} -- ${w.name}` });
  if (w.password !== undefined && o.passwordSame === false) changes.push(passwordChange(w, w.password));
  return changes;
}
