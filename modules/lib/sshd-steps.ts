// The scripts of the sshd_config apply, one pure function per step: stage + validate outside
// the live Include glob, back up + arm an on-host rollback, activate + wait for listeners,
// disarm, roll back now. Each runs as `sh -s`; each exits non-zero when its step failed.
import { joinScripts, rawShell, sh, type Script } from '../../runner/shell/script.js';
import type { InitMode, Phase, SshdPlan } from './sshd-plan.js';
import { stageMain } from './sshd-text.js';
import { identityArgs } from './ufw-rules.js';
import { writeFileScript } from './write-file.js';

/** The comment on ufw rules opened for a moved SSH port (shown by `ufw status`). */
export const UFW_SSH_COMMENT = 'sparkbook: SSH port';

/** Adds a ufw rule (canonical text) for the new SSH port, before the move. */
export function ufwOpenScript(rule: string): Script {
  return sh`ufw ${identityArgs(rule, false, UFW_SSH_COMMENT)}`;
}

/** Deletes a ufw rule (canonical text) of the old SSH port, after the move is confirmed. */
export function ufwCloseScript(rule: string): Script {
  return sh`ufw ${identityArgs(rule, true)}`;
}

export const BACKUP_ROOT = '/var/lib/sparkbook';
export const STAGE_ROOT = '/etc/ssh';

export function backupDir(id: string): string {
  return `${BACKUP_ROOT}/sshd-${id}`;
}

export function timerUnit(id: string): string {
  return `sparkbook-sshd-rollback-${id}`;
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Writes `text` to the shell path expression `target` (already quoted or a "$var" form). */
function put(text: string, target: string): Script {
  return sh`printf '%s' ${b64(text)} | base64 -d > ${rawShell(target)}`;
}

/** The operator as sshd will see them: the connection's client and local address, from SSH_CONNECTION of an ancestor. */
const CONNECTION = rawShell(`c=\${SSH_CONNECTION:-}
p=$$
while [ -z "$c" ] && [ "$p" -gt 1 ] 2>/dev/null; do
  c=$(tr '\\000' '\\n' < /proc/$p/environ 2>/dev/null | sed -n 's/^SSH_CONNECTION=//p')
  p=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$p/status 2>/dev/null)
  [ -n "$p" ] || break
done
set -- $c
addr=\${1:-127.0.0.1}
laddr=\${3:-127.0.0.1}`);

/**
 * Stages each phase under /etc/ssh/sparkbook-staged-ID-N/ (the live Include reads only
 * /etc/ssh/sshd_config.d/*.conf), then prints `sshd -t` and `sshd -T -C …` for the operator
 * (user, addr and laddr of this very connection, lport = each port of the phase) and the
 * operator's groups. The staged trees are removed on every exit path. Nothing live is touched.
 */
export function stageAndValidateScript(id: string, phases: readonly Phase[], user: string): Script {
  const bodies = phases.map((ph, n) => {
    const dir = `${STAGE_ROOT}/sparkbook-staged-${id}-${n}`;
    const writes = ph.dropIns.map((d) => put(d.content, `"$s/sshd_config.d/"${shellWord(d.name)}`));
    const checks = ph.ports.map(
      (port) => sh`echo ${`@section sshd.T.${n}.${port}`}
"$sshd" -T -f "$s/sshd_config" -C "user=$u,host=$addr,addr=$addr,laddr=$laddr,lport=${rawShell(String(port))}" 2>&1 || echo "@error $?"
echo '@end'`,
    );
    return sh`s=${dir}
dirs="$dirs $s"
mkdir -m 0700 -- "$s" "$s/sshd_config.d"
${put(stageMain(ph.main, `${dir}/sshd_config.d`), '"$s/sshd_config"')}
${joinScripts(writes)}
echo ${`@section sshd.t.${n}`}
"$sshd" -t -f "$s/sshd_config" 2>&1 && echo '@ok' || echo "@error $?"
echo '@end'
${joinScripts(checks)}`;
  });
  return sh`(
sshd=$(command -v sshd 2>/dev/null || echo /usr/sbin/sshd)
u=${user}
dirs=''
trap 'for d in $dirs; do rm -rf -- "$d"; done' EXIT
trap 'exit 1' HUP INT TERM
${CONNECTION}
echo '@section sshd.groups'
id -Gn -- "$u" 2>/dev/null | tr ' ' '\\n'
echo '@end'
${joinScripts(bodies)}
)`;
}

function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command that makes written sshd files live, per init mode. */
export function activationCommand(plan: Pick<SshdPlan, 'init' | 'serviceUnit' | 'pidfile'>): Script {
  switch (plan.init as InitMode) {
    case 'socket-generator':
    case 'socket-override':
      // The generator (or our override) turns Port into ListenStream at daemon-reload. With
      // Accept=no, systemd refuses to start ssh.socket while ssh.service (which it triggered)
      // is active unless the service requires the socket, as Ubuntu's does and Debian's does
      // not: stop the listener first. KillMode=process keeps the open sessions alive.
      return sh`{ systemctl stop ssh.service 2>/dev/null || :; }; systemctl daemon-reload && systemctl restart ssh.socket && { systemctl try-restart ssh.service 2>/dev/null || :; }`;
    case 'service':
      return sh`systemctl reload ${plan.serviceUnit ?? 'ssh.service'}`;
    case 'pidfile':
      return sh`kill -HUP "$(cat ${plan.pidfile ?? '/run/sshd.pid'})"`;
  }
}

/** Waits up to `seconds` for a TCP listener on each port; fails naming the first missing one. */
export function waitListeningScript(ports: readonly number[], seconds = 10): Script {
  return sh`for port in ${ports.map(String)}; do
  n=0
  until ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; do
    n=$((n + 1))
    if [ "$n" -gt ${String(seconds * 2)} ]; then echo "sparkbook: nothing listens on port $port" >&2; exit 1; fi
    sleep 0.5
  done
done`;
}

/** The rollback script kept on the host: claims the arm marker, restores, reactivates. */
export function rollbackScriptText(id: string, plan: SshdPlan): string {
  const d = backupDir(id);
  const lines = ['#!/bin/sh', `# sparkbook sshd rollback ${id}: restores the files below and makes them live again.`, `d=${d}`];
  lines.push('mv -- "$d/armed" "$d/fired" 2>/dev/null || exit 0');
  paths(plan).forEach(({ path, existed }, i) => {
    const q = shellWord(path);
    lines.push(existed ? `cp -p -- "$d/f${i}" ${q}.sparkbook-rb && mv -f -- ${q}.sparkbook-rb ${q}` : `rm -f -- ${q}`);
  });
  lines.push(activationCommand(plan).raw());
  lines.push(`logger -t sparkbook "sshd change ${id} rolled back" 2>/dev/null || :`);
  return `${lines.join('\n')}\n`;
}

/** Every path any phase writes, with whether it existed before (once each, in a stable order). */
export function paths(plan: SshdPlan): { path: string; existed: boolean }[] {
  const out = new Map<string, boolean>();
  for (const ph of [plan.first, plan.final]) for (const f of ph?.files ?? []) if (!out.has(f.path)) out.set(f.path, f.before !== null);
  return [...out].map(([path, existed]) => ({ path, existed }));
}

/**
 * Backs up every file the change writes, installs the rollback script, and arms it BEFORE
 * anything is activated: a transient systemd timer, or (no systemd) a detached sleeper in its
 * own session so it outlives the SSH connection.
 */
export function armScript(id: string, plan: SshdPlan): Script {
  const d = backupDir(id);
  const backups = paths(plan).map(({ path }, i) => sh`if [ -e ${path} ]; then cp -p -- ${path} "$d/f${rawShell(String(i))}"; fi`);
  const n = String(plan.confirmTimeoutS);
  const arm = plan.systemdTimer
    ? sh`systemd-run --quiet --unit=${timerUnit(id)} --on-active=${`${n}s`} --timer-property=AccuracySec=1s /bin/sh "$d/rollback.sh"`
    : sh`if command -v setsid >/dev/null 2>&1; then
  setsid /bin/sh -c 'sleep "$1"; exec /bin/sh "$2/rollback.sh"' sparkbook-rollback ${n} "$d" </dev/null >/dev/null 2>&1 &
else
  nohup /bin/sh -c 'sleep "$1"; exec /bin/sh "$2/rollback.sh"' sparkbook-rollback ${n} "$d" </dev/null >/dev/null 2>&1 &
fi
echo $! > "$d/timer.pid"`;
  return sh`(
set -e
umask 077
d=${d}
mkdir -p -m 0700 -- ${BACKUP_ROOT}
mkdir -m 0700 -- "$d"
${joinScripts(backups)}
${put(rollbackScriptText(id, plan), '"$d/rollback.sh"')}
: > "$d/armed"
${arm}
)`;
}

/** Writes a phase's files atomically, activates them, and waits for every port to listen. */
export function activateScript(ph: Phase, plan: SshdPlan): Script {
  const writes = ph.files.map((f) => writeFileScript({ path: f.path, content: f.after, mode: f.mode }));
  // A drop-in directory may not exist yet (ssh.socket.d on a stock Ubuntu 24.04).
  const dirs = [...new Set(ph.files.map((f) => f.path.slice(0, f.path.lastIndexOf('/')) || '/'))];
  return sh`set -e
mkdir -p -m 0755 -- ${dirs}
${joinScripts(writes)}
sshd=$(command -v sshd 2>/dev/null || echo /usr/sbin/sshd)
"$sshd" -t
${activationCommand(plan)}
${waitListeningScript(ph.ports)}`;
}

/** Confirms: claims the arm marker (fails if the rollback already fired), stops the timer, drops the backups. */
export function disarmScript(id: string): Script {
  return sh`d=${backupDir(id)}
if ! mv -- "$d/armed" "$d/disarmed" 2>/dev/null; then echo 'sparkbook: the rollback already fired' >&2; exit 3; fi
systemctl stop ${`${timerUnit(id)}.timer`} 2>/dev/null || :
if [ -f "$d/timer.pid" ]; then kill "$(cat "$d/timer.pid")" 2>/dev/null || :; fi
rm -rf -- "$d"`;
}

/** Rolls back at once (a failed step), then stops the timer. */
export function rollbackNowScript(id: string): Script {
  return sh`d=${backupDir(id)}
if [ -f "$d/rollback.sh" ]; then /bin/sh "$d/rollback.sh"; fi
systemctl stop ${`${timerUnit(id)}.timer`} 2>/dev/null || :
if [ -f "$d/timer.pid" ]; then kill "$(cat "$d/timer.pid")" 2>/dev/null || :; fi
:`;
}
