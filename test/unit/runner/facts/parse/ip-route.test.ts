// Tests of the default-route parsers, the choice among several defaults, and the IPv4 network arithmetic.
import assert from 'node:assert/strict';
import type { InterfaceFact } from '../../../../../runner/facts/facts.js';
import { ipv4Network, parseRouteJson, parseRouteText, preferredRoute, routeAddress } from '../../../../../runner/facts/parse/ip-route.js';
import { parserCases } from '../fixtures.js';

describe('ip route parsers', () => {
  for (const c of parserCases('ip-route')) {
    it(`lists the default routes and prefers the lowest metric: ${c.name}`, () => {
      const routes = c.extra['form'] === 'json' ? parseRouteJson(c.output) : parseRouteText(c.output);
      assert.deepEqual({ routes, preferred: preferredRoute(routes ?? []) }, c.expected);
    });
  }

  it('has no preferred route when there is no default', () => {
    assert.deepEqual(parseRouteJson('[]'), []);
    assert.equal(preferredRoute([]), null);
  });

  it('computes the network of an address and prefix', () => {
    assert.equal(ipv4Network('192.168.1.23', 24), '192.168.1.0/24');
    assert.equal(ipv4Network('10.20.30.40', 8), '10.0.0.0/8');
    assert.equal(ipv4Network('172.17.200.1', 12), '172.16.0.0/12');
    assert.equal(ipv4Network('255.255.255.255', 32), '255.255.255.255/32');
    assert.equal(ipv4Network('203.0.113.77', 0), '0.0.0.0/0');
    assert.equal(ipv4Network('203.0.113.77', 25), '203.0.113.0/25');
    assert.equal(ipv4Network('203.0.113.200', 25), '203.0.113.128/25');
  });

  it('rejects what is not an IPv4 address and prefix', () => {
    assert.equal(ipv4Network('2001:db8::1', 64), null);
    assert.equal(ipv4Network('192.168.1.300', 24), null);
    assert.equal(ipv4Network('192.168.1.1', 33), null);
  });

  it("takes the route's source address when it names one, else the interface's first IPv4", () => {
    const a = (address: string, prefix: number) => ({ family: 'inet' as const, address, prefix, scope: 'global', global: true, ula: false, temporary: false, deprecated: false });
    const ifaces: InterfaceFact[] = [{ name: 'eth0', mac: null, up: true, mtu: 1500, linkType: 'ether', addresses: [a('10.0.0.5', 16), a('192.168.7.9', 24)] }];
    const route = { interface: 'eth0', gateway: '192.168.7.1', metric: 0, source: '192.168.7.9' };
    assert.deepEqual(routeAddress(route, ifaces), { address: '192.168.7.9', prefix: 24 });
    assert.deepEqual(routeAddress({ ...route, source: null }, ifaces), { address: '10.0.0.5', prefix: 16 });
    assert.equal(routeAddress({ ...route, interface: 'wg0' }, ifaces), null);
  });
});
