// Ansible's `ansible_ssh_common_args` / `ansible_ssh_extra_args`: the ssh command-line options
// that have an ssh_config meaning (-o, -J, -p, -l, -i, -F), turned into ssh_config options.
import { InputError } from '../errors.js';
import { shlexSplit, ShlexError } from '../inventory/shlex.js';

export interface SshArgOption {
  /** Lower-case ssh_config keyword: `port`, `proxyjump`, `userknownhostsfile`… */
  readonly keyword: string;
  readonly args: readonly string[];
}

export interface SshArgs {
  /** In command-line order; as with ssh, the first value of a keyword wins. */
  readonly options: readonly SshArgOption[];
  /** `-F FILE`, when given. */
  readonly configFile?: string;
  /** Flags that have no meaning for sparkbook, and what was translated. */
  readonly notes: readonly string[];
}

/** ssh flags that take an argument but mean nothing to a script runner (forwardings, ciphers, control sockets…). */
const IGNORED_WITH_ARG = new Set(['b', 'B', 'c', 'D', 'E', 'e', 'I', 'L', 'm', 'O', 'Q', 'R', 'S', 'W', 'w']);
const IGNORED_FLAGS = new Set(['4', '6', 'A', 'a', 'C', 'f', 'G', 'g', 'K', 'k', 'M', 'N', 'n', 'q', 's', 'T', 't', 'V', 'v', 'X', 'x', 'Y', 'y']);

/**
 * Parses the value of an ssh-args variable (`varName` names it in errors and notes).
 * A `ProxyCommand` of the common form `ssh -W %h:%p [user@]bastion` becomes a ProxyJump.
 */
export function parseSshArgs(text: string, varName: string): SshArgs {
  let words: string[];
  try {
    words = shlexSplit(text).map((w) => w.text);
  } catch (e) {
    if (e instanceof ShlexError) throw new InputError('inventory', `${varName}: ${e.message} (column ${e.col})`);
    throw e;
  }
  const options: SshArgOption[] = [];
  const notes: string[] = [];
  let configFile: string | undefined;
  const add = (keyword: string, value: string): void => {
    const k = keyword.toLowerCase();
    if (k === 'proxycommand') {
      const jump = proxyCommandAsJump(value);
      if (jump) {
        options.push({ keyword: 'proxyjump', args: [jump] });
        notes.push(`${varName}: ProxyCommand ${JSON.stringify(value)} is used as ProxyJump ${jump}`);
      } else notes.push(`${varName}: ProxyCommand is not supported (use ProxyJump); ignored`);
      return;
    }
    options.push({ keyword: k, args: k === 'userknownhostsfile' || k === 'globalknownhostsfile' ? value.split(/\s+/).filter((v) => v !== '') : [value] });
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const m = /^-([A-Za-z0-9])(.*)$/.exec(w);
    if (!m) {
      notes.push(`${varName}: ${JSON.stringify(w)} is not an option; ignored`);
      continue;
    }
    const flag = m[1] as string;
    const takesArg = 'oJplivF'.includes(flag) || IGNORED_WITH_ARG.has(flag);
    if (!takesArg) {
      if (!IGNORED_FLAGS.has(flag)) notes.push(`${varName}: unknown ssh flag -${flag}; ignored`);
      // Bundled flags like `-qC` are all argument-less ones here.
      continue;
    }
    let value = m[2] as string;
    if (value === '') {
      const next = words[i + 1];
      if (next === undefined) throw new InputError('inventory', `${varName}: -${flag} needs a value`);
      value = next;
      i++;
    }
    switch (flag) {
      case 'o': {
        const kv = /^([A-Za-z][A-Za-z0-9]*)(?:\s*=\s*|\s+)(.*)$/.exec(value.trim());
        if (kv) add(kv[1] as string, (kv[2] as string).trim());
        else {
          // `-o Key Value` written as two words.
          const next = words[i + 1];
          if (next === undefined || next.startsWith('-') || !/^[A-Za-z][A-Za-z0-9]*$/.test(value)) {
            throw new InputError('inventory', `${varName}: -o ${value} needs Key=Value`);
          }
          add(value, next);
          i++;
        }
        break;
      }
      case 'J':
        add('proxyjump', value);
        break;
      case 'p':
        if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw new InputError('inventory', `${varName}: -p ${value} is not a port number`);
        add('port', value);
        break;
      case 'l':
        add('user', value);
        break;
      case 'i':
        add('identityfile', value);
        break;
      case 'F':
        configFile = value;
        break;
      default:
        notes.push(`${varName}: -${flag} ${value} has no meaning for sparkbook; ignored`);
    }
  }
  return { options, notes, ...(configFile !== undefined && { configFile }) };
}

/** `ssh [-p P] [-l U] -W %h:%p [opts] [U@]HOST` → `U@HOST:P`; anything else is not a jump. */
function proxyCommandAsJump(command: string): string | undefined {
  let words: string[];
  try {
    words = shlexSplit(command).map((w) => w.text);
  } catch {
    return undefined;
  }
  if (!/(^|\/)ssh$/.test(words[0] ?? '')) return undefined;
  let sawW = false;
  let port: string | undefined;
  let user: string | undefined;
  let host: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-W') {
      if (words[i + 1] !== '%h:%p') return undefined;
      sawW = true;
      i++;
    } else if (w === '-p' || w === '-l') {
      const v = words[++i];
      if (v === undefined) return undefined;
      if (w === '-p') port = v;
      else user = v;
    } else if (w === '-o' || w === '-i' || w === '-F') {
      // Options of the jump itself: not carried over.
      i++;
    } else if (w.startsWith('-')) {
      continue;
    } else if (host === undefined) host = w;
    else return undefined;
  }
  if (!sawW || host === undefined) return undefined;
  const withUser = user !== undefined && !host.includes('@') ? `${user}@${host}` : host;
  return port !== undefined ? `${withUser}:${port}` : withUser;
}
