// Faults on the lab: while a multi-file playbook runs on 6 hosts, 2 of them lose their sshd, their
// network, or their disk (a full tmpfs over the target directory). The other hosts finish; the
// report names each faulted host with a reason; no target file on any host is ever truncated or
// partial (every file's sha256 is its old or its new content); no `.sparkbook.*` temp file is
// left after a successful run. Prints: faults injected / runs / hosts lost work (must be 0).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labExec, type LabInfo } from '../lab/api.js';
import { addFigure } from '../support/figures.js';
import { useLab } from '../support/lab.js';
import { sleep } from '../support/lab-hosts.js';
import { readReport, type Report } from '../support/output.js';
import { runCli, type CliResult } from '../support/run-cli.js';

const LAB = 'sbft';
const HOSTS = 6;
const DIR = '/var/lib/sbft';
const FILES = ['a.conf', 'b.conf', 'c.conf'] as const;
const FILE_BYTES = 192 * 1024;

type Fault = 'sshd' | 'network' | 'disk';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The content of `file` in generation `gen`: large enough that a torn write would show. */
function content(gen: number, file: string): string {
  const head = `generation ${gen} of ${file}\n`;
  return head + `${gen}`.repeat(FILE_BYTES).slice(0, FILE_BYTES - head.length);
}

const PLAYBOOK = `# Faults workload: three files written atomically, with a window (sleep) between them.
- name: Faults workload
  hosts: lab
  become: true
  gather_facts: false
  tasks:
    - name: target directory
      file: { path: ${DIR}, state: directory, mode: "0755" }
    - name: first file
      file: { path: ${DIR}/a.conf, content: "{{ content_a }}", mode: "0644" }
    - name: the fault window
      command: { argv: [sleep, "4"] }
    - name: second file
      file: { path: ${DIR}/b.conf, content: "{{ content_b }}", mode: "0644" }
    - name: third file
      file: { path: ${DIR}/c.conf, content: "{{ content_c }}", mode: "0644" }
`;

async function sh(lab: LabInfo, host: string, script: string): Promise<{ code: number | null; out: string; err: string }> {
  const r = await labExec(lab, host, ['sh', '-c', script]);
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

/** sha256 of each target file on a host (out of band), 'absent' when missing. */
async function hashes(lab: LabInfo, host: string): Promise<Record<string, string>> {
  const r = await sh(lab, host, `cd ${DIR} 2>/dev/null || exit 0; for f in ${FILES.join(' ')}; do if [ -e "$f" ]; then sha256sum "$f"; fi; done`);
  const out: Record<string, string> = {};
  for (const f of FILES) out[f] = 'absent';
  for (const line of r.out.trim().split('\n')) {
    const [hash, name] = line.split(/\s+/);
    if (hash && name) out[name] = hash;
  }
  return out;
}

async function tempFiles(lab: LabInfo, host: string): Promise<string[]> {
  const r = await sh(lab, host, `ls -A ${DIR} 2>/dev/null | grep '^\\.sparkbook' || :`);
  return r.out.split('\n').filter((l) => l !== '');
}

async function iface(lab: LabInfo, host: string): Promise<string> {
  const r = await sh(lab, host, "ip -o link show | awk -F': ' '$2 != \"lo\" { sub(/@.*/, \"\", $2); print $2; exit }'");
  const name = r.out.trim();
  assert.ok(name !== '', `no network interface on ${host}: ${r.err}`);
  return name;
}

async function inject(lab: LabInfo, host: string, fault: Fault): Promise<void> {
  if (fault === 'sshd') {
    // Stop the listener and kill every sshd (the session's too): the controller's connection dies.
    await sh(lab, host, 'systemctl stop ssh.socket ssh.service 2>/dev/null; for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = sshd ] && kill -9 "${p#/proc/}" 2>/dev/null; done; :');
  } else if (fault === 'network') {
    await sh(lab, host, `ip link set ${await iface(lab, host)} down`);
  } else {
    // A full tmpfs over the target directory: the next write finds no space.
    const r = await sh(lab, host, `mount -t tmpfs -o size=256k tmpfs ${DIR} && dd if=/dev/zero of=${DIR}/filler bs=4k 2>/dev/null; df -k ${DIR} | tail -1`);
    assert.equal(r.code, 0, `disk fault on ${host}: ${r.err}`);
  }
}

async function restore(lab: LabInfo, host: string, fault: Fault, ifName: string): Promise<void> {
  if (fault === 'sshd') {
    await sh(lab, host, 'systemctl reset-failed ssh.service ssh.socket 2>/dev/null; if systemctl is-enabled ssh.socket >/dev/null 2>&1; then systemctl start ssh.socket; else systemctl start ssh.service; fi');
  } else if (fault === 'network') {
    await sh(lab, host, `ip link set ${ifName} up`);
  } else {
    await sh(lab, host, `umount ${DIR}`);
  }
}

describe('faults on k of N lab hosts mid-run (e2e)', function () {
  this.timeout(300_000);
  const lab = useLab({ name: LAB, containers: HOSTS });
  let names: string[];
  let generation = 0;
  const figures = { injected: 0, runs: 0, lost: 0 };
  /** The content hash each host's files may have: the generations written so far. */
  const allowed = new Map<string, Set<string>>();

  before(async () => {
    names = lab.hosts.map((h) => h.name);
    assert.equal(names.length, HOSTS);
    await Promise.all(names.map((h) => sh(lab, h, `rm -rf ${DIR}`)));
    for (const f of FILES) allowed.set(f, new Set(['absent']));
  });

  after(() => {
    addFigure('faults.injected', figures.injected);
    addFigure('faults.runs', figures.runs);
    addFigure('hosts.lost', figures.lost);
    process.stdout.write(`      faults injected ${figures.injected} / runs ${figures.runs} / hosts lost work ${figures.lost} (must be 0)\n`);
  });

  async function run(): Promise<{ result: CliResult; report: Report }> {
    generation += 1;
    const vars = join(lab.scratch, `vars-${generation}.yml`);
    writeFileSync(vars, Object.entries({ content_a: 'a.conf', content_b: 'b.conf', content_c: 'c.conf' }).map(([k, f]) => `${k}: ${JSON.stringify(content(generation, f))}`).join('\n'));
    for (const f of FILES) allowed.get(f)!.add(sha(content(generation, f)));
    const playbook = join(lab.scratch, 'faults.yml');
    writeFileSync(playbook, PLAYBOOK);
    const report = join(lab.scratch, `report-${generation}.json`);
    figures.runs += 1;
    const result = await runCli(['run', playbook, '-i', lab.inventoryYaml, '-e', `@${vars}`, '--output', 'plain', '--timeout', '15', '--report', report, '--retry-file', join(lab.scratch, 'retry')], { timeoutMs: 240_000 });
    assert.ok(existsSync(report), `no report written; the run exited ${result.code}:\n${result.stderr}\n${result.stdout}`);
    return { result, report: readReport(report) };
  }

  /** Waits until the first file of this generation is on `host`: the run is inside its fault window. */
  async function inWindow(host: string, gen: number, running: Promise<{ result: CliResult }>): Promise<void> {
    const want = sha(content(gen, 'a.conf'));
    let finished: CliResult | undefined;
    void running.then(({ result }) => (finished = result), () => undefined);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && finished === undefined) {
      if ((await hashes(lab, host))['a.conf'] === want) return;
      await sleep(150);
    }
    const r = finished ?? (await running).result;
    assert.fail(`${host} never reached the fault window; the run exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  }

  async function checkFiles(faulted: readonly string[]): Promise<void> {
    for (const host of names) {
      const h = await hashes(lab, host);
      for (const f of FILES) {
        if (!allowed.get(f)!.has(h[f] ?? 'absent')) {
          figures.lost += 1;
          assert.fail(`${host}:${DIR}/${f} is neither an old nor the new content (sha256 ${h[f]}): a torn write`);
        }
      }
      if (!faulted.includes(host)) {
        const want = Object.fromEntries(FILES.map((f) => [f, sha(content(generation, f))]));
        if (JSON.stringify(h) !== JSON.stringify(want)) figures.lost += 1;
        assert.deepEqual(h, want, `${host} (not faulted) finished every file`);
        assert.deepEqual(await tempFiles(lab, host), [], `${host}: temp files left after a successful run`);
      }
    }
  }

  for (const [index, fault] of (['sshd', 'network', 'disk'] as const).entries()) {
    it(`finishes the other hosts and names the 2 hosts whose ${fault} failed mid-run, leaving no file torn`, async () => {
      const faulted = [names[index * 2]!, names[index * 2 + 1]!];
      const ifNames = new Map<string, string>();
      for (const h of faulted) ifNames.set(h, fault === 'network' ? await iface(lab, h) : '');
      const t0 = Date.now();
      const running = run();
      const gen = generation;
      await Promise.all(faulted.map((h) => inWindow(h, gen, running)));
      await Promise.all(faulted.map((h) => inject(lab, h, fault)));
      figures.injected += faulted.length;
      const { result, report } = await running;
      process.stdout.write(`      ${fault}: run took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      let filler: string[] = [];
      try {
        assert.equal(result.code, 4, `exit 4 when hosts fail: ${result.stderr}\n${result.stdout}`);
        const bad = report.hosts.filter((h) => h.failed > 0 || h.unreachable > 0).map((h) => h.host).sort();
        assert.deepEqual(bad, [...faulted].sort(), 'exactly the faulted hosts failed');
        for (const h of faulted) {
          const why = report.results.filter((r) => r.host === h && (r.status === 'failed' || r.status === 'unreachable'));
          assert.ok(why.length > 0 && why.every((r) => (r.reason ?? '').length > 0), `${h} has a reason in the report: ${JSON.stringify(why)}`);
          process.stdout.write(`      ${fault} on ${h}: ${why[0]?.status} at '${why[0]?.task}': ${(why[0]?.reason ?? '').slice(0, 160)}\n`);
        }
        if (fault === 'disk') {
          // On the full tmpfs: the filler only, no partial file and no temp file.
          filler = (await Promise.all(faulted.map((h) => sh(lab, h, `ls -A ${DIR}`)))).map((r) => r.out.trim());
          assert.deepEqual(filler, faulted.map(() => 'filler'), 'nothing half-written on the full disk');
        }
      } finally {
        await Promise.all(faulted.map((h) => restore(lab, h, fault, ifNames.get(h) ?? '')));
      }
      await checkFiles(faulted);
    });
  }

  it('converges every host on the next run, with no temp file left anywhere', async () => {
    const { result } = await run();
    assert.equal(result.code, 0, `${result.stderr}\n${result.stdout}`);
    await checkFiles([]);
    for (const host of names) assert.deepEqual(await tempFiles(lab, host), [], `${host}: stale temp files`);
  });
});
