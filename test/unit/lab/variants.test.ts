// Tests test/lab/variants.ts: how a lab lays out its hosts (names, addresses, variants, users, ports).
import assert from 'node:assert/strict';
import { CONTAINER_VARIANTS, MAX_CONTAINERS, MAX_CONTAINERS_ONLY, VARIANTS, planHosts } from '../../lab/variants.js';

describe('lab host plan', () => {
  it('names containers ct01.. at .11.. and VMs vm01.. at .101.. of the lab prefix', () => {
    const hosts = planHosts('10.77.5', 3, 2);
    assert.deepEqual(
      hosts.map((h) => `${h.name}=${h.address}/${h.kind}`),
      ['ct01=10.77.5.11/container', 'ct02=10.77.5.12/container', 'ct03=10.77.5.13/container', 'vm01=10.77.5.101/vm', 'vm02=10.77.5.102/vm'],
    );
  });

  it('covers every variant in any three consecutive containers', () => {
    const hosts = planHosts('10.77.0', 7, 0);
    for (let i = 0; i + 3 <= hosts.length; i++) {
      assert.deepEqual(new Set(hosts.slice(i, i + 3).map((h) => h.variant)), new Set(CONTAINER_VARIANTS));
    }
  });

  it('gives each host the port of its variant, root only to service hosts, spark to every VM', () => {
    for (const h of planHosts('10.77.0', 6, 2)) {
      assert.equal(h.port, VARIANTS[h.variant].port);
      assert.equal(h.user, h.kind === 'container' && h.variant === 'service' ? 'root' : 'spark');
    }
    assert.ok(planHosts('10.77.0', 3, 0).some((h) => h.port === 2222));
  });

  it('keeps addresses unique at the largest sizes', () => {
    for (const [containers, vms] of [[MAX_CONTAINERS, 99], [MAX_CONTAINERS_ONLY, 0]] as const) {
      const hosts = planHosts('10.77.0', containers, vms);
      assert.equal(hosts.length, containers + vms);
      assert.equal(new Set(hosts.map((h) => h.address)).size, hosts.length);
      assert.equal(new Set(hosts.map((h) => h.name)).size, hosts.length);
      assert.ok(hosts.every((h) => Number(h.address.split('.')[3]) <= 250));
    }
  });

  it('refuses negative, fractional and too large counts', () => {
    assert.throws(() => planHosts('10.77.0', -1, 0), RangeError);
    assert.throws(() => planHosts('10.77.0', 1.5, 0), RangeError);
    assert.throws(() => planHosts('10.77.0', MAX_CONTAINERS + 1, 1), RangeError);
    assert.throws(() => planHosts('10.77.0', MAX_CONTAINERS_ONLY + 1, 0), RangeError);
    assert.throws(() => planHosts('10.77.0', 0, 100), RangeError);
  });
});
