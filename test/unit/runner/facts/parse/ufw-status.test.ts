// Tests of the `ufw status verbose` and ufw.conf parsers on recorded output.
import assert from 'node:assert/strict';
import { parseUfwConf, parseUfwStatus } from '../../../../../runner/facts/parse/ufw-status.js';
import { parserCases } from '../fixtures.js';

describe('parseUfwStatus', () => {
  for (const c of parserCases('ufw-status')) {
    it(`reads state, defaults, logging and every rule row: ${c.name}`, () => {
      assert.deepEqual(parseUfwStatus(c.output), c.expected);
    });
  }

  it('reads the rows of plain `ufw status`, which prints no direction, as IN rules', () => {
    const s = parseUfwStatus('Status: active\n\nTo                         Action      From\n--                         ------      ----\nOpenSSH                    ALLOW       Anywhere\nOpenSSH (v6)               ALLOW       Anywhere (v6)\n');
    assert.deepEqual(s?.rules.map((r) => [r.to, r.action, r.direction, r.from, r.v6]), [
      ['OpenSSH', 'ALLOW', 'IN', 'Anywhere', false],
      ['OpenSSH', 'ALLOW', 'IN', 'Anywhere', true],
    ]);
  });
});

describe('parseUfwConf', () => {
  it('reads ENABLED=yes as active and ENABLED=no as inactive', () => {
    assert.equal(parseUfwConf('ENABLED=yes'), true);
    assert.equal(parseUfwConf('ENABLED=no'), false);
    assert.equal(parseUfwConf('# comment\nENABLED="yes"\n'), true);
  });

  it('is null when there is no ENABLED line', () => {
    assert.equal(parseUfwConf(''), null);
  });
});
