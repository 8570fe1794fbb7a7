// secure.yml on an arm64 VM (qemu-system-aarch64, TCG): the "test VM" operators asked for. Check
// mode leaves /etc as it was; the apply converges on a real aarch64 kernel (kernel WireGuard,
// arm64 packages); a second apply changes nothing.
import assert from 'node:assert/strict';
import { useLab } from '../support/lab.js';
import { etcSnapshot, snapshotDiff } from '../support/lab-hosts.js';
import { runArgs, standinRepo, varsFile } from '../support/lab-inputs.js';
import { recapOf } from '../support/output.js';
import { runCli } from '../support/run-cli.js';

const LAB = 'sbvs';
const RUN_MS = 20 * 60_000;

describe('secure.yml on an arm64 VM (e2e)', function () {
  this.timeout(RUN_MS);
  // bootMs: a fresh machine builds the arm64 image first.
  const lab = useLab({ name: LAB, containers: 0, vms: 1, bootMs: 30 * 60_000, teardownMs: 180_000 });
  let vars: string;
  const env = { TS_AUTHKEY: '' };

  before(() => {
    vars = varsFile(lab.scratch, 'vm-vars.yml', { tailscale_repo_url: standinRepo(lab), ssh_port: 2200 });
  });

  it('reports aarch64 facts for the VM', async () => {
    const r = await runCli(['facts', ...runArgs(lab, lab.inventoryYaml).filter((a) => a !== '--output' && a !== 'plain'), '--json'], { timeoutMs: RUN_MS });
    assert.equal(r.code, 0, r.stderr);
    const facts = JSON.parse(r.stdout) as Record<string, { arch: string; dpkgArch: string }>;
    const host = lab.hosts[0]!.name;
    assert.equal(facts[host]?.arch, 'aarch64');
    assert.equal(facts[host]?.dpkgArch, 'arm64');
  });

  it('--check exits 0 and leaves /etc byte-for-byte unchanged; apply converges; a second apply changes nothing', async () => {
    const host = lab.hosts[0]!.name;
    const before = await etcSnapshot(lab, host);
    const check = await runCli(['run', 'playbooks/secure.yml', ...runArgs(lab, lab.inventoryYaml), '-e', vars, '--check'], { env, timeoutMs: RUN_MS });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.ok(recapOf(check.stdout, host).changed > 5, 'a fresh VM has many pending changes');
    assert.deepEqual(snapshotDiff(before, await etcSnapshot(lab, host)), [], '/etc changed in check mode');

    const first = await runCli(['run', 'playbooks/secure.yml', ...runArgs(lab, lab.inventoryYaml), '-e', vars], { env, timeoutMs: RUN_MS });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(recapOf(first.stdout, host).failed, 0);

    // The SSH port moved: the next run reaches the VM on its new port (-e wins over the inventory).
    const second = await runCli(['run', 'playbooks/secure.yml', ...runArgs(lab, lab.inventoryYaml), '-e', vars, '-e', 'ansible_port=2200'], { env, timeoutMs: RUN_MS });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.equal(recapOf(second.stdout, host).changed, 0, second.stdout);
  });
});
