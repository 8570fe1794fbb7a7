// Fact groups: which groups a text can read (conservatively), merging a partial gathering, and
// the facts script carrying only the requested groups' commands.
import assert from 'node:assert/strict';
import { emptyFacts, type Facts } from '../../../../runner/facts/facts.js';
import { ALL_FACT_GROUPS, FACT_FIELD_GROUP, FACT_GROUPS, mergeFacts, type FactGroup } from '../../../../runner/facts/groups.js';
import { scanForFactGroups } from '../../../../runner/facts/scan-groups.js';
import { factsScript } from '../../../../runner/facts/script.js';

function groupsOf(value: unknown): string[] | 'all' {
  const into = new Set<FactGroup>();
  return scanForFactGroups(value, into) ? [...into].sort() : 'all';
}

describe('fact groups', () => {
  it('reads the group of each `facts.field` in templates, expressions and keys, nested anywhere', () => {
    assert.deepEqual(groupsOf('{{ facts.os.id }}'), ['base']);
    assert.deepEqual(groupsOf({ when: ['facts.ufw is none'], loop: ['{{ facts.defaultRoute.interface }}'] }), ['network', 'ufw']);
    assert.deepEqual(groupsOf([{ nested: { deep: 'x {{ facts . tailscale.backendState }}' } }]), ['tailscale']);
    assert.deepEqual(groupsOf({ '{{ facts.sshd.ports[0] }}': 1 }), ['ssh']);
    assert.deepEqual(groupsOf('facts.isDgxSpark and facts.sysctl.ipv4Forward == 1'), ['gpu', 'sysctl']);
  });

  it('means every group when facts is read other than by a field name', () => {
    for (const text of ["{{ facts['ufw'] }}", '{{ facts | to_json }}', '{{ facts }}', 'facts is defined']) assert.equal(groupsOf(text), 'all', text);
  });

  it('needs nothing for text without facts, for other names that contain the word, and for facts.connection', () => {
    assert.deepEqual(groupsOf({ a: 'plain', b: 42, c: null, d: '{{ my_facts.x }} {{ facts_file }} {{ r.facts.ufw }}' }), []);
    assert.deepEqual(groupsOf('{{ facts.connection.port }}'), []);
  });

  it('maps every fact but connection to a group', () => {
    const fields = Object.keys(emptyFacts({ transport: 'ssh', address: 'a', port: 22, user: 'u' })).filter((k) => k !== 'connection').sort();
    assert.deepEqual(Object.keys(FACT_FIELD_GROUP).sort(), fields);
    assert.deepEqual([...ALL_FACT_GROUPS].sort(), [...FACT_GROUPS].sort());
  });

  it('merges a partial gathering: the gathered groups from the new facts, the rest kept', () => {
    const old: Facts = { ...emptyFacts({ transport: 'ssh', address: 'a', port: 22, user: 'u' }), hostname: 'old', sysctl: { ipv4Forward: 0, ipv6Forward: 0 } };
    const fresh: Facts = { ...emptyFacts({ transport: 'ssh', address: 'a', port: 2200, user: 'u' }), hostname: 'new', sysctl: { ipv4Forward: 1, ipv6Forward: 0 } };
    const merged = mergeFacts(old, fresh, new Set<FactGroup>(['sysctl']));
    assert.equal(merged.hostname, 'old');
    assert.deepEqual(merged.sysctl, { ipv4Forward: 1, ipv6Forward: 0 });
    assert.equal(merged.connection.port, 2200);
  });

  it('builds a facts script with only the requested groups, always ending with the end section', () => {
    const base = factsScript(new Set<FactGroup>(['base'])).raw();
    for (const costly of ['sshd', 'systemctl show', 'ufw status', 'nvidia-smi', 'tailscale', 'ip -j']) assert.ok(!base.includes(costly), costly);
    assert.match(base, /uname -m/);
    assert.match(base, /@@sparkbook:end rc=0/);
    const withUfw = factsScript(new Set<FactGroup>(['base', 'ufw'])).raw();
    assert.match(withUfw, /status verbose/);
    assert.equal(factsScript().raw(), factsScript(ALL_FACT_GROUPS).raw());
  });
});
