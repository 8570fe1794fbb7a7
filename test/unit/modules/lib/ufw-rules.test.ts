// ufw rules in the canonical `ufw show added` form, and the parsers of ufw's outputs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allowsTcpPortFromAnywhere, canonicalRule, normalizeUfwAddress, parseShowAdded, ruleArgs } from '../../../../modules/lib/ufw-rules.js';
import { parseUfwProbe } from '../../../../modules/lib/ufw-observe.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../test/fixtures/modules/ufw');

describe('ufw rules: canonical form', () => {
  const cases: [Parameters<typeof canonicalRule>[0], string][] = [
    [{ rule: 'allow', port: 22, proto: 'tcp' }, 'allow 22/tcp'],
    [{ rule: 'allow', port: 22 }, 'allow 22'],
    [{ rule: 'allow', port: 51820, proto: 'udp', comment: 'wg' }, 'allow 51820/udp'],
    [{ rule: 'allow', from: '192.168.1.0/24' }, 'allow from 192.168.1.0/24'],
    [{ rule: 'allow', from: '192.168.1.77/24' }, 'allow from 192.168.1.0/24'],
    [{ rule: 'deny', from: '10.0.0.5/32' }, 'deny from 10.0.0.5'],
    [{ rule: 'allow', interface: 'tailscale0', port: 22, proto: 'tcp' }, 'allow in on tailscale0 to any port 22 proto tcp'],
    [{ rule: 'allow', interface: 'tailscale0' }, 'allow in on tailscale0'],
    [{ rule: 'allow', from: '192.168.1.0/24', port: 22, proto: 'tcp' }, 'allow from 192.168.1.0/24 to any port 22 proto tcp'],
    [{ rule: 'deny', direction: 'out', port: 25, proto: 'tcp' }, 'deny out 25/tcp'],
    [{ rule: 'deny', direction: 'out' }, 'deny out to any'],
    [{ rule: 'allow', direction: 'out', interface: 'wg0' }, 'allow out on wg0'],
    [{ rule: 'limit', app: 'OpenSSH' }, 'limit OpenSSH'],
    [{ rule: 'allow', to: 'fd7a:115c:a1e0::1/128', port: 22, proto: 'tcp' }, 'allow to fd7a:115c:a1e0::1 port 22 proto tcp'],
    [{ rule: 'allow', port: '6000:6007', proto: 'tcp' }, 'allow 6000:6007/tcp'],
  ];
  for (const [spec, text] of cases) {
    it(`${JSON.stringify(spec)} reads as "${text}"`, () => {
      assert.equal(canonicalRule(spec).identity, text);
    });
  }

  it('renders the argv of an add with its comment and of a delete without', () => {
    const r = canonicalRule({ rule: 'allow', interface: 'tailscale0', port: 22, proto: 'tcp', comment: 'ssh over tailscale' });
    assert.deepEqual(ruleArgs(r), ['allow', 'in', 'on', 'tailscale0', 'to', 'any', 'port', '22', 'proto', 'tcp', 'comment', 'ssh over tailscale']);
    assert.deepEqual(ruleArgs(r, true), ['delete', 'allow', 'in', 'on', 'tailscale0', 'to', 'any', 'port', '22', 'proto', 'tcp']);
  });

  it('refuses a port range without a protocol, host names and quotes in comments', () => {
    assert.throws(() => canonicalRule({ rule: 'allow', port: '6000:6007' }), /needs proto/);
    assert.throws(() => canonicalRule({ rule: 'allow', from: 'example.com' }), /not an address/);
    assert.throws(() => canonicalRule({ rule: 'allow', port: 22, comment: "it's" }), /quote/);
    assert.throws(() => canonicalRule({ rule: 'allow', port: 70000 }), /out of/);
  });

  it('normalizes any and the all-networks CIDRs to any', () => {
    for (const v of [undefined, 'any', 'ANY', '0.0.0.0/0', '::/0']) assert.equal(normalizeUfwAddress(v), 'any');
  });

  it('knows which rules keep a TCP port open from anywhere', () => {
    assert.ok(allowsTcpPortFromAnywhere('allow 2222/tcp', 2222));
    assert.ok(allowsTcpPortFromAnywhere('limit 22', 22));
    assert.ok(allowsTcpPortFromAnywhere('allow OpenSSH', 22));
    assert.ok(!allowsTcpPortFromAnywhere('allow OpenSSH', 2222));
    assert.ok(!allowsTcpPortFromAnywhere('allow 2222/udp', 2222));
    assert.ok(!allowsTcpPortFromAnywhere('allow in on tailscale0 to any port 22 proto tcp', 22));
  });
});

describe('ufw outputs: parsers', () => {
  it('reads `ufw show added` with comments and route rules', () => {
    const text = `${readFileSync(resolve(DIR, 'show-added-active.txt'), 'utf8')}ufw route allow in on wg0 out on enP7s7\n`;
    assert.deepEqual(parseShowAdded(text), [
      { identity: 'allow 22/tcp', comment: 'sparkbook: the SSH port sparkbook is connected on' },
      { identity: 'allow from 192.168.1.0/24', comment: null },
      { identity: 'allow in on tailscale0 to any port 22 proto tcp', comment: null },
      { identity: 'allow 51820/udp', comment: 'wireguard' },
      { identity: 'route allow in on wg0 out on enP7s7', comment: null },
    ]);
  });

  it('reads no rules from `(None)`', () => {
    assert.deepEqual(parseShowAdded(readFileSync(resolve(DIR, 'show-added-none.txt'), 'utf8')), []);
  });

  it('reads active, boot, policies and log level from status and config files', () => {
    const b64 = Buffer.from(readFileSync(resolve(DIR, 'default-ufw-ipv6-no'))).toString('base64');
    const out = [
      '@section ufw.installed', 'yes', '@end',
      '@section ufw.status', readFileSync(resolve(DIR, 'status-verbose-active.txt'), 'utf8'), '@end',
      '@section ufw.added', '@end',
      '@section ufw.conf', 'ENABLED=yes', 'LOGLEVEL=medium', '@end',
      '@section ufw.defaults', 'exists 1', 'type file', `content ${b64}`, '@end',
    ].join('\n');
    const o = parseUfwProbe(out);
    assert.equal(o.active, true);
    assert.equal(o.enabledAtBoot, true);
    assert.equal(o.logging, 'medium');
    assert.equal(o.ipv6, false);
    assert.deepEqual(o.defaults, { incoming: 'deny', outgoing: 'allow', routed: 'deny' });
  });

  it('reads an empty or garbled output as not installed, without throwing', () => {
    assert.equal(parseUfwProbe('').installed, false);
    assert.equal(parseUfwProbe('@section ufw.installed\nmaybe\n@end').installed, false);
  });
});
