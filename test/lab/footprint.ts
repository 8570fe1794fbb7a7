// What a lab occupies on this machine right now, found by looking (not by its state file): links, mounts,
// processes, namespaces and cgroups. Tests compare it before and after `down`.
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execArgv } from './exec.js';
import { labDir } from './paths.js';

export interface Footprint {
  /** Interfaces whose name starts with "<lab>-" (the bridge, veths, taps). */
  readonly links: string[];
  /** Mount points under the lab's directory. */
  readonly mounts: string[];
  /** Processes whose command line names the lab's directory (supervisors, nspawn, the repo server) and their descendants. */
  readonly pids: number[];
  /** Network and mount namespaces (nsfs ids) those processes are in, other than this machine's own. */
  readonly namespaces: string[];
  readonly cgroups: string[];
}

export async function footprint(lab: string): Promise<Footprint> {
  const dir = labDir(lab);
  const links = (await execArgv(['ip', '-o', 'link', 'show'])).stdout
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0] ?? '')
    .filter((n) => n.startsWith(`${lab}-`));
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m === dir || m.startsWith(dir + '/'));
  // Seeds: processes naming the lab's directory (supervisors, nspawn, the repo server); then all their descendants
  // (a container's processes see their own root, so only their ancestry ties them to the lab).
  const parent = new Map<number, number>();
  const seeds = new Set<number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(dir + '/') || cmd.includes(dir + '\0')) seeds.add(pid);
    } catch {
      // exited while we looked
    }
  }
  const inLab = (pid: number): boolean => {
    for (let p: number | undefined = pid, n = 0; p !== undefined && p > 1 && n < 64; p = parent.get(p), n++) {
      if (seeds.has(p)) return true;
    }
    return false;
  };
  const pids = [...parent.keys()].filter(inLab).sort((a, b) => a - b);
  const own = new Set(['net', 'mnt'].map((t) => nsId(process.pid, t)));
  const namespaces = new Set<string>();
  for (const pid of pids) {
    for (const t of ['net', 'mnt']) {
      const id = nsId(pid, t);
      if (id && !own.has(id)) namespaces.add(id);
    }
  }
  const cgroups = ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified', '/sys/fs/cgroup']
    .map((r) => join(r, 'sparkbook-lab', lab))
    .filter((p) => existsSync(p));
  return { links, mounts, pids, namespaces: [...namespaces], cgroups };
}

function nsId(pid: number, type: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${type}`);
  } catch {
    return undefined;
  }
}

/** Every namespace id held by any process on the machine now. */
export function liveNamespaces(): Set<string> {
  const out = new Set<string>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    for (const t of ['net', 'mnt']) {
      const id = nsId(Number(e), t);
      if (id) out.add(id);
    }
  }
  return out;
}
