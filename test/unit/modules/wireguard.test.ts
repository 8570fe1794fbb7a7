// Plan tests of the wireguard module on recorded host states, and its key-locality rules.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyFacts, type Facts } from '../../../runner/facts/facts.js';
import type { RunResult } from '../../../runner/connection/connection.js';
import { wireguard } from '../../../modules/wireguard.js';
import { watchFacts } from './fixtures.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/modules/wireguard');
const read = (name: string): string => readFileSync(resolve(DIR, name), 'utf8');
const SERVER_PUB = 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=';

interface Host { dir: string | null; key: string | null; config: string | null; unitEnabled: string; unitActive: string }
interface Case { name: string; params?: Record<string, unknown>; host: Host; expect: [string, string][] }

function stat(type: 'file' | 'directory', mode: string, content?: string): string[] {
  const lines = ['exists 1', `type ${type}`, `mode ${mode}`, 'uid 0', 'owner root', 'gid 0', 'group root'];
  if (content !== undefined) {
    lines.push(`sha256 ${createHash('sha256').update(content).digest('hex')}`, `content ${Buffer.from(content).toString('base64')}`);
  }
  return lines;
}

function probeOutput(h: Host): string {
  const state = ['wg 1', 'wg-quick 1', 'systemctl 1', h.key === null ? 'key 0' : `key 1\nkeymode ${h.key}\nkeyowner root\npubkey ${SERVER_PUB}`, `enabled ${h.unitEnabled}`, `active ${h.unitActive}`, 'link 0'];
  return [
    '@section wg.state', ...state, '@end',
    '@section wg.dir', ...(h.dir === null ? ['exists 0'] : stat('directory', h.dir)), '@end',
    '@section wg.config', ...(h.config === null ? ['exists 0'] : stat('file', '600', read(h.config))), '@end',
  ].join('\n');
}

const result = (stdout: string): RunResult => ({ exitCode: 0, signal: null, stdout, stderr: '', durationMs: 1, timedOut: false });

function facts(): Facts {
  return { ...emptyFacts({ transport: 'ssh', address: '192.168.1.20', port: 22, user: 'nvidia' }), defaultRoute: { interface: 'enP7s7', gateway: '192.168.1.1', cidr: '192.168.1.0/24', address: '192.168.1.20' } };
}

const BASE = { address: '10.8.0.1/24', peers: [{ name: 'laptop', public_key: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=', allowed_ips: ['10.8.0.2/32'] }] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function plan(params: any, host: Host, base = facts()) {
  // Every plan here also proves the module declares the fact groups it reads.
  const watched = watchFacts(wireguard, base);
  const f = watched.facts;
  const observed = wireguard.probe(params, f).parse(result(probeOutput(host)));
  try {
    return { observed, changes: wireguard.plan(params, observed, f, { expressions: new Map() }) };
  } finally {
    watched.check();
  }
}

describe('wireguard module: recorded cases', () => {
  for (const c of JSON.parse(read('cases.json')) as Case[]) {
    it(c.name, () => {
      const { changes } = plan({ ...BASE, ...c.params }, c.host);
      assert.deepEqual(changes.map((ch) => [ch.action, ch.target]), c.expect);
    });
  }
});

describe('wireguard module: key locality', () => {
  it('generates the key on the host with umask 077 and never prints it', () => {
    const { changes } = plan(BASE, { dir: '0700', key: null, config: 'wg0.conf', unitEnabled: 'enabled', unitActive: 'active' });
    const key = changes.find((c) => c.target === '/etc/wireguard/wg0.key');
    const text = String(key?.script);
    assert.match(text, /umask 077/);
    assert.match(text, /wg genkey > "\$t"/);
    assert.doesNotMatch(text, /\bcat\b|\btee\b|showconf|wg show|wg pubkey/);
    assert.equal(text.split('wg genkey').length, 2, 'one wg genkey, redirected into the temp file');
  });

  it('probes the key only through wg pubkey and stat, never wg showconf or a dump', () => {
    const script = String(wireguard.probe(BASE, facts()).script);
    assert.match(script, /wg pubkey < "\$k"/);
    assert.doesNotMatch(script, /showconf|dump|cat "\$k"|base64 -w0 < "\$k"|sha256sum < "\$k"/);
  });

  it('names the NAT interface from facts and fails without a default route', () => {
    const { changes } = plan(BASE, { dir: '0700', key: '600', config: null, unitEnabled: 'enabled', unitActive: 'active' });
    const conf = changes.find((c) => c.target === '/etc/wireguard/wg0.conf');
    assert.match(String(conf?.diff?.after), /-o enP7s7 -j MASQUERADE/);
    const noRoute = { ...facts(), defaultRoute: null };
    assert.throws(() => plan(BASE, { dir: null, key: null, config: null, unitEnabled: 'disabled', unitActive: 'inactive' }, noRoute), /default-route interface/);
  });

  it('reports the server public key (read via wg pubkey) in its message', () => {
    const { observed } = plan(BASE, { dir: '0700', key: '600', config: 'wg0.conf', unitEnabled: 'enabled', unitActive: 'active' });
    assert.equal(wireguard.message?.(BASE, observed, { expressions: new Map() }), `wg0 public key: ${SERVER_PUB}`);
  });

  it('plans on a host without wireguard-tools (check mode before apt), and its key script says to install them', () => {
    const f = facts();
    const observed = wireguard.probe(BASE, f).parse(result('@section wg.state\nwg 0\nwg-quick 0\nsystemctl 1\nkey 0\n@end'));
    const changes = wireguard.plan(BASE, observed, f, { expressions: new Map() });
    const key = changes.find((c) => c.target === '/etc/wireguard/wg0.key');
    assert.match(String(key?.script), /install it first \(apt: \{ name: wireguard-tools \}\)/);
  });
});
