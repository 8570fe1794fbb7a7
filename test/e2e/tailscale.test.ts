// tailscale-install.yml against the lab's signed stand-in repository: the signing key, the apt
// source for the host's codename and architecture, the package and tailscaled, all for real; the
// join is checked through the arguments the STAND-IN CLI records (no real tailnet in the lab).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { labExec } from '../lab/api.js';
import { useLab } from '../support/lab.js';
import { mustExec } from '../support/lab-hosts.js';
import { runArgs, standinRepo } from '../support/lab-inputs.js';
import { recapOf } from '../support/output.js';
import { runCli } from '../support/run-cli.js';

const LAB = 'sbts';
const RUN_MS = 180_000;
const CALLS = '/var/lib/tailscale/standin-calls.log';

describe('tailscale-install.yml with the lab\'s Tailscale stand-in repository and CLI (e2e, stand-in: no real tailnet)', function () {
  this.timeout(RUN_MS);
  const lab = useLab({ name: LAB, containers: 1 });

  it('stand-in: installs from the signed repository, skips joining without TS_AUTHKEY, then joins with the exact tailscale up arguments once', async () => {
    const host = lab.hosts[0];
    assert.ok(host);
    const repo = standinRepo(lab);
    const args = ['run', 'playbooks/tailscale-install.yml', ...runArgs(lab, lab.inventoryYaml), '-e', `tailscale_repo_url=${repo}`, '-e', 'tailscale_hostname=spark-lab-01'];

    // 1. No key: installed, not joined, and it says so.
    const noKey = await runCli(args, { env: { TS_AUTHKEY: '' }, timeoutMs: RUN_MS });
    assert.equal(noKey.code, 0, noKey.stdout + noKey.stderr);
    assert.match(noKey.stdout, /TS_AUTHKEY is empty, so this node was not joined/);
    const keyring = await fetch(`${repo}/bookworm.noarmor.gpg`).then(async (r) => Buffer.from(await r.arrayBuffer()));
    const onHost = await labExec(lab, host.name, ['base64', '-w0', '/usr/share/keyrings/tailscale-archive-keyring.gpg']);
    assert.equal(onHost.stdout, keyring.toString('base64'), 'the keyring is the repository\'s signing key');
    const arch = (await mustExec(lab, host.name, ['dpkg', '--print-architecture'])).trim();
    assert.equal(
      await mustExec(lab, host.name, ['cat', '/etc/apt/sources.list.d/tailscale.list']),
      `# Tailscale packages (managed by sparkbook: playbooks/tailscale-install.yml)\ndeb [arch=${arch} signed-by=/usr/share/keyrings/tailscale-archive-keyring.gpg] ${repo} bookworm main\n`,
    );
    assert.match(await mustExec(lab, host.name, ['dpkg-query', '-W', '-f', '${Status} ${Version}', 'tailscale']), /^install ok installed 1\.82\.5$/);
    await mustExec(lab, host.name, ['test', '-f', '/usr/share/doc/tailscale/README.standin']);
    assert.equal((await mustExec(lab, host.name, ['systemctl', 'is-enabled', 'tailscaled'])).trim(), 'enabled');
    assert.equal((await mustExec(lab, host.name, ['systemctl', 'is-active', 'tailscaled'])).trim(), 'active');
    assert.doesNotMatch((await labExec(lab, host.name, ['cat', CALLS])).stdout, /^up/m, 'no join without a key');

    // 2. With a key: one `tailscale up`, the key only as a file that is gone afterwards.
    const key = `tskey-auth-k${randomBytes(8).toString('hex')}CNTRL-${randomBytes(16).toString('hex')}`;
    const join = await runCli(args, { env: { TS_AUTHKEY: key }, timeoutMs: RUN_MS });
    assert.equal(join.code, 0, join.stdout + join.stderr);
    assert.equal(recapOf(join.stdout, host.name).changed, 1, join.stdout);
    const calls = (await mustExec(lab, host.name, ['cat', CALLS])).split('\n').filter((l) => l.startsWith('up'));
    assert.equal(calls.length, 1, calls.join('\n'));
    assert.match(calls[0] ?? '', /^up --auth-key=file:\/run\/sparkbook-ts\.[A-Za-z0-9]{6} --hostname=spark-lab-01 --timeout=120s$/);
    assert.ok(!join.stdout.includes(key) && !join.stderr.includes(key));
    assert.equal((await labExec(lab, host.name, ['sh', '-c', 'ls /run/sparkbook-ts.* /dev/shm/sparkbook-ts.* 2>/dev/null'])).stdout, '', 'the key file is removed');
    assert.doesNotMatch(await mustExec(lab, host.name, ['tailscale', 'status', '--json']), /NeedsLogin/);

    // 3. Joined: a second run sends no key and calls `up` zero times.
    const again = await runCli(args, { env: { TS_AUTHKEY: key }, timeoutMs: RUN_MS });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(recapOf(again.stdout, host.name).changed, 0, again.stdout);
    const after = (await mustExec(lab, host.name, ['cat', CALLS])).split('\n').filter((l) => l.startsWith('up'));
    assert.equal(after.length, 1, 'no second tailscale up');
  });
});
