// The sshd_config module on recorded hosts (Ubuntu 24.04 socket activation, ssh.service, a
// pidfile-only host), and its apply: step order, validation refusals, rollback on failure.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyFacts } from '../../../runner/facts/facts.js';
import type { Endpoint, RunResult } from '../../../runner/connection/connection.js';
import type { ApplyContext } from '../../../runner/module.js';
import type { Script } from '../../../runner/shell/script.js';
import { applySshdPlan, sshd_config } from '../../../modules/sshd_config.js';
import type { SshdPlan } from '../../../modules/lib/sshd-plan.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/modules/sshd_config');
const read = (name: string): string => readFileSync(resolve(DIR, name), 'utf8');
const b64 = (t: string): string => Buffer.from(t).toString('base64');

interface Host {
  main: string;
  dropins: Record<string, string>;
  T: string;
  socket: boolean;
  generator: boolean;
  service: string | null;
  pidfile?: string;
  listen: number[];
  ufw: string[] | null;
}
interface Case { name: string; host: Host; params: Record<string, unknown>; expect: [string, string][]; init?: string; firstPorts?: number[] }

export function probeOutput(h: Host): string {
  const main = read(h.main);
  const init = [
    'sshd /usr/sbin/sshd',
    'systemctl 1',
    'systemd 1',
    'systemd-run 1',
    `socket-enabled ${h.socket ? 'enabled' : 'disabled'}`,
    `socket-active ${h.socket ? 'active' : 'inactive'}`,
    ...(h.service === null ? [] : [`service ${h.service}`]),
    ...(h.generator ? ['generator 1'] : []),
    ...(h.pidfile === undefined ? [] : [`pidfile ${h.pidfile}`]),
    ...h.listen.map((p) => `listen ${p}`),
  ];
  if (h.pidfile !== undefined) init.splice(1, 3, 'systemctl 0', 'systemd 0', 'systemd-run 0');
  const out = ['@section sshd.init', ...init, '@end'];
  out.push('@section sshd.main', 'exists 1', 'type file', 'mode 644', 'owner root', 'group root', `sha256 ${createHash('sha256').update(main).digest('hex')}`, `content ${b64(main)}`, '@end');
  Object.entries(h.dropins).forEach(([name, file], i) => out.push(`@section sshd.dropin.${i + 1}`, `name ${b64(name)}`, `content ${b64(read(file))}`, '@end'));
  out.push('@section sshd.T', read(h.T), '@end');
  if (h.ufw === null) out.push('@section ufw.installed', 'yes', '@end', '@section ufw.status', 'Status: inactive', '@end');
  else out.push('@section ufw.installed', 'yes', '@end', '@section ufw.status', 'Status: active', '@end', '@section ufw.added', ...h.ufw.map((r) => `ufw ${r}`), '@end');
  return out.join('\n');
}

const result = (stdout: string, exitCode = 0, stderr = ''): RunResult => ({ exitCode, signal: null, stdout, stderr, durationMs: 1, timedOut: false });
const facts = emptyFacts({ transport: 'ssh', address: '192.168.1.20', port: 22, user: 'nvidia' });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function plan(params: any, host: Host) {
  const observed = sshd_config.probe(params, facts).parse(result(probeOutput(host)));
  return sshd_config.plan(params, observed, facts, { expressions: new Map() });
}

function carried(planned: ReturnType<typeof plan>): SshdPlan {
  assert.ok(planned.private, 'the plan carries its private data to apply');
  return planned.private;
}

const CASES = JSON.parse(read('cases.json')) as Case[];

describe('sshd_config module: recorded cases', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const planned = plan(c.params, c.host);
      const changes = planned.changes;
      assert.deepEqual(changes.map((ch) => [ch.action, ch.target]), c.expect);
      assert.deepEqual(changes.filter((ch) => ch.script !== undefined), [], 'no change pretends to have a script: apply walks the plan');
      if (c.init !== undefined) {
        const p = carried(planned);
        assert.equal(p.init, c.init);
        assert.deepEqual([...p.first.ports], c.firstPorts);
      }
    });
  }

  it('writes the drop-in with only the new port in the final phase and both in the first', () => {
    const p = carried(plan({ port: 2222 }, CASES[0]!.host));
    assert.match(p.first.files[0]!.after, /^Port 22\nPort 2222$/m);
    assert.match(p.final!.files[0]!.after, /^Port 2222$/m);
    assert.doesNotMatch(p.final!.files[0]!.after, /^Port 22$/m);
  });

  it('keeps PasswordAuthentication as it is unless asked (NVIDIA Sync pairs with a password)', () => {
    const p = carried(plan({ port: 2222 }, CASES[0]!.host));
    assert.doesNotMatch(p.final!.files[0]!.after, /PasswordAuthentication/);
    assert.ok(!p.final!.files.some((f) => f.path.endsWith('50-cloud-init.conf')), 'later drop-ins are not touched');
  });

  it('comments out the Port and the managed setting above the Include, not inside Match', () => {
    const c = CASES[3]!;
    const p = carried(plan(c.params, c.host));
    const main = p.final!.files.find((f) => f.path === '/etc/ssh/sshd_config')!.after;
    assert.match(main, /^# disabled by sparkbook, see 01-sparkbook.conf: Port 22$/m);
    assert.match(main, /^# disabled by sparkbook, see 01-sparkbook.conf: PasswordAuthentication yes$/m);
    assert.match(main, /^\tPasswordAuthentication no$/m);
  });

  it('refuses a ListenAddress that carries its own port', () => {
    const host = { ...CASES[1]!.host, dropins: { '10-listen.conf': 'listen-with-port.conf' } };
    assert.throws(() => plan({ port: 2222 }, host), /ListenAddress 0\.0\.0\.0:22 names a port/);
  });
});

/** A scripted ApplyContext: records every script and reconnect; fails where told. */
function fakeContext(failWhen: (script: string) => RunResult | null, reconnectFails = false) {
  const log: string[] = [];
  const calls: string[] = [];
  let endpoint: Endpoint = { transport: 'ssh', address: '192.168.1.20', port: 22, user: 'nvidia' };
  const ctx: ApplyContext = {
    async run(script: Script) {
      const text = script.raw();
      calls.push(text);
      return failWhen(text) ?? result(text.includes('@section sshd.t.') ? validOutput(text) : '');
    },
    async reconnect(target) {
      calls.push(`reconnect ${target.port}`);
      if (reconnectFails) throw new Error(`connection refused on port ${target.port}`);
      endpoint = { ...endpoint, port: target.port };
      return endpoint;
    },
    get endpoint() {
      return endpoint;
    },
    log: (line) => log.push(line),
  };
  return { ctx, calls, log };
}

/** What the staged validation prints when every phase is fine: sshd -t ok, sshd -T with the phase's ports. */
function validOutput(script: string): string {
  const out = ['@section sshd.groups', 'nvidia', 'sudo', '@end'];
  for (const m of script.matchAll(/@section sshd\.t\.(\d+)/g)) out.push(`@section sshd.t.${m[1]}`, '@ok', '@end');
  const byPhase = new Map<string, string[]>();
  for (const m of script.matchAll(/@section sshd\.T\.(\d+)\.(\d+)/g)) byPhase.set(m[1]!, [...(byPhase.get(m[1]!) ?? []), m[2]!]);
  for (const [n, ports] of byPhase) {
    for (const port of ports) out.push(`@section sshd.T.${n}.${port}`, ...ports.map((p) => `port ${p}`), 'permitrootlogin prohibit-password', 'pubkeyauthentication yes', '@end');
  }
  return out.join('\n');
}

function step(calls: string[], needle: string): number {
  return calls.findIndex((c) => c.includes(needle));
}

describe('sshd_config apply: a port move', () => {
  const movePlan = (): SshdPlan => carried(plan({ port: 2222 }, CASES[0]!.host));

  it('opens ufw, validates, arms, listens on both, proves, finalizes, proves, disarms, then closes the old port', async () => {
    const { ctx, calls } = fakeContext(() => null);
    await applySshdPlan(movePlan(), ctx, 'abcd1234');
    const order = [
      step(calls, 'ufw allow 2222/tcp'),
      step(calls, '-T -f "$s/sshd_config"'),
      step(calls, 'systemd-run'),
      step(calls, 'systemctl daemon-reload'),
      calls.indexOf('reconnect 2222'),
      calls.lastIndexOf('reconnect 2222'),
      step(calls, 'mv -- "$d/armed" "$d/disarmed"'),
      step(calls, 'ufw delete allow 22/tcp'),
    ];
    assert.ok(order.every((i) => i >= 0), `every step ran: ${order.join(',')}`);
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'in this order');
    assert.equal(calls.filter((c) => c === 'reconnect 2222').length, 2, 'two fresh connections on the new port');
  });

  it('refuses a candidate that sshd -t rejects and touches nothing live', async () => {
    const { ctx, calls } = fakeContext((s) => (s.includes('@section sshd.t.') ? result('@section sshd.t.0\n/etc/ssh/sparkbook-staged/sshd_config line 3: Bad configuration option: Bogus\n@error 255\n@end') : null));
    await assert.rejects(applySshdPlan(movePlan(), ctx, 'id1'), /nothing was changed.*sshd -t rejects the transition config.*Bad configuration option: Bogus/s);
    assert.equal(step(calls, 'systemd-run'), -1, 'no rollback armed');
    assert.equal(step(calls, 'daemon-reload'), -1, 'nothing activated');
  });

  it('refuses a candidate that would lock the operator out (AllowUsers without them)', async () => {
    const { ctx, calls } = fakeContext((s) => {
      if (!s.includes('@section sshd.t.')) return null;
      return result(['@section sshd.groups', 'nvidia', '@end', '@section sshd.t.0', '@ok', '@end', '@section sshd.t.1', '@ok', '@end',
        '@section sshd.T.0.22', 'port 22', 'port 2222', 'allowusers admin', '@end', '@section sshd.T.0.2222', 'port 22', 'port 2222', 'allowusers admin', '@end',
        '@section sshd.T.1.2222', 'port 2222', 'allowusers admin', '@end'].join('\n'));
    });
    await assert.rejects(applySshdPlan(movePlan(), ctx, 'id2'), /AllowUsers does not include nvidia/);
    assert.equal(step(calls, 'systemd-run'), -1);
  });

  it('rolls back and fails the host when the fresh connection to the new port fails', async () => {
    const { ctx, calls } = fakeContext(() => null, true);
    await assert.rejects(applySshdPlan(movePlan(), ctx, 'id3'), /connection refused on port 2222; restored the previous config/);
    assert.ok(step(calls, 'if [ -f "$d/rollback.sh" ]') > step(calls, 'systemd-run'), 'rolled back after arming');
    assert.equal(step(calls, 'ufw delete'), -1, 'the old port rule stays');
    assert.equal(step(calls, '"$d/disarmed"'), -1, 'never confirmed');
  });

  it('fails and restores when the rollback already fired before confirmation', async () => {
    const { ctx, calls } = fakeContext((s) => (s.includes('"$d/disarmed"') ? result('', 3, 'sparkbook: the rollback already fired') : null));
    await assert.rejects(applySshdPlan(movePlan(), ctx, 'id4'), /disarming the rollback failed \(exit 3\): sparkbook: the rollback already fired/);
    assert.equal(step(calls, 'ufw delete'), -1);
  });
});
