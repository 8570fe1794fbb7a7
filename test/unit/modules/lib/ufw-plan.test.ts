// Tests modules/lib/ufw-plan.ts against a model firewall: a plan never cuts off the SSH port sparkbook is connected on, at any step, and a second plan is empty.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { MISSING_FILE } from '../../../../modules/lib/probe-file.js';
import { GUARD_COMMENT, planUfw, type UfwWanted } from '../../../../modules/lib/ufw-plan.js';
import type { UfwLogLevel, UfwObserved, UfwPolicy } from '../../../../modules/lib/ufw-observe.js';
import { allowsTcpPortFromAnywhere, type UfwRuleSpec } from '../../../../modules/lib/ufw-rules.js';
import { revealText } from '../../../../modules/lib/text.js';
import { emptyFacts, type Facts } from '../../../../runner/facts/facts.js';
import { TaskError } from '../../../../runner/errors.js';
import type { Change } from '../../../../runner/module.js';

const sshOn = (port: number): Facts => emptyFacts({ transport: 'ssh', address: '192.168.1.20', port, user: 'spark' });
const defaultsFile = (content: string): UfwObserved['defaultsFile'] => ({ ...MISSING_FILE, exists: true, type: 'file', mode: '0644', content });

function observed(over: Partial<UfwObserved> = {}): UfwObserved {
  return {
    installed: true, active: false, enabledAtBoot: false, defaults: { incoming: 'deny', outgoing: 'allow', routed: 'deny' },
    logging: 'low', ipv6: true, defaultsFile: defaultsFile('IPV6=yes\n'), rules: [], ...over,
  };
}

/** The words of a script line as sh would split them (our scripts quote with '…' and '\''). */
function words(line: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') word = (word ?? '') + (line[++i] ?? '');
    else if (c === ' ') {
      if (word !== null) out.push(word);
      word = null;
    } else word = (word ?? '') + c;
  }
  if (word !== null) out.push(word);
  return out;
}

/** The firewall after one change, read from the change's own script (and diff, for the defaults file). */
function apply(o: UfwObserved, c: Change): UfwObserved {
  if (c.diff !== undefined) {
    const content = revealText(c.diff.after);
    return { ...o, defaultsFile: defaultsFile(content), ipv6: /^IPV6=yes$/m.test(content) };
  }
  const w = words(String(c.script));
  assert.equal(w[0], 'ufw', String(c.script));
  const rest = w.slice(1);
  if (rest[0] === '--force' && rest[1] === 'enable') return { ...o, active: true, enabledAtBoot: true };
  if (rest[0] === 'disable') return { ...o, active: false, enabledAtBoot: false };
  if (rest[0] === 'reload') return o;
  if (rest[0] === 'logging') return { ...o, logging: (rest[1] === 'on' ? 'low' : rest[1]) as UfwLogLevel };
  if (rest[0] === 'default') return { ...o, defaults: { ...o.defaults, [rest[2] as string]: rest[1] as UfwPolicy } };
  if (rest[0] === 'delete') {
    const identity = c.target.replace(/^ufw /, '');
    return { ...o, rules: o.rules.filter((r) => r.identity !== identity) };
  }
  const at = rest.indexOf('comment');
  const identity = c.target.replace(/^ufw /, '');
  const comment = at >= 0 ? (rest[at + 1] as string) : null;
  const exists = o.rules.some((r) => r.identity === identity);
  return { ...o, rules: exists ? o.rules.map((r) => (r.identity === identity ? { identity, comment } : r)) : [...o.rules, { identity, comment }] };
}

/** Whether a NEW connection to the port gets in (the lib's notion: an allow from anywhere, or no filtering). */
const reachable = (o: UfwObserved, port: number): boolean =>
  !o.active || o.defaults.incoming === 'allow' || o.rules.some((r) => allowsTcpPortFromAnywhere(r.identity, port));

const RULES: readonly UfwRuleSpec[] = [
  { rule: 'allow', port: 22, proto: 'tcp' },
  { rule: 'allow', port: 2222, proto: 'tcp', comment: 'ssh' },
  { rule: 'limit', port: 22, proto: 'tcp' },
  { rule: 'allow', app: 'OpenSSH' },
  { rule: 'allow', port: 22 },
  { rule: 'allow', from: '10.0.0.0/8' },
  { rule: 'allow', port: 51820, proto: 'udp', comment: 'wireguard' },
];
const IDENTITIES = ['allow 22/tcp', 'allow 2222/tcp', 'limit 22/tcp', 'allow OpenSSH', 'allow 22', 'allow from 10.0.0.0/8', 'allow 51820/udp'];
const policy = fc.constantFrom<UfwPolicy | null>('allow', 'deny', 'reject', null);

const host = fc.record({
  active: fc.boolean(),
  enabledAtBoot: fc.boolean(),
  incoming: policy,
  logging: fc.constantFrom<UfwLogLevel | null>('off', 'low', null),
  rules: fc.subarray(IDENTITIES).chain((ids) => fc.tuple(...ids.map((identity) => fc.option(fc.constantFrom('ssh', 'old'), { nil: null }).map((comment) => ({ identity, comment }))))),
}).map(({ incoming, ...o }) => observed({ ...o, defaults: { incoming, outgoing: 'allow', routed: 'deny' } }));

const wanted = fc.record({
  state: fc.constantFrom<UfwWanted['state']>('enabled', 'disabled', undefined),
  incoming: fc.option(fc.constantFrom<UfwPolicy>('allow', 'deny', 'reject'), { nil: undefined }),
  logging: fc.constantFrom<UfwWanted['logging']>('on', 'off', 'medium', undefined),
  rules: fc.array(fc.tuple(fc.constantFrom(...RULES), fc.boolean()).map(([r, del]) => (del ? { ...r, delete: true } : r)), { maxLength: 5 }),
}).map(({ incoming, ...w }): UfwWanted => ({ ...w, ...(incoming === undefined ? {} : { defaults: { incoming } }) }));

describe('planUfw', () => {
  it('never makes the connected SSH port unreachable at any step of the plan', () => {
    fc.assert(
      fc.property(host, wanted, fc.constantFrom(22, 2222), (o, w, port) => {
        fc.pre(reachable(o, port));
        let state = o;
        for (const c of planUfw(w, o, sshOn(port))) {
          state = apply(state, c);
          assert.ok(reachable(state, port), `after "${c.summary}" port ${port} is closed: ${JSON.stringify(state.rules)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('converges: after its changes, a second plan is empty', () => {
    fc.assert(
      fc.property(host, wanted, fc.constantFrom(22, 2222), fc.boolean(), (o, w, port, ssh) => {
        const facts = ssh ? sshOn(port) : emptyFacts({ transport: 'local', address: 'localhost', port: 0, user: 'root' });
        const after = planUfw(w, o, facts).reduce(apply, o);
        assert.deepEqual(planUfw(w, after, facts).map((c) => c.summary), []);
      }),
      { numRuns: 1000 },
    );
  });

  it('adds the guard for the connected port first, before rules, defaults and the enable', () => {
    const changes = planUfw({ state: 'enabled', defaults: { incoming: 'deny' }, rules: [{ rule: 'allow', port: 51820, proto: 'udp' }] }, observed({ defaults: { incoming: 'allow', outgoing: 'allow', routed: 'deny' } }), sshOn(2222));
    assert.deepEqual(changes.map((c) => c.summary), [
      `ufw allow 2222/tcp (${GUARD_COMMENT}) [lockout guard]`,
      'ufw allow 51820/udp',
      'ufw default incoming: allow → deny',
      'ufw enable',
    ]);
  });

  it('counts the OpenSSH profile only for port 22', () => {
    const o = observed({ rules: [{ identity: 'allow OpenSSH', comment: null }] });
    assert.deepEqual(planUfw({ state: 'enabled', rules: [] }, o, sshOn(22)).map((c) => c.target), ['ufw enable']);
    assert.deepEqual(planUfw({ state: 'enabled', rules: [] }, o, sshOn(2222)).map((c) => c.target), ['ufw allow 2222/tcp', 'ufw enable']);
  });

  it('keeps the guard rule a task asked to delete while ufw stays on', () => {
    const o = observed({ active: true, enabledAtBoot: true, rules: [{ identity: 'allow 22/tcp', comment: null }] });
    assert.deepEqual(planUfw({ rules: [{ rule: 'allow', port: 22, proto: 'tcp', delete: true }] }, o, sshOn(22)), []);
  });

  it('disables an active ufw before deleting its SSH rule or denying incoming, and last otherwise', () => {
    const o = observed({ active: true, enabledAtBoot: true, defaults: { incoming: 'allow', outgoing: 'allow', routed: 'deny' }, rules: [{ identity: 'allow 22/tcp', comment: null }] });
    const del = { rule: 'allow', port: 22, proto: 'tcp', delete: true } as const;
    assert.deepEqual(planUfw({ state: 'disabled', rules: [del] }, o, sshOn(22)).map((c) => c.summary), ['ufw disable', 'delete ufw allow 22/tcp']);
    assert.deepEqual(planUfw({ state: 'disabled', defaults: { incoming: 'deny' }, rules: [] }, o, sshOn(22)).map((c) => c.summary), ['ufw disable', 'ufw default incoming: allow → deny']);
    assert.deepEqual(planUfw({ state: 'disabled', logging: 'medium', rules: [] }, o, sshOn(22)).map((c) => c.summary), ['ufw logging: low → medium', 'ufw disable']);
  });

  it('adds no guard on the local connection', () => {
    assert.deepEqual(planUfw({ state: 'enabled', rules: [] }, observed(), emptyFacts({ transport: 'local', address: 'localhost', port: 0, user: 'root' })).map((c) => c.target), ['ufw enable']);
  });

  it('switches IPv6 on in the defaults file, reloading an active ufw so the rules cover IPv6', () => {
    const o = observed({ active: true, enabledAtBoot: true, ipv6: false, defaultsFile: defaultsFile('IPV6=no\nDEFAULT_INPUT_POLICY="DROP"\n'), rules: [{ identity: 'allow 22/tcp', comment: null }] });
    const changes = planUfw({ rules: [] }, o, sshOn(22));
    assert.deepEqual(changes.map((c) => c.target), ['/etc/default/ufw', 'ufw reload']);
    assert.equal(revealText(changes[0]!.diff!.after), 'IPV6=yes\nDEFAULT_INPUT_POLICY="DROP"\n');
    assert.deepEqual(planUfw({ ipv6: false, rules: [] }, o, sshOn(22)), [], 'ipv6: false leaves the file alone');
  });

  it('fails the task with an install hint where ufw is missing', () => {
    assert.throws(() => planUfw({ rules: [] }, { ...observed(), installed: false }, sshOn(22)), (e: unknown) => e instanceof TaskError && /install it first/.test(e.message));
  });
});
