// Plan tests of the ufw module on recorded host states (test/fixtures/modules/ufw/cases.json),
// and its lockout guard for the connected SSH port.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyFacts, type Facts } from '../../../runner/facts/facts.js';
import { ufw } from '../../../modules/ufw.js';
import { compileSchema } from '../../../runner/schema/validate.js';
import type { RunResult } from '../../../runner/connection/connection.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/modules/ufw');
const read = (name: string): string => readFileSync(resolve(DIR, name), 'utf8');

interface HostFiles { status: string; added: string; conf: string; defaults: string }
interface Case {
  name: string;
  host: HostFiles;
  connection: { transport: 'ssh' | 'local'; port: number };
  params: Record<string, unknown>;
  expect: [string, string][];
}

/** What the probe script prints on a host with these files and command outputs. */
export function probeOutput(host: HostFiles): string {
  const defaults = read(host.defaults);
  const stat = [
    'exists 1',
    'type file',
    'mode 644',
    'uid 0',
    'owner root',
    'gid 0',
    'group root',
    `size ${Buffer.byteLength(defaults)}`,
    `sha256 ${createHash('sha256').update(defaults).digest('hex')}`,
    `content ${Buffer.from(defaults).toString('base64')}`,
  ].join('\n');
  return [
    '@section ufw.installed', 'yes', '@end',
    '@section ufw.status', read(host.status), '@end',
    '@section ufw.added', read(host.added), '@end',
    '@section ufw.conf', read(host.conf), '@end',
    '@section ufw.defaults', stat, '@end',
  ].join('\n');
}

function result(stdout: string): RunResult {
  return { exitCode: 0, signal: null, stdout, stderr: '', durationMs: 1, timedOut: false };
}

function facts(transport: 'ssh' | 'local', port: number): Facts {
  return emptyFacts({ transport, address: '192.168.1.20', port, user: 'nvidia' });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyParams = any;

function planFor(host: HostFiles, params: AnyParams, f: Facts) {
  const probe = ufw.probe(params, f);
  const observed = probe.parse(result(probeOutput(host)));
  return ufw.plan(params, observed, f, { expressions: new Map() });
}

describe('ufw module: recorded cases', () => {
  const cases = JSON.parse(read('cases.json')) as Case[];
  for (const c of cases) {
    it(c.name, () => {
      const changes = planFor(c.host, c.params, facts(c.connection.transport, c.connection.port));
      assert.deepEqual(changes.map((ch) => [ch.action, ch.target]), c.expect);
    });
  }
});

describe('ufw module: lockout guard', () => {
  const fresh: HostFiles = { status: 'status-verbose-inactive.txt', added: 'show-added-none.txt', conf: 'ufw.conf-disabled', defaults: 'default-ufw-ipv6-yes' };
  for (const port of [22, 2222]) {
    it(`enabling ufw while connected on port ${port} allows ${port}/tcp before the enable`, () => {
      const changes = planFor(fresh, { state: 'enabled', default_incoming: 'deny' }, facts('ssh', port));
      const guard = changes.findIndex((c) => c.target === `ufw allow ${port}/tcp`);
      const enable = changes.findIndex((c) => c.target === 'ufw enable');
      assert.ok(guard >= 0, 'guard rule planned');
      assert.ok(enable > guard, 'enable comes after the guard');
      assert.equal(enable, changes.length - 1, 'enable is the last change');
      assert.equal(String(changes[guard]?.script), `ufw allow ${port}/tcp comment 'sparkbook: the SSH port sparkbook is connected on'`);
    });
  }

  it('an existing rule for the connected port satisfies the guard', () => {
    const host: HostFiles = { ...fresh, added: 'show-added-active.txt' };
    const changes = planFor(host, { state: 'enabled' }, facts('ssh', 22));
    assert.deepEqual(changes.map((c) => c.target), ['ufw enable']);
  });

  it('an allow for the port wanted by the same task satisfies the guard', () => {
    const changes = planFor(fresh, { state: 'enabled', rules: [{ rule: 'limit', port: 2222, proto: 'tcp' }] }, facts('ssh', 2222));
    assert.deepEqual(changes.map((c) => c.target), ['ufw limit 2222/tcp', 'ufw enable']);
  });

  it('a missing ufw fails the task and says how to install it', () => {
    const f = facts('ssh', 22);
    const observed = ufw.probe({}, f).parse(result('@section ufw.installed\nno\n@end\n'));
    assert.throws(() => ufw.plan({}, observed, f, { expressions: new Map() }), /ufw is not installed.*apt/);
  });

  it('a top-level port without rule is refused by the schema, before any plan', () => {
    const validate = compileSchema(ufw.schema);
    assert.equal(validate({ port: 22 }), false);
    assert.equal(validate({ rule: 'allow', port: 22 }), true);
  });
});
