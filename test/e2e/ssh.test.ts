// sparkbook's SSH connections end to end on a lab of its own: one connection per host for a whole run, host
// key policies against copies of known_hosts, ProxyJump from an ssh config file, a wrong become password,
// and hosts that refuse or never answer.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acceptedLogins, labExec, sshdLog, type LabHost } from '../lab/api.js';
import { useLab } from '../support/lab.js';
import { resetFleetWorkload, settledCount, watchProcesses } from '../support/lab-hosts.js';
import { FLEET_CHANGING_TASKS, FLEET_PLAYBOOK, FLEET_TASKS, knownHostsLinesFor, sha256File, withChangedKey, withoutHost } from '../support/lab-inputs.js';
import { readReport, recapOf, recapRows } from '../support/output.js';
import { runCli } from '../support/run-cli.js';

const LAB = 'sbss';

describe('SSH connections on the lab (e2e)', function () {
  this.timeout(90_000);
  const lab = useLab({ name: LAB, containers: 4, scratch: 'test' });
  let root: LabHost; // logs in as root, ssh.service
  let socket: LabHost; // logs in as spark (sudo with a password), ssh.socket
  let altPort: LabHost; // spark, sshd on 2222 behind ufw
  let other: LabHost; // a second root host

  before(() => {
    const byVariant = (v: string): LabHost[] => lab.hosts.filter((h) => h.variant === v);
    [root, other] = byVariant('service') as [LabHost, LabHost];
    socket = byVariant('socket')[0]!;
    altPort = byVariant('ufw-altport')[0]!;
    assert.ok(root && other && socket && altPort, 'the lab has every variant');
  });

  const fingerprint = async (h: LabHost): Promise<string> => {
    const r = await labExec(lab, h.name, ['ssh-keygen', '-lf', '/etc/ssh/ssh_host_ed25519_key.pub']);
    const fp = /SHA256:\S+/.exec(r.stdout)?.[0];
    assert.ok(fp, r.stdout + r.stderr);
    return fp;
  };

  it('runs a whole multi-task playbook over exactly one SSH connection per host', async () => {
    await resetFleetWorkload(lab);
    const before = await Promise.all(lab.hosts.map(async (h) => acceptedLogins(await sshdLog(lab, h.name))));
    const r = await runCli(['run', FLEET_PLAYBOOK, '-i', lab.inventoryYaml, '--output', 'plain', '--retry-file', join(lab.scratch, 'retry')]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    for (const [i, h] of lab.hosts.entries()) {
      const row = recapOf(r.stdout, h.name);
      assert.equal(row.changed, FLEET_CHANGING_TASKS, `${h.name} ran its tasks`);
      assert.equal(row.ok + row.changed, FLEET_TASKS);
      const after = await settledCount(async () => acceptedLogins(await sshdLog(lab, h.name)), before[i]! + 1);
      assert.equal(after - before[i]!, 1, `${h.name}: SSH logins for a run of ${FLEET_TASKS} tasks`);
    }
  });

  it('fails a host with an unknown key under strict, naming its fingerprint, and records it under accept-new', async () => {
    const kh = join(lab.scratch, 'known_hosts');
    writeFileSync(kh, withoutHost(readFileSync(lab.knownHosts, 'utf8'), socket.address));
    const fp = await fingerprint(socket);

    const strict = await runCli(['facts', '-i', lab.inventoryYaml, '--known-hosts', kh]);
    assert.equal(strict.code, 4, strict.stderr + strict.stdout);
    assert.match(strict.stdout, new RegExp(`^${socket.name}\\n  unreachable: host key for ${socket.name} \\(${socket.address}:${socket.port}\\) is not known: ${fp.replace(/[+/]/g, '\\$&')}`, 'm'));
    for (const h of lab.hosts.filter((x) => x !== socket)) assert.match(strict.stdout, new RegExp(`^${h.name}\\n  arch: `, 'm'), `${h.name} is unaffected`);
    assert.deepEqual(knownHostsLinesFor(readFileSync(kh, 'utf8'), socket.address), [], 'strict records nothing');

    const acceptNew = await runCli(['facts', '-i', lab.inventoryYaml, '--known-hosts', kh, '--host-key-policy', 'accept-new']);
    assert.equal(acceptNew.code, 0, acceptNew.stderr + acceptNew.stdout);
    assert.equal(knownHostsLinesFor(readFileSync(kh, 'utf8'), socket.address).length, 1, 'accept-new records the key it saw');

    const again = await runCli(['facts', '-i', lab.inventoryYaml, '--known-hosts', kh, '--limit', socket.name]);
    assert.equal(again.code, 0, `the recorded key is trusted under strict: ${again.stdout}`);
  });

  it('fails a host whose key changed under strict and accept-new, and leaves known_hosts byte for byte', async () => {
    const kh = join(lab.scratch, 'known_hosts');
    writeFileSync(kh, withChangedKey(readFileSync(lab.knownHosts, 'utf8'), socket.address, root.address));
    const hash = sha256File(kh);
    const presented = await fingerprint(socket);
    for (const policy of ['strict', 'accept-new']) {
      const r = await runCli(['run', FLEET_PLAYBOOK, '-i', lab.inventoryYaml, '--known-hosts', kh, '--host-key-policy', policy, '--check', '--output', 'plain', '--retry-file', join(lab.scratch, 'retry')]);
      assert.equal(r.code, 4, `${policy}: ${r.stderr}${r.stdout}`);
      assert.match(r.stdout, new RegExp(`^unreachable ${socket.name} \\| .*host key for ${socket.name} .* has CHANGED: .*presented ${presented.replace(/[+/]/g, '\\$&')}`, 'm'), policy);
      for (const h of lab.hosts.filter((x) => x !== socket)) {
        const row = recapOf(r.stdout, h.name);
        assert.equal(row.failed + row.unreachable, 0, `${policy}: ${h.name} is unaffected`);
      }
      assert.equal(readFileSync(join(lab.scratch, 'retry'), 'utf8').trim(), socket.name);
      assert.equal(sha256File(kh), hash, `${policy}: known_hosts is unchanged`);
    }
  });

  it('reaches a host through a ProxyJump alias of an ssh config file (-F), when the host refuses direct connections', async () => {
    const target = other;
    const gateway = target.address.replace(/\.\d+$/, '.1');
    const config = join(lab.scratch, 'ssh_config');
    writeFileSync(
      config,
      [
        'Host jumpbox',
        `  HostName ${root.address}`,
        '  User root',
        `  Port ${root.port}`,
        `  IdentityFile ${lab.privateKey}`,
        'Host behind',
        `  HostName ${target.address}`,
        '  User root',
        `  Port ${target.port}`,
        `  IdentityFile ${lab.privateKey}`,
        '  ProxyJump jumpbox',
        '',
      ].join('\n'),
    );
    const inventory = join(lab.scratch, 'inventory.yml');
    writeFileSync(inventory, 'all:\n  children:\n    lab:\n      hosts:\n        behind: {}\n');
    const block = ['INPUT', '-s', gateway, '-p', 'tcp', '--dport', String(target.port), '-j', 'REJECT'];
    assert.equal((await labExec(lab, target.name, ['iptables', '-I', ...block])).exitCode, 0);
    try {
      const direct = await runCli(['facts', '-i', lab.inventoryYaml, '--limit', target.name, '--timeout', '5']);
      assert.equal(direct.code, 4, `the target must refuse this machine: ${direct.stdout}`);

      const before = await sshdLog(lab, target.name);
      const r = await runCli(['run', FLEET_PLAYBOOK, '-i', inventory, '-F', config, '--known-hosts', lab.knownHosts, '--check', '--output', 'plain', '--retry-file', join(lab.scratch, 'retry')]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.deepEqual(recapRows(r.stdout).map((x) => [x.host, x.failed + x.unreachable]), [['behind', 0]]);
      assert.equal(recapOf(r.stdout, 'behind').ok + recapOf(r.stdout, 'behind').changed, FLEET_TASKS);
      await settledCount(async () => acceptedLogins(await sshdLog(lab, target.name)), acceptedLogins(before) + 1, 100);
      const logins = (await sshdLog(lab, target.name)).slice(before.length).filter((l) => l.startsWith('Accepted publickey'));
      assert.equal(logins.length, 1, logins.join('\n'));
      assert.match(logins[0]!, new RegExp(`^Accepted publickey for root from ${root.address.replace(/\./g, '\\.')} `), 'the login came from the jump host');
    } finally {
      await labExec(lab, target.name, ['iptables', '-D', ...block]);
    }
  });

  it('fails only the host whose become password is wrong, says so, and shows the password nowhere', async () => {
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const inventory = join(lab.scratch, 'inventory.ini');
    const ini = readFileSync(lab.inventoryIni, 'utf8');
    const edited = ini.replace(new RegExp(`^(${socket.name} .*ansible_become_password=)\\S+`, 'm'), `$1${wrong}`);
    assert.notEqual(edited, ini, 'the inventory names a become password for the host');
    writeFileSync(inventory, edited);
    const report = join(lab.scratch, 'report.json');
    const junit = join(lab.scratch, 'junit.xml');

    const watch = watchProcesses(wrong);
    const r = await runCli(['run', FLEET_PLAYBOOK, '-i', inventory, '--output', 'plain', '--report', report, '--junit', junit, '--retry-file', join(lab.scratch, 'retry')]);
    const seen = watch.stop();
    assert.equal(r.code, 4, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`^\\S+\\s+${socket.name} \\| .*become password for root on ${socket.name} was refused`, 'm'));
    const row = recapOf(r.stdout, socket.name);
    assert.equal(row.failed + row.unreachable, 1);
    assert.equal(row.ok + row.changed, 0);
    for (const h of lab.hosts.filter((x) => x !== socket)) {
      const o = recapOf(r.stdout, h.name);
      assert.equal(o.failed + o.unreachable, 0, `${h.name} is unaffected`);
      assert.equal(o.ok + o.changed, FLEET_TASKS, `${h.name} finished`);
    }
    assert.equal(readFileSync(join(lab.scratch, 'retry'), 'utf8').trim(), socket.name);
    const reason = readReport(report).results.find((x) => x.host === socket.name)?.reason ?? '';
    assert.match(reason, /was refused/);

    assert.ok(seen.samples >= 10, `sampled the process list ${seen.samples} times`);
    assert.deepEqual(seen.hits, [], 'the password is in no process argv');
    for (const [what, text] of [['stdout', r.stdout], ['stderr', r.stderr], ['report', readFileSync(report, 'utf8')], ['junit', readFileSync(junit, 'utf8')]] as const) {
      assert.ok(!text.includes(wrong), `the wrong password is in ${what}`);
      assert.ok(!text.includes('spark-pass'), `the right password of the other hosts is in ${what}`);
    }
  });

  it('reports a host whose sshd is stopped, and one that never answers, as unreachable within the timeout while the others finish', async () => {
    await resetFleetWorkload(lab);
    const drop = ['INPUT', '-p', 'tcp', '--dport', String(altPort.port), '-j', 'DROP'];
    assert.equal((await labExec(lab, socket.name, ['systemctl', 'stop', 'ssh.socket', 'ssh.service'])).exitCode, 0);
    assert.equal((await labExec(lab, altPort.name, ['iptables', '-I', ...drop])).exitCode, 0);
    try {
      const t0 = Date.now();
      const r = await runCli(['run', FLEET_PLAYBOOK, '-i', lab.inventoryYaml, '--timeout', '3', '--output', 'plain', '--retry-file', join(lab.scratch, 'retry')]);
      const elapsed = Date.now() - t0;
      assert.equal(r.code, 4, r.stderr + r.stdout);
      assert.ok(elapsed < 20_000, `the run took ${elapsed} ms with a 3 s timeout`);
      assert.match(r.stdout, new RegExp(`^unreachable ${socket.name} \\| .*: cannot reach ${socket.name} \\(${socket.address}:${socket.port}\\)`, 'm'));
      assert.match(r.stdout, new RegExp(`^unreachable ${altPort.name} \\| .*: ${altPort.name} \\(${altPort.address}:${altPort.port}\\) did not answer within 3000 ms`, 'm'));
      for (const h of [socket, altPort]) assert.equal(recapOf(r.stdout, h.name).unreachable, 1, h.name);
      for (const h of [root, other]) {
        const row = recapOf(r.stdout, h.name);
        assert.deepEqual([row.changed, row.ok + row.changed, row.failed + row.unreachable], [FLEET_CHANGING_TASKS, FLEET_TASKS, 0], `${h.name} finished its work`);
      }
      assert.deepEqual(readFileSync(join(lab.scratch, 'retry'), 'utf8').trim().split('\n').sort(), [socket.name, altPort.name].sort());
    } finally {
      await labExec(lab, altPort.name, ['iptables', '-D', ...drop]);
      await labExec(lab, socket.name, ['systemctl', 'start', 'ssh.socket']);
    }
  });
});
