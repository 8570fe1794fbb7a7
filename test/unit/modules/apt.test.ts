// Tests modules/apt.ts: plan cases from fixtures and the commands its changes run.
import { strict as assert } from 'node:assert';
import { findModule } from '../../../modules/index.js';
import type { AnyModule, Change } from '../../../runner/module.js';
import { describeFixtures, planFromOutput, prepare, testFacts } from './fixtures.js';

const apt = findModule('apt') as AnyModule;

describeFixtures(apt);

describe('apt module scripts', () => {
  const plan = (params: Record<string, unknown>, stdout: string): Change[] => planFromOutput(apt, params, stdout);
  const empty = '@section apt\napt-get 1\nnow 100\n@end\n@section dpkg\n@end\n';

  it('installs non-interactively, keeping changed config files, waiting for the dpkg lock', () => {
    const script = String(plan({ name: ['ufw', 'wireguard'] }, empty)[0]?.script);
    assert.match(script, /^DEBIAN_FRONTEND=noninteractive apt-get -y /);
    assert.match(script, /-o DPkg::Lock::Timeout=120/);
    assert.match(script, /-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold/);
    assert.match(script, /--no-install-recommends install -- ufw wireguard$/);
  });

  it('installs recommends only when asked', () => {
    const script = String(plan({ name: 'ufw', install_recommends: true }, empty)[0]?.script);
    assert.match(script, /-o APT::Install-Recommends=true install -- ufw$/);
  });

  it('updates the cache with the lock timeout and touches the success stamp', () => {
    const script = String(plan({ update_cache: true }, empty)[0]?.script);
    assert.match(script, /apt-get -q -o DPkg::Lock::Timeout=120 update/);
    assert.match(script, /touch \/var\/lib\/apt\/periodic\/update-success-stamp/);
  });

  it('probes dpkg for the names without version pins, and apt-cache only for latest', () => {
    const p = prepare(apt, { name: ['bash=5*', 'libc6:arm64'] });
    assert.ok(p);
    const script = String(apt.probe(p, testFacts()).script);
    assert.match(script, /dpkg-query -W -f='\$\{Package\}\\t\$\{Status\}\\t\$\{Version\}\\n' -- bash libc6:arm64/);
    assert.doesNotMatch(script, /apt-cache/);
    const latest = prepare(apt, { name: 'bash', state: 'latest' });
    assert.ok(latest);
    assert.match(String(apt.probe(latest, testFacts()).script), /LC_ALL=C apt-cache policy -- bash/);
  });
});

describe('package is apt', () => {
  it('answers to package and ansible.builtin.package', () => {
    assert.equal(findModule('package'), apt);
    assert.equal(findModule('ansible.builtin.package'), apt);
  });
});
