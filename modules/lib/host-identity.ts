// The host's name and time zone as hostnamectl/timedatectl (systemd) or the files under them
// (/etc/hostname, /etc/localtime → /usr/share/zoneinfo/ZONE, /etc/timezone) say, and the
// changes that set them: the systemd tool when the host has it, else the files.
import { TaskError } from '../../runner/errors.js';
import type { Change } from '../../runner/module.js';
import { joinScripts, sh, type Script } from '../../runner/shell/script.js';
import { parseSections, parseTagged, section } from './parse.js';
import { writeFileScript } from './write-file.js';

/** `tool 1` when the systemd tool answers (present AND systemd running: not so in many containers). */
const answers = (check: Script): Script => sh`if ${check} >/dev/null 2>&1; then echo 'tool 1'; else echo 'tool 0'; fi`;

export interface ObservedHostname {
  readonly hostnamectl: boolean;
  /** /etc/hostname's first line (the static name); null when missing. */
  readonly static: string | null;
  /** The running kernel's name (uname -n). */
  readonly transient: string | null;
}

export function hostnameProbeScript(): Script {
  return joinScripts([
    section('tool', answers(sh`hostnamectl status`)),
    section('names', sh`printf 'static %s\\n' "$(head -n 1 /etc/hostname 2>/dev/null)"
printf 'transient %s\\n' "$(uname -n)"`),
  ]);
}

export function parseHostnameProbe(stdout: string): ObservedHostname {
  const s = parseSections(stdout);
  const names = parseTagged(s.get('names') ?? []);
  const value = (k: string): string | null => {
    const v = names.get(k)?.trim();
    return v === undefined || v === '' ? null : v;
  };
  return { hostnamectl: parseTagged(s.get('tool') ?? []).get('tool') === '1', static: value('static'), transient: value('transient') };
}

export function planHostname(name: string, o: ObservedHostname): Change[] {
  if (o.static === name && o.transient === name) return [];
  const script = o.hostnamectl
    ? sh`hostnamectl set-hostname -- ${name}`
    : joinScripts([writeFileScript({ path: '/etc/hostname', content: `${name}\n`, mode: '0644' }), sh`hostname -- ${name}`]);
  const was = o.static === o.transient || o.transient === null ? (o.static ?? '(none)') : `${o.static ?? '(none)'} (running: ${o.transient})`;
  return [{ action: '~', target: 'hostname', summary: `hostname: ${was} → ${name}`, script }];
}

export interface ObservedTimezone {
  readonly timedatectl: boolean;
  /** The zone in use: timedatectl's Timezone, else where /etc/localtime points. */
  readonly zone: string | null;
  /** /usr/share/zoneinfo has the wanted zone. */
  readonly known: boolean;
  /** Debian's /etc/timezone, kept in step when it exists. */
  readonly etcTimezone: string | null;
}

export function timezoneProbeScript(zone: string): Script {
  // One timedatectl call says both whether the tool answers and the zone it reports.
  return sh`(
if z=$(timedatectl show -p Timezone --value 2>/dev/null); then t=1; else t=0; z=; fi
${section('tool', sh`echo "tool $t"`)}
${section(
  'zone',
  sh`if [ -z "$z" ] && [ -L /etc/localtime ]; then z=$(readlink /etc/localtime | sed 's|^.*zoneinfo/||'); fi
printf 'zone %s\\n' "$z"
if [ -f /etc/timezone ]; then printf 'etc %s\\n' "$(head -n 1 /etc/timezone)"; fi
if [ -f /usr/share/zoneinfo/${zone} ]; then echo 'known 1'; else echo 'known 0'; fi`,
)}
)`;
}

export function parseTimezoneProbe(stdout: string): ObservedTimezone {
  const s = parseSections(stdout);
  const z = parseTagged(s.get('zone') ?? []);
  const zone = z.get('zone')?.trim();
  const etc = z.get('etc')?.trim();
  return {
    timedatectl: parseTagged(s.get('tool') ?? []).get('tool') === '1',
    zone: zone === undefined || zone === '' ? null : zone,
    known: z.get('known') === '1',
    etcTimezone: etc === undefined || etc === '' ? null : etc,
  };
}

export function planTimezone(zone: string, o: ObservedTimezone): Change[] {
  const stale = o.etcTimezone !== null && o.etcTimezone !== zone;
  if (o.zone === zone && !stale) return [];
  if (!o.known) throw new TaskError('module', `timezone ${zone}: no such zone in /usr/share/zoneinfo (is tzdata installed?)`);
  const link = sh`ln -sfn -- ${`/usr/share/zoneinfo/${zone}`} /etc/localtime`;
  const etc = sh`if [ -f /etc/timezone ]; then printf '%s\\n' ${zone} > /etc/timezone; fi`;
  const script = o.timedatectl ? joinScripts([sh`timedatectl set-timezone -- ${zone}`, etc]) : joinScripts([link, etc]);
  const was = o.zone === zone ? `/etc/timezone ${o.etcTimezone ?? ''}` : (o.zone ?? '(unknown)');
  return [{ action: '~', target: 'timezone', summary: `timezone: ${was} → ${zone}`, script }];
}
