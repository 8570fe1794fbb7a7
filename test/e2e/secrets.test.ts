// Secrets after a full secure.yml apply with --diff and --report: the WireGuard private keys
// (generated on the hosts), a canary Tailscale auth key and a canary sudo password appear in no
// output, no report, no file readable by others on the hosts or on this machine, and in no
// process argv or environment sampled on the hosts during the run.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labExec } from '../lab/api.js';
import { execArgv } from '../lab/exec.js';
import { useLab } from '../support/lab.js';
import { mustExec } from '../support/lab-hosts.js';
import { labInventory, runArgs, standinRepo, varsFile } from '../support/lab-inputs.js';
import { recapOf } from '../support/output.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

const LAB = 'sbse';
const RUN_MS = 300_000;
const SAMPLES = '/root/sparkbook-proc-samples';

/** Each secret and the forms a leak could take: raw, base64, and a 16-character middle slice. */
function forms(secrets: readonly string[]): string[] {
  return secrets.flatMap((s) => [s, Buffer.from(s).toString('base64').slice(0, 16), s.slice(Math.max(0, (s.length >> 1) - 8), (s.length >> 1) + 8)]);
}

function leaks(text: string, patterns: readonly string[]): string[] {
  return patterns.filter((p) => text.includes(p));
}

/** Files readable by others under `roots` (one file system each) that hold any pattern. */
const SCAN = `p=$(mktemp); cat > "$p"
find "$@" -xdev -type f -perm -o=r -size -20M -print0 2>/dev/null | xargs -0 -r grep -l -F -f "$p" -- 2>/dev/null
rm -f "$p"; exit 0`;

describe('secrets after a full apply of secure.yml with --diff and --report (e2e)', function () {
  this.timeout(RUN_MS);
  const lab = useLab({ name: LAB, containers: 2 });

  it('no WireGuard private key, auth key or become password in output, report, others-readable files, argv or environ', async () => {
    const dir = lab.scratch;
    const authKey = `tskey-auth-k${randomBytes(8).toString('hex')}CNTRL-${randomBytes(16).toString('hex')}`;
    const becomePass = `become-${randomBytes(12).toString('hex')}`;
    const sudoHost = lab.hosts.find((h) => h.user === 'spark');
    assert.ok(sudoHost);
    await mustExec(lab, sudoHost.name, ['chpasswd'], `spark:${becomePass}\n`);
    // The password comes from the environment only, not from a file.
    const inventory = labInventory(lab, dir, { withoutBecomePassword: true, name: 'inventory.yml' });
    const vars = varsFile(dir, 'vars.yml', { tailscale_repo_url: standinRepo(lab), wireguard_packages: ['wireguard-tools', 'wireguard-go'], ssh_port: 2200 });
    const report = join(dir, 'report.json');
    const marker = join(tmpdir(), `sparkbook-sc-marker-${process.pid}`);
    writeFileSync(marker, '');

    // Sample every process's argv and environment on the hosts while the run goes on.
    const sampler = `rm -f ${SAMPLES}.stop
(while [ ! -f ${SAMPLES}.stop ]; do for f in /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do tr '\\000' ' ' < "$f" 2>/dev/null; echo; done; sleep 0.02; done >> ${SAMPLES}) </dev/null >/dev/null 2>&1 &`;
    await Promise.all(lab.hosts.map((h) => mustExec(lab, h.name, ['sh', '-c', `umask 077; ${sampler}`])));

    const r = await runCli(['run', 'playbooks/secure.yml', ...runArgs(lab, inventory), '-e', vars, '--diff', '--report', report], {
      env: { TS_AUTHKEY: authKey, SPARKBOOK_BECOME_PASS: becomePass },
      timeoutMs: RUN_MS,
    });
    await Promise.all(lab.hosts.map((h) => mustExec(lab, h.name, ['touch', `${SAMPLES}.stop`])));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const h of lab.hosts) assert.equal(recapOf(r.stdout, h.name).failed, 0);
    assert.match(r.stdout, /tailscale up --auth-key=file:…/, 'the join happened (so the key was used)');

    const wgKeys = await Promise.all(lab.hosts.map(async (h) => (await mustExec(lab, h.name, ['cat', '/etc/wireguard/wg0.key'])).trim()));
    for (const k of wgKeys) assert.match(k, /^[A-Za-z0-9+/]{43}=$/);
    const secrets = [authKey, becomePass, ...wgKeys];
    const patterns = forms(secrets);

    assert.deepEqual(leaks(r.stdout, patterns), [], 'stdout');
    assert.deepEqual(leaks(r.stderr, patterns), [], 'stderr');
    const reportText = readFileSync(report, 'utf8');
    assert.ok(reportText.length > 1000, 'the report was written');
    assert.deepEqual(leaks(reportText, patterns), [], 'the JSON report');

    // This machine: every others-readable file written since the run began (temp dirs, the
    // checkout's .sparkbook, the report), and everything of the scratch directory.
    const local = await execArgv(
      ['sh', '-c', `p=$(mktemp); cat > "$p"; find ${tmpdir()} /var/tmp ${REPO_ROOT}.sparkbook ${process.env['HOME'] ?? '/root'}/.sparkbook ${dir} -xdev -type f -newer ${marker} -perm -o=r -print0 2>/dev/null | xargs -0 -r grep -l -F -f "$p" --; rm -f "$p"; exit 0`],
      { input: patterns.join('\n') + '\n', timeoutMs: 60_000 },
    );
    rmSync(marker, { force: true });
    assert.equal(local.stdout.trim(), '', `others-readable files on the controller hold a secret:\n${local.stdout}`);

    // Negative control: the host scan finds a planted canary.
    const first = lab.hosts[0];
    assert.ok(first);
    await mustExec(lab, first.name, ['sh', '-c', 'umask 022; cat > /tmp/sparkbook-canary'], `debug: ${authKey}\n`);
    const planted = await labExec(lab, first.name, ['sh', '-c', SCAN, 'scan', '/tmp'], patterns.join('\n') + '\n');
    assert.equal(planted.stdout.trim(), '/tmp/sparkbook-canary', 'the scanner cannot see a planted secret');
    await mustExec(lab, first.name, ['rm', '-f', '/tmp/sparkbook-canary']);

    for (const h of lab.hosts) {
      const scan = await labExec(lab, h.name, ['sh', '-c', SCAN, 'scan', '/', '/run', '/tmp', '/dev/shm', '/var', '/etc', '/home', '/root'], patterns.join('\n') + '\n');
      assert.equal(scan.stdout.trim(), '', `${h.name}: others-readable files hold a secret:\n${scan.stdout}`);
      const samples = await labExec(
        lab,
        h.name,
        ['sh', '-c', `p=$(mktemp); cat > "$p"; echo "lines $(grep -a -c . ${SAMPLES})"; echo "hits $(grep -a -F -c -f "$p" ${SAMPLES})"; rm -f "$p"`],
        patterns.join('\n') + '\n',
      );
      const sampled = Number(/^lines (\d+)$/m.exec(samples.stdout)?.[1]);
      const hits = Number(/^hits (\d+)$/m.exec(samples.stdout)?.[1]);
      assert.ok(sampled > 100, `${h.name}: too few /proc samples (${samples.stdout} ${samples.stderr})`);
      assert.equal(hits, 0, `${h.name}: a secret was in some process's argv or environment (${samples.stdout} ${samples.stderr})`);
      assert.equal((await labExec(lab, h.name, ['sh', '-c', 'ls /run/sparkbook-ts.* /dev/shm/sparkbook-ts.* 2>/dev/null'])).stdout, '');
      const modes = await mustExec(lab, h.name, ['stat', '-c', '%a %U', '/etc/wireguard', '/etc/wireguard/wg0.key', '/etc/wireguard/wg0.conf', '/etc/ssh/sshd_config.d/01-sparkbook.conf']);
      assert.equal(modes.trim(), '700 root\n600 root\n600 root\n600 root');
    }
  });
});
