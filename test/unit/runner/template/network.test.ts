// Tests of the IP helpers behind network_cidr, ipaddr and the ipv4/ipv6 tests.
import assert from 'node:assert/strict';
import { formatAddress, networkCidr, parseIpv4, parseIpv6 } from '../../../../runner/template/network.js';
import { TemplateFault } from '../../../../runner/template/values.js';

describe('template IP helpers', () => {
  it('parses dotted quads and refuses out-of-range or malformed ones', () => {
    assert.deepEqual(parseIpv4('192.168.001.23')?.groups, [192, 168, 1, 23]);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '1..2.3', 'a.b.c.d', '1.2.3.-4', '']) assert.equal(parseIpv4(bad), undefined, bad);
  });

  it('parses IPv6 with ::, an IPv4 tail and a zone', () => {
    assert.deepEqual(parseIpv6('::1')?.groups, [0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(parseIpv6('fe80::1%eth0')?.groups, [0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(parseIpv6('::ffff:10.0.0.1')?.groups, [0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]);
    for (const bad of ['1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', 'g::1', ':', '1:2:3:4:5:6:7']) assert.equal(parseIpv6(bad), undefined, bad);
  });

  it('writes IPv6 as RFC 5952 says: lowercase, longest zero run compressed, single zeros kept', () => {
    const text = (s: string): string => formatAddress(parseIpv6(s) ?? assert.fail(s));
    assert.equal(text('2001:0DB8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(text('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
    assert.equal(text('0:0:0:0:0:0:0:0'), '::');
  });

  it('computes networks at every kind of prefix boundary', () => {
    assert.equal(networkCidr('192.168.1.23/24'), '192.168.1.0/24');
    assert.equal(networkCidr('192.168.1.23/0'), '0.0.0.0/0');
    assert.equal(networkCidr('172.31.255.255/12'), '172.16.0.0/12');
    assert.equal(networkCidr('2001:db8:ffff:ffff::1/33'), '2001:db8:8000::/33');
    assert.equal(networkCidr('fe80::1/128'), 'fe80::1/128');
  });

  it('refuses values without a valid prefix', () => {
    for (const bad of ['10.0.0.1', '10.0.0.1/', '10.0.0.1/x', 'fe80::1/129', 'nope/8']) {
      assert.throws(() => networkCidr(bad), TemplateFault, bad);
    }
  });
});