// Out-of-band work on lab hosts for e2e tests: commands that must succeed, /etc snapshots, fresh
// OpenSSH logins, listening ports, undoing the fleet workload, waiting for journald, and sampling
// this machine's process list.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { labExec, labSsh, type ExecResult, type LabInfo } from '../lab/api.js';
import { addFigure } from './figures.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs argv in a host (out of band) and insists it succeeds. */
export async function mustExec(lab: LabInfo, host: string, argv: readonly string[], input?: string): Promise<string> {
  const r = await labExec(lab, host, argv, input);
  assert.equal(r.exitCode, 0, `${host}: ${argv.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * Everything under /etc of a host, out of band: sha256 of every file's bytes, every symlink's
 * target (`systemctl enable` makes links), every directory with its mode. Sorted, so two
 * snapshots compare as strings.
 */
export async function etcSnapshot(lab: LabInfo, host: string): Promise<string> {
  const r = await labExec(lab, host, [
    'sh',
    '-c',
    "find /etc -xdev \\( -type f -exec sha256sum {} + \\) -o \\( -type l -printf 'link %p -> %l\\n' \\) -o \\( -type d -printf 'dir %p %m\\n' \\) | LC_ALL=C sort",
  ]);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.ok(r.stdout.split('\n').length > 100, 'the /etc snapshot is implausibly small');
  return r.stdout;
}

/** The lines that differ between two snapshots (for a readable failure). */
export function snapshotDiff(before: string, after: string): string[] {
  const a = new Set(before.split('\n'));
  const b = new Set(after.split('\n'));
  return [...[...a].filter((l) => !b.has(l)).map((l) => `- ${l}`), ...[...b].filter((l) => !a.has(l)).map((l) => `+ ${l}`)];
}

/** A FRESH OpenSSH login (BatchMode, the lab key and known_hosts, strict host keys) running `true`. */
export function freshLogin(lab: LabInfo, host: string, port: number): Promise<ExecResult> {
  return labSsh(lab, host, 'true', { port, timeoutMs: 20_000 });
}

/** Asserts a fresh login on `port` works, with the ssh client's own words when it does not. */
export async function assertFreshLogin(lab: LabInfo, host: string, port: number): Promise<void> {
  const r = await freshLogin(lab, host, port);
  // The lockout figure of the summary block: every fresh-login check counts, a failed one is a lockout.
  addFigure('lockouts', r.exitCode === 0 ? 0 : 1);
  addFigure('lockout.checks', 1);
  assert.equal(r.exitCode, 0, `fresh ssh to ${host}:${port} failed: ${r.stderr}`);
}

/** TCP ports something listens on in a host (out of band). */
export async function listeningPorts(lab: LabInfo, host: string): Promise<number[]> {
  const r = await labExec(lab, host, ['ss', '-Hltn']);
  return [...new Set(r.stdout.split('\n').map((l) => Number(/:(\d+)\s/.exec(l.split(/\s+/)[3] + ' ')?.[1])).filter((p) => p > 0))].sort((a, b) => a - b);
}

/** Undoes fleet.yml on every host (files, the sysctl), so the next test starts from fresh hosts. */
export async function resetFleetWorkload(lab: LabInfo): Promise<void> {
  const script = 'rm -rf /etc/sparkbook-e2e /etc/sysctl.d/60-sparkbook-e2e.conf && sysctl -qw net.ipv4.ip_forward=0';
  const results = await Promise.all(lab.hosts.map((h) => labExec(lab, h.name, ['sh', '-c', script])));
  for (const [i, r] of results.entries()) assert.equal(r.exitCode, 0, `reset ${lab.hosts[i]?.name}: ${r.stderr}`);
}

/** Polls `read` until it reaches `atLeast` (journald stores lines a moment later), then once more after a pause. */
export async function settledCount(read: () => Promise<number>, atLeast: number, pauseMs = 400): Promise<number> {
  let n = await read();
  for (let i = 0; i < 40 && n < atLeast; i++) {
    await sleep(100);
    n = await read();
  }
  await sleep(pauseMs);
  return read();
}

/** Every process's argv on this machine (lab hosts' processes included: their PID namespaces are children of ours). */
export function processCommandLines(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

/** Samples process lists every `everyMs` until stop() is called; returns the lines that contain `needle`. */
export function watchProcesses(needle: string, everyMs = 50): { stop(): { samples: number; hits: string[] } } {
  let samples = 0;
  const hits: string[] = [];
  const timer = setInterval(() => {
    samples++;
    for (const c of processCommandLines()) if (c.includes(needle)) hits.push(c);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { samples, hits };
    },
  };
}
