// Tests of the WireGuard interface and configuration parsers.
import assert from 'node:assert/strict';
import { parseWgShowInterfaces, parseWireguardConfigs, parseWireguardLinks } from '../../../../../runner/facts/parse/wireguard.js';
import { extraText, parserCases } from '../fixtures.js';

describe('WireGuard parsers', () => {
  for (const c of parserCases('wireguard')) {
    it(`reads interfaces from wg and ip, and configs from /etc/wireguard: ${c.name}`, () => {
      assert.deepEqual(
        { show: parseWgShowInterfaces(c.output), links: parseWireguardLinks(extraText(c, 'links')), configs: parseWireguardConfigs(extraText(c, 'ls')) },
        c.expected,
      );
    });
  }

  it('finds nothing in empty output', () => {
    assert.deepEqual(parseWgShowInterfaces(''), []);
    assert.deepEqual(parseWireguardLinks(''), []);
    assert.deepEqual(parseWireguardConfigs(''), []);
  });
});
