// The command lines the benchmark times: sparkbook, ansible-playbook (default and tuned), and the OpenSSH floor.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHost, LabInfo } from '../test/lab/api.js';
import type { Tool } from './args.js';
import { SPARK_PASSWORD } from '../test/lab/variants.js';

export type Mode = 'check' | 'first apply' | 'second apply';
export const MODES: readonly Mode[] = ['check', 'first apply', 'second apply'];

export interface Invocation {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** `containers[0:N-1]`: the first N hosts, a pattern both tools read the same way. */
export function limitPattern(n: number): string {
  return `containers[0:${n - 1}]`;
}

/** sparkbook is dist/sparkbook.js (the bundle users run) unless SPARKBOOK_CLI names another build (e.g. a snapshot of a commit). */
export function toolInvocation(tool: Tool, mode: Mode, lab: LabInfo, n: number, repo: string, controlDir: string): Invocation {
  const check = mode === 'check' ? ['--check'] : [];
  if (tool === 'sparkbook') {
    return {
      argv: [process.execPath, ...(process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a.length > 0), process.env['SPARKBOOK_CLI'] ?? join(repo, 'dist/sparkbook.js'), 'run', join(repo, 'bench/workload/sparkbook.yml'), '-i', lab.inventoryYaml, '--known-hosts', lab.knownHosts, '--output', 'plain', '--limit', limitPattern(n), ...check],
      env: { ...process.env, NO_COLOR: '1' },
    };
  }
  const tuned = tool === 'ansible-tuned';
  return {
    argv: ['ansible-playbook', '-i', lab.inventoryYaml, join(repo, 'bench/workload/ansible.yml'), '--limit', limitPattern(n), ...(tuned ? ['-f', String(n)] : []), ...check],
    env: {
      ...process.env,
      ANSIBLE_CONFIG: join(repo, `bench/workload/${tuned ? 'ansible-tuned.cfg' : 'ansible-default.cfg'}`),
      // A fresh ControlPath directory per run: no run rides on a master connection left by the one before.
      ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir,
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
    },
  };
}

export interface Outcome {
  readonly changed: number;
  readonly failed: number;
}

/** Changed and failed(+unreachable) task results, from the tool's recap. */
export function parseOutcome(tool: Tool | 'floor', output: string): Outcome | undefined {
  if (tool === 'sparkbook') {
    const m = /(\d+) hosts?: \d+ ok, (\d+) changed, (\d+) failed, \d+ skipped, (\d+) unreachable/.exec(output);
    return m ? { changed: Number(m[2]), failed: Number(m[3]) + Number(m[4]) } : undefined;
  }
  if (tool === 'floor') return undefined;
  let changed = 0;
  let failed = 0;
  let seen = false;
  for (const m of output.matchAll(/changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/g)) {
    seen = true;
    changed += Number(m[1]);
    failed += Number(m[2]) + Number(m[3]);
  }
  return seen ? { changed, failed } : undefined;
}

/** What the workload's tasks read, as plain commands: the "one session running the workload's commands" floor. */
export const FLOOR_COMMANDS: readonly string[] = [
  'uname -srm',
  'cat /etc/os-release',
  'hostname',
  "dpkg-query -W -f '${Status}\\n' procps",
  'cat /etc/ssh/sshd_config.d/60-bench.conf',
  "stat -c '%a %U %G' /etc/ssh/sshd_config.d/60-bench.conf",
  "stat -c '%a %U %G' /etc/bench-legacy.conf",
  'cat /etc/sysctl.d/60-bench.conf',
  "stat -c '%a %U %G' /etc/bench",
  'cat /etc/bench/agent.conf',
  "stat -c '%a %U %G' /etc/bench/agent.conf",
  'cat /etc/bench/environment',
  'systemctl is-active systemd-networkd',
  'systemctl is-enabled systemd-networkd',
  'uname -r',
];

function sshBase(lab: LabInfo, h: LabHost): string[] {
  return ['ssh', '-F', '/dev/null', '-i', lab.privateKey, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${lab.knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', 'LogLevel=ERROR', '-p', String(h.port), '-l', h.user, h.address];
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export type FloorKind = 'floor: connect' | 'floor: session';

/**
 * A sh script that opens one fresh OpenSSH connection per host, all in parallel, and waits for all; it fails if one
 * did. connect: each runs `true`. session: each runs FLOOR_COMMANDS in one `sh -s` (through `sudo -S` for non-root
 * users, the password first on stdin, as sparkbook's become does).
 */
export function floorInvocation(kind: FloorKind, lab: LabInfo, hosts: readonly LabHost[], workDir: string): Invocation {
  const lines = ['fail=0', 'pids='];
  for (const h of hosts) {
    const base = sshBase(lab, h).map(q).join(' ');
    if (kind === 'floor: connect') lines.push(`${base} true </dev/null & pids="$pids $!"`);
    else {
      const input = join(workDir, `floor-${h.name}.in`);
      const script = FLOOR_COMMANDS.map((c) => `${c} 2>/dev/null`).join('\n') + '\n';
      writeFileSync(input, (h.user === 'root' ? '' : `${SPARK_PASSWORD}\n`) + script);
      const remote = h.user === 'root' ? 'sh -s' : "sudo -S -p '' sh -s";
      lines.push(`${base} ${q(remote)} <${q(input)} >/dev/null & pids="$pids $!"`);
    }
  }
  lines.push('for p in $pids; do wait $p || fail=1; done', 'exit $fail');
  return { argv: ['sh', '-c', lines.join('\n')], env: process.env };
}
