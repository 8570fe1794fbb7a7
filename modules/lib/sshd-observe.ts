// What the sshd_config module reads: the main file and every drop-in (text), `sshd -T`, the
// TCP ports sshd or systemd listen on, how sshd is started (ssh.socket with or without the
// generator, ssh.service, or a pidfile), and ufw. Read-only.
import { rawShell, sh, type Script } from '../../runner/shell/script.js';
import { bytesToText, fromBase64, parseSections, parseTagged, section } from './parse.js';
import { SMALL_CONTENT_BYTES, parseObservedFile, statScript, type ObservedFile } from './probe-file.js';
import { effectivePorts, parseSshdT, type EffectiveConfig } from './sshd-effective.js';
import { SSHD_DROPIN_DIR, SSHD_MAIN } from './sshd-text.js';
import { parseUfwProbe, ufwProbeScript, type UfwObserved } from './ufw-observe.js';

export const SOCKET_DROPIN_DIR = '/etc/systemd/system/ssh.socket.d';

export interface NamedText {
  readonly name: string;
  /** null when unreadable or not text. */
  readonly content: string | null;
}

export interface SshdInit {
  readonly systemctl: boolean;
  /** PID 1 is systemd (transient timers work). */
  readonly systemdRunning: boolean;
  readonly systemdRun: boolean;
  readonly socketEnabled: string | null;
  readonly socketActive: string | null;
  /** The active service unit: ssh.service (Debian/Ubuntu) or sshd.service; null if none. */
  readonly serviceUnit: string | null;
  /** Ubuntu 24.04's sshd-socket-generator (derives ListenStream from sshd_config). */
  readonly generator: boolean;
  readonly socketDropIns: readonly NamedText[];
  readonly pidfile: string | null;
}

export interface SshdObserved {
  readonly sshd: string | null;
  readonly main: ObservedFile;
  readonly dropIns: readonly NamedText[];
  readonly effective: EffectiveConfig | null;
  readonly effectiveError: string | null;
  readonly ports: readonly number[];
  /** TCP ports with a listener owned by sshd or systemd (socket activation). */
  readonly listening: readonly number[];
  readonly init: SshdInit;
  readonly ufw: UfwObserved;
}

/** Prints `@section PREFIX.N` blocks with the base64 name and content of each *.conf in DIR. */
function confFiles(dir: string, prefix: string): Script {
  return sh`i=0
for f in ${dir}/*.conf; do
  [ -f "$f" ] || continue
  i=$((i + 1))
  echo "@section ${rawShell(prefix)}.$i"
  # $(...) drops basename's newline, so the name decodes without one.
  n=$(basename -- "$f")
  printf 'name %s\\n' "$(printf '%s' "$n" | base64 -w0)"
  if [ -r "$f" ] && [ "$(stat -c %s -- "$f")" -le ${String(SMALL_CONTENT_BYTES)} ]; then printf 'content %s\\n' "$(base64 -w0 < "$f")"; fi
  echo '@end'
done`;
}

/** The read-only probe. */
export function sshdProbeScript(): Script {
  const init = sh`s=$(command -v sshd 2>/dev/null || { [ -x /usr/sbin/sshd ] && echo /usr/sbin/sshd; } || :)
printf 'sshd %s\\n' "$s"
if command -v systemctl >/dev/null 2>&1; then echo 'systemctl 1'; else echo 'systemctl 0'; fi
if [ -d /run/systemd/system ]; then echo 'systemd 1'; else echo 'systemd 0'; fi
if command -v systemd-run >/dev/null 2>&1; then echo 'systemd-run 1'; else echo 'systemd-run 0'; fi
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  printf 'socket-enabled %s\\n' "$(systemctl is-enabled ssh.socket 2>/dev/null)"
  printf 'socket-active %s\\n' "$(systemctl is-active ssh.socket 2>/dev/null)"
  for u in ssh.service sshd.service; do
    if systemctl is-active --quiet "$u" 2>/dev/null; then echo "service $u"; break; fi
  done
fi
for g in /usr/lib/systemd/system-generators/sshd-socket-generator /lib/systemd/system-generators/sshd-socket-generator; do
  if [ -x "$g" ]; then echo 'generator 1'; break; fi
done
for p in /run/sshd.pid /var/run/sshd.pid; do
  if [ -f "$p" ]; then echo "pidfile $p"; break; fi
done
if command -v ss >/dev/null 2>&1; then
  ss -Hltnp 2>/dev/null | awk '/"(sshd|systemd)"/ { n = split($4, a, ":"); print "listen " a[n] }'
fi`;
  const effective = sh`s=$(command -v sshd 2>/dev/null || echo /usr/sbin/sshd)
"$s" -T 2>&1 || echo "@error $?"`;
  return sh`${section('sshd.init', init)}
${section('sshd.main', statScript(SSHD_MAIN, SMALL_CONTENT_BYTES))}
${confFiles(SSHD_DROPIN_DIR, 'sshd.dropin')}
${confFiles('/etc/systemd/system/ssh.socket.d', 'sshd.sockdrop')}
${section('sshd.T', effective)}
${ufwProbeScript()}`;
}

function namedTexts(sections: Map<string, string[]>, prefix: string): NamedText[] {
  const out: NamedText[] = [];
  for (const [name, lines] of sections) {
    if (!name.startsWith(`${prefix}.`)) continue;
    const t = parseTagged(lines);
    const content = t.get('content');
    out.push({ name: fromBase64(t.get('name') ?? '').toString('utf8'), content: content === undefined ? null : bytesToText(fromBase64(content)) });
  }
  // The order sshd reads them in: glob(3) sorts by byte value.
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Parses the probe's output. Total. */
export function parseSshdProbe(stdout: string): SshdObserved {
  const sections = parseSections(stdout);
  const t = parseTagged(sections.get('sshd.init') ?? []);
  const listening = (sections.get('sshd.init') ?? [])
    .filter((l) => l.startsWith('listen '))
    .map((l) => Number(l.slice(7)))
    .filter((p) => Number.isInteger(p) && p > 0);
  const tLines = sections.get('sshd.T') ?? [];
  const failed = tLines.some((l) => l.startsWith('@error'));
  const effective = failed || tLines.length === 0 ? null : parseSshdT(tLines.join('\n'));
  return {
    sshd: t.get('sshd')?.trim() || null,
    main: parseObservedFile(sections.get('sshd.main')),
    dropIns: namedTexts(sections, 'sshd.dropin'),
    effective,
    effectiveError: failed ? tLines.filter((l) => !l.startsWith('@error')).join('\n') : null,
    ports: effective === null ? [] : effectivePorts(effective),
    listening: [...new Set(listening)].sort((a, b) => a - b),
    init: {
      systemctl: t.get('systemctl') === '1',
      systemdRunning: t.get('systemd') === '1',
      systemdRun: t.get('systemd-run') === '1',
      socketEnabled: t.get('socket-enabled')?.trim() || null,
      socketActive: t.get('socket-active')?.trim() || null,
      serviceUnit: t.get('service')?.trim() || null,
      generator: t.get('generator') === '1',
      socketDropIns: namedTexts(sections, 'sshd.sockdrop'),
      pidfile: t.get('pidfile')?.trim() || null,
    },
    ufw: parseUfwProbe(stdout),
  };
}
