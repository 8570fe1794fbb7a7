// Tests of the interface/address parsers (`ip -j addr`, `ip -o addr` + `ip -o link`) and the global-address rule.
import assert from 'node:assert/strict';
import { isGlobal, isUla, parseIpAddrJson, parseIpAddrText } from '../../../../../runner/facts/parse/ip-addr.js';
import { extraText, parserCases } from '../fixtures.js';

describe('ip addr parsers', () => {
  for (const c of parserCases('ip-addr')) {
    it(`parses interfaces, flags and addresses: ${c.name}`, () => {
      const parsed = c.name.startsWith('json') ? parseIpAddrJson(c.output) : parseIpAddrText(c.output, extraText(c, 'link'));
      assert.deepEqual(parsed, c.expected);
    });
  }

  it('returns null, not a throw, for text that is not ip -j JSON', () => {
    assert.equal(parseIpAddrJson('Option "-j" is unknown'), null);
    assert.equal(parseIpAddrJson('{"ifname":"lo"}'), null);
  });

  it('treats fc00::/7 as unique local and nothing else', () => {
    assert.equal(isUla('fd7a:115c:a1e0::1'), true);
    assert.equal(isUla('fc00::1'), true);
    assert.equal(isUla('fe80::1'), false);
    assert.equal(isUla('2001:db8::1'), false);
    assert.equal(isUla('f::1'), false);
  });

  it('calls an address global only in scope global and when not deprecated or DAD-failed', () => {
    assert.equal(isGlobal('global', { deprecated: false, dadfailed: false }), true);
    assert.equal(isGlobal('global', { deprecated: true, dadfailed: false }), false);
    assert.equal(isGlobal('global', { deprecated: false, dadfailed: true }), false);
    assert.equal(isGlobal('link', { deprecated: false, dadfailed: false }), false);
  });

  it('gives a peer-to-peer IPv4 address the prefix of its peer', () => {
    const [wg] = parseIpAddrText('7: tun0    inet 10.9.0.1 peer 10.9.0.2/32 scope global tun0\\       valid_lft forever preferred_lft forever', '');
    assert.deepEqual(wg?.addresses.map((a) => [a.address, a.prefix]), [['10.9.0.1', 32]]);
  });
});
