// A kernel parameter: its runtime value (sysctl -w) and its persisted line in a sysctl.d file.
// The primitive behind the `sysctl` module and composites such as IP forwarding.
import { InternalError, TaskError } from '../../runner/errors.js';
import type { Change } from '../../runner/module.js';
import { joinScripts, sh, type Script } from '../../runner/shell/script.js';
import { bytesToText, fromBase64, parseSections, parseTagged, section } from './parse.js';
import { planLine } from './plan-line.js';
import { FULL_CONTENT_BYTES, parseObservedFile, statScript, type ObservedFile } from './probe-file.js';

export interface ObservedSysctl {
  /** The runtime value with whitespace collapsed, or null when the key does not exist here. */
  readonly runtime: string | null;
  readonly file: ObservedFile;
}

export interface DesiredSysctl {
  readonly name: string;
  readonly value?: string;
  readonly state: 'present' | 'absent';
  /** The sysctl.d file that persists the value. */
  readonly file: string;
  /** Also set the runtime value (sysctl -w). */
  readonly reload: boolean;
}

/** Keys as the kernel names them; never an option, never shell. */
export const SYSCTL_NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_./-]*$';

/** sysctl prints tabs between the numbers of a vector value; files use spaces. */
export function normalizeSysctlValue(value: string): string {
  return value.trim().split(/\s+/).join(' ');
}

/** The probe: sections `<key>` (runtime) and `<key>.file` (the persistence file). */
export function sysctlProbeScript(name: string, file: string, key = 'sysctl'): Script {
  const runtime = sh`if v=$(sysctl -n -- ${name} 2>/dev/null); then printf 'value %s\\n' "$(printf '%s' "$v" | base64 -w0)"; else echo 'missing'; fi`;
  return joinScripts([section(key, runtime), section(`${key}.file`, statScript(file, FULL_CONTENT_BYTES))]);
}

export function parseSysctl(stdout: string, key = 'sysctl'): ObservedSysctl {
  const sections = parseSections(stdout);
  const tags = parseTagged(sections.get(key) ?? []);
  const value = tags.get('value');
  const text = value === undefined ? null : bytesToText(fromBase64(value));
  return {
    runtime: text === null ? null : normalizeSysctlValue(text),
    file: parseObservedFile(sections.get(`${key}.file`)),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The value the file sets for `name` (its last assignment), or null. */
export function persistedValue(content: string, name: string): string | null {
  const re = new RegExp(`^\\s*${escapeRegExp(name)}\\s*=(.*)$`);
  let found: string | null = null;
  for (const line of content.split('\n')) {
    const m = re.exec(line);
    if (m) found = normalizeSysctlValue(m[1] as string);
  }
  return found;
}

/**
 * Runtime first, then the file: if the kernel refuses the value (a read-only key, a bad
 * value) the task fails before the file claims a value that is not in effect and that the
 * next boot would try to apply again. A file whose line already says the value (spacing
 * aside) is left alone.
 */
export function planSysctl(d: DesiredSysctl, o: ObservedSysctl): Change[] {
  const changes: Change[] = [];
  const target = `sysctl ${d.name}`;
  if (d.state === 'present') {
    // The module's schema requires a non-empty value for state present; a caller that gets here
    // without one is a bug, not a user's mistake.
    if (d.value === undefined) throw new InternalError(`sysctl ${d.name}: planned without a value for state present`);
    const want = normalizeSysctlValue(d.value);
    if (d.reload) {
      if (o.runtime === null) {
        throw new TaskError('module', `sysctl ${d.name}: no such key on this host (is the kernel module loaded?); set reload: false to only persist it`);
      }
      if (o.runtime !== want) {
        const script: Script = sh`sysctl -q -w -- ${`${d.name}=${want}`}`;
        changes.push({ action: '~', target, summary: `${d.name}: ${o.runtime} → ${want}`, script });
      }
    }
    const persisted = o.file.content === null ? null : persistedValue(o.file.content, d.name);
    if (persisted !== want) {
      changes.push(
        ...planLine(
          d.file,
          o.file,
          { line: `${d.name}=${want}`, regexp: `^\\s*${escapeRegExp(d.name)}\\s*=`, state: 'present' },
          { create: true, mode: o.file.exists ? undefined : '0644' },
        ),
      );
    }
    return changes;
  }
  // absent: the key leaves the file; the running kernel keeps its value until reboot (as Ansible).
  return planLine(d.file, o.file, { regexp: `^\\s*${escapeRegExp(d.name)}\\s*=`, state: 'absent' });
}
