// Tests of the sysctl `key = value` parser on the facts script's recorded section.
import assert from 'node:assert/strict';
import { parseSysctl, sysctlInt } from '../../../../../runner/facts/parse/sysctl.js';
import { parserCases } from '../fixtures.js';

describe('parseSysctl', () => {
  for (const c of parserCases('sysctl')) {
    it(`reads the forwarding switches as numbers, null when absent: ${c.name}`, () => {
      const values = parseSysctl(c.output);
      const keys = Object.keys(c.expected as object);
      assert.deepEqual(Object.fromEntries(keys.map((k) => [k, sysctlInt(values, k)])), c.expected);
    });
  }

  it('accepts slash-separated keys and leaves non-numbers null', () => {
    const values = parseSysctl('net/ipv4/ip_forward=1\nkernel.hostname = spark-01\n');
    assert.equal(sysctlInt(values, 'net.ipv4.ip_forward'), 1);
    assert.equal(sysctlInt(values, 'kernel.hostname'), null);
  });
});
