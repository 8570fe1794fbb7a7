// The soak (`node --expose-gc dist/test/soak/soak.js`, wired as `npm run soak`; not part of npm test):
// 50 inventory hosts × 20 consecutive runs in ONE process through the executor API and the CLI's
// host access, on lab containers (each container stands for several inventory hosts). After each
// run it counts this process's file descriptors and sockets, heap and RSS, and sshd sessions left
// on the hosts; it fails when any of them grows. Sizes: SOAK_HOSTS, SOAK_RUNS, SOAK_CONTAINERS.
import { readdirSync, readlinkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../modules/index.js';
import { createHostAccess } from '../../runner/commands/host-access.js';
import { runPlaybook } from '../../runner/executor/run.js';
import { loadInventory } from '../../runner/inventory/index.js';
import { loadPlaybook } from '../../runner/load/playbook.js';
import { destroyLab, ensureLab, labExec, type LabInfo } from '../lab/api.js';
import { addFigure, renderSummary } from '../support/figures.js';

const HOSTS = Number(process.env['SOAK_HOSTS'] ?? 50);
const RUNS = Number(process.env['SOAK_RUNS'] ?? 20);
const CONTAINERS = Number(process.env['SOAK_CONTAINERS'] ?? 5);
const LAB = process.env['SOAK_LAB_NAME'] ?? 'sbsk';
/** Allowed growth between the first measured run and the last (warm-up: the first run is excluded). */
const FD_SLACK = 2;
const HEAP_SLACK_MB = 24;

interface Sample {
  run: number;
  ms: number;
  ok: number;
  failed: number;
  fds: number;
  sockets: number;
  heapMb: number;
  rssMb: number;
  sessions: number;
}

function fdCounts(): { fds: number; sockets: number } {
  let fds = 0;
  let sockets = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    fds += 1;
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) sockets += 1;
    } catch {
      // closed between readdir and readlink (the readdir's own fd)
    }
  }
  return { fds, sockets };
}

/** sshd processes on every container beyond its listener: sessions a run left open. */
async function sshSessions(lab: LabInfo): Promise<number> {
  const counts = await Promise.all(
    lab.hosts.map(async (h) => {
      const r = await labExec(lab, h.name, ['sh', '-c', 'n=0; for p in /proc/[0-9]*; do c=$(cat $p/cmdline 2>/dev/null | tr "\\0" " "); case "$c" in *"sshd: "*@*|*"sshd-session"*) n=$((n+1));; esac; done; echo $n']);
      return Number(r.stdout.trim() || '0');
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

function inventoryText(lab: LabInfo, base: Awaited<ReturnType<typeof loadInventory>>): string {
  const labHosts = [...base.hosts.values()];
  const lines = ['all:', '  children:', '    soak:', '      hosts:'];
  for (let i = 0; i < HOSTS; i++) {
    const from = labHosts[i % labHosts.length]!;
    lines.push(`        soak-${String(i + 1).padStart(2, '0')}:`);
    for (const [k, v] of Object.entries(from.vars)) lines.push(`          ${k}: ${JSON.stringify(v)}`);
  }
  void lab;
  return `${lines.join('\n')}\n`;
}

const PLAYBOOK = `- name: soak
  hosts: soak
  become: true
  tasks:
    - name: directory
      file: { path: /var/lib/sbsoak, state: directory, mode: "0755" }
    - name: a file per inventory host, changed every run
      file: { path: "/var/lib/sbsoak/{{ inventory_hostname }}", content: "run {{ soak_run }}\\n" }
    - name: a probe-only task
      command: { argv: ["true"] }
`;

async function main(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const lab = await ensureLab({ containers: CONTAINERS, name: LAB });
  const dir = mkdtempSync(join(tmpdir(), 'sparkbook-soak-'));
  const samples: Sample[] = [];
  try {
    const labInventory = await loadInventory(lab.inventoryYaml);
    writeFileSync(join(dir, 'inventory.yml'), inventoryText(lab, labInventory));
    writeFileSync(join(dir, 'soak.yml'), PLAYBOOK);
    const inventory = await loadInventory(join(dir, 'inventory.yml'));
    const playbook = await loadPlaybook(join(dir, 'soak.yml'));
    const baselineSessions = await sshSessions(lab);
    for (let run = 1; run <= RUNS; run++) {
      let ok = 0;
      let failed = 0;
      const access = createHostAccess({ hostKeyPolicy: 'strict', env: process.env });
      const summary = await runPlaybook({
        playbook, inventory, access, findModule,
        options: { check: false, diff: false, forks: 50, tags: [], skipTags: [], extraVars: { soak_run: run } },
        emit: (e) => {
          if (e.type === 'task:end') {
            if (e.result.status === 'failed' || e.result.status === 'unreachable') failed += 1;
            else ok += 1;
          }
        },
      });
      gc?.();
      await new Promise((r) => setTimeout(r, 200));
      gc?.();
      const mem = process.memoryUsage();
      const sample: Sample = {
        run, ms: summary.durationMs, ok, failed, ...fdCounts(),
        heapMb: mem.heapUsed / 1024 / 1024, rssMb: mem.rss / 1024 / 1024, sessions: (await sshSessions(lab)) - baselineSessions,
      };
      samples.push(sample);
      process.stdout.write(`run ${String(run).padStart(2)}  ${String(sample.ms).padStart(6)} ms  tasks ok ${sample.ok} failed ${sample.failed}  fds ${sample.fds} sockets ${sample.sockets}  heap ${sample.heapMb.toFixed(1)} MB  rss ${sample.rssMb.toFixed(1)} MB  ssh sessions left ${sample.sessions}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (process.env['SPARKBOOK_LAB_KEEP'] !== '1') await destroyLab(LAB);
  }
  const first = samples[Math.min(1, samples.length - 1)]!;
  const last = samples[samples.length - 1]!;
  const fdLeak = Math.max(0, last.fds - first.fds - FD_SLACK);
  const socketLeak = Math.max(0, last.sockets - first.sockets);
  const heapGrowth = last.heapMb - first.heapMb;
  const failedTasks = samples.reduce((n, s) => n + s.failed, 0);
  const sessionsLeft = last.sessions;
  addFigure('fds.leaked', fdLeak + socketLeak);
  process.stdout.write(
    [
      '',
      `== soak: ${HOSTS} hosts × ${RUNS} runs on ${CONTAINERS} containers, one process`,
      `  fds: ${first.fds} after run 2 → ${last.fds} after run ${last.run} (leaked ${fdLeak}, must be 0)`,
      `  sockets: ${first.sockets} → ${last.sockets} (leaked ${socketLeak}, must be 0)`,
      `  heap: ${first.heapMb.toFixed(1)} → ${last.heapMb.toFixed(1)} MB (growth ${heapGrowth.toFixed(1)} MB, limit ${HEAP_SLACK_MB}); rss ${first.rssMb.toFixed(1)} → ${last.rssMb.toFixed(1)} MB`,
      `  ssh sessions left on hosts after the last run: ${sessionsLeft} (must be 0)`,
      `  failed tasks: ${failedTasks} (must be 0)`,
      renderSummary(),
      '',
    ].join('\n'),
  );
  return fdLeak === 0 && socketLeak === 0 && heapGrowth < HEAP_SLACK_MB && sessionsLeft <= 0 && failedTasks === 0 ? 0 : 1;
}

process.exitCode = await main();
