// What the benchmark does to lab hosts out of band (nsenter, not ssh, so it never shows in the counts):
// prepare them once, reset the workload's files before each first apply, and count sshd's logins and sessions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labExec, sshdLog, acceptedLogins, type LabInfo } from '../test/lab/api.js';

/** Every path the workload creates; removing them returns a host to its state before any apply. */
export const WORKLOAD_PATHS: readonly string[] = [
  '/etc/ssh/sshd_config.d/60-bench.conf',
  '/etc/sysctl.d/60-bench.conf',
  '/etc/bench',
];

/** A file the workload finds and fixes (mode 0666 → 0644), as a baseline fixes what an audit flagged. */
export const STRAY_FILE = '/etc/bench-legacy.conf';

/** VERBOSE makes sshd log "Starting session: ..." once per session channel (exec/shell/subsystem). */
const LOG_DROP_IN = '/etc/ssh/sshd_config.d/05-bench-log.conf';

async function must(lab: LabInfo, host: string, argv: readonly string[], input?: string): Promise<string> {
  const r = await labExec(lab, host, argv, input);
  if (r.exitCode !== 0) throw new Error(`${host}: ${argv.join(' ')} exited ${r.exitCode}: ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * Once per lab: sshd logs at VERBOSE (reloaded where ssh.service runs; ssh.socket reads the config per connection),
 * and python3-apt is installed from the .debs in debsDir when missing: Ansible's apt module needs it on the target
 * (Ubuntu and DGX OS ship it), and the lab hosts reach no Debian mirror.
 */
export async function prepareHosts(lab: LabInfo, hosts: readonly string[], debsDir: string | undefined): Promise<void> {
  const debs = debsDir ? readdirSync(debsDir).filter((f) => f.endsWith('.deb')) : [];
  await Promise.all(
    hosts.map(async (h) => {
      const script =
        `set -e\n` +
        `if [ "$(cat ${LOG_DROP_IN} 2>/dev/null)" != "LogLevel VERBOSE" ]; then\n` +
        `  echo "LogLevel VERBOSE" > ${LOG_DROP_IN}\n` +
        `  if systemctl is-active -q ssh.service; then systemctl reload ssh.service; fi\n` +
        `fi\n`;
      await must(lab, h, ['sh', '-c', script]);
      const has = await labExec(lab, h, ['dpkg-query', '-W', '-f', '${Status}', 'python3-apt']);
      if (has.stdout.includes('install ok installed')) return;
      if (debs.length === 0 || !debsDir) throw new Error(`${h}: python3-apt is missing and no .debs were given (BENCH_DEBS)`);
      for (const deb of debs) {
        const b64 = readFileSync(join(debsDir, deb)).toString('base64');
        await must(lab, h, ['sh', '-c', `mkdir -p /var/tmp/bench-debs && base64 -d > /var/tmp/bench-debs/${deb}`], b64);
      }
      await must(lab, h, ['sh', '-c', 'dpkg -i /var/tmp/bench-debs/*.deb >/dev/null && rm -rf /var/tmp/bench-debs']);
    }),
  );
}

/** Removes what the workload creates and puts the stray file back at 0666, on every host at once. */
export async function resetHosts(lab: LabInfo, hosts: readonly string[]): Promise<void> {
  const script = `rm -rf ${WORKLOAD_PATHS.join(' ')} && echo 'legacy=1' > ${STRAY_FILE} && chmod 0666 ${STRAY_FILE}`;
  await Promise.all(hosts.map((h) => must(lab, h, ['sh', '-c', script])));
}

export interface SshdCounts {
  readonly logins: number;
  readonly sessions: number;
}

/** "Starting session: ..." lines: one per session channel sshd served (VERBOSE). */
export function sessionChannels(lines: readonly string[]): number {
  return lines.filter((l) => l.startsWith('Starting session: ')).length;
}

/** Accepted logins and session channels so far, per host. */
export async function sshdCounts(lab: LabInfo, hosts: readonly string[]): Promise<Map<string, SshdCounts>> {
  const entries = await Promise.all(
    hosts.map(async (h): Promise<[string, SshdCounts]> => {
      const lines = await sshdLog(lab, h);
      return [h, { logins: acceptedLogins(lines), sessions: sessionChannels(lines) }];
    }),
  );
  return new Map(entries);
}

/** Per-host differences between two counts: the average and the largest over hosts. */
export function countDelta(before: Map<string, SshdCounts>, after: Map<string, SshdCounts>): { loginsPerHost: number; sessionsPerHost: number; maxLogins: number; maxSessions: number } {
  let logins = 0;
  let sessions = 0;
  let maxLogins = 0;
  let maxSessions = 0;
  for (const [h, a] of after) {
    const b = before.get(h) ?? { logins: 0, sessions: 0 };
    logins += a.logins - b.logins;
    sessions += a.sessions - b.sessions;
    maxLogins = Math.max(maxLogins, a.logins - b.logins);
    maxSessions = Math.max(maxSessions, a.sessions - b.sessions);
  }
  const n = Math.max(1, after.size);
  return { loginsPerHost: logins / n, sessionsPerHost: sessions / n, maxLogins, maxSessions };
}
