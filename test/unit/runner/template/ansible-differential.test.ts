// Differential test: our template expressions against Ansible's own templating. Every case of
// test/support/ansible-template-cases.txt was run ONCE through the real ansible-playbook
// (ansible-core 2.14, Debian) by scripts/record-ansible-templates.mjs, which wrote
// test/fixtures/ansible/templates.json; rerun it to refresh the fixture. Ansible is not needed here.
// Each case is replayed through our renderer and must agree, except the deliberate differences
// below, which docs/templates.md lists too ("Differences from Ansible").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../../runner/errors.js';
import { evaluateCondition, renderString } from '../../../../runner/template/index.js';
import { REPO_ROOT } from '../../../support/run-cli.js';

interface Recorded {
  /** e: "{{ text }}" as a parameter; t: a template line; w: a when: condition. */
  readonly kind: 'e' | 't' | 'w';
  readonly group: string;
  readonly text: string;
  /** Ansible's rendered value (e, t), after its own literal_eval of lists, dicts and booleans. */
  readonly value?: unknown;
  /** type_debug of the expression (e). */
  readonly type?: string;
  /** Whether the task ran (w). */
  readonly ran?: boolean;
  /** Ansible's error, when it failed. */
  readonly error?: string;
}

const fixture = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/ansible/templates.json'), 'utf8')) as {
  vars: Record<string, unknown>;
  cases: Recorded[];
};

/**
 * The deliberate differences, by case text, each with its reason. docs/templates.md lists the same
 * cases under "Differences from Ansible"; a test below keeps the two lists equal.
 */
export const DELIBERATE: ReadonlyMap<string, string> = new Map<string, string>([
  ["2 ** 53 + 1", "Refused: an integer a JavaScript number cannot hold exactly is an error, never silently rounded (`2 ** 64` is exact and agrees)"],
  ["'%s' % flag_true", "Ansible turns a lone `{{ }}` that renders `True` back into a boolean (its literal_eval); the string the expression made stays a string here"],
  ["'{}'.format(flag_true)", "Ansible turns a lone `{{ }}` that renders `True` back into a boolean (its literal_eval); the string the expression made stays a string here"],
  ["'Hello' | regex_replace('l', 'L', count=1)", "`count=` is accepted here, as newer ansible-core releases do; 2.14 refuses it"],
  ["users | json_query('[].name')", "Refused: `json_query` is community.general's and needs JMESPath; use `selectattr`/`map`"],
  ["vars['port']", "Refused: Ansible's `vars` dict is not supported; name the variable, or use `lookup('vars', name)`"],
  ["undefined_var | default(omit) is string", "Refused: `omit` is not supported (docs/variables.md)"],
  ["omit is string", "Refused: `omit` is not supported (docs/variables.md)"],
  ["PersistentKeepalive = {{ wg_peers[0].persistent_keepalive | default(omit) }}", "Refused: `omit` is not supported (docs/variables.md)"],
  ["(1, 2) | string", "A tuple is a list here, so its text is `[1, 2]`"],
  ["tuple={{ (1, 2) }}", "A tuple is a list here, so its text is `[1, 2]`"],
  ["'secret' | password_hash('sha512', 'salt')", "Refused: `password_hash` needs crypt/passlib; hash the password before it reaches the playbook"],
  ["ansible_default_ipv4.address is ipv4", "sparkbook's short test names `ipv4`/`ipv6`; ansible-core 2.14 knows only `ansible.utils.ipv4`/`ipv6` (accepted here too)"],
  ["'::1' is ipv6", "sparkbook's short test names `ipv4`/`ipv6`; ansible-core 2.14 knows only `ansible.utils.ipv4`/`ipv6` (accepted here too)"],
  ["'nope' is ipv4", "sparkbook's short test names `ipv4`/`ipv6`; ansible-core 2.14 knows only `ansible.utils.ipv4`/`ipv6` (accepted here too)"],
  ["now() is string", "Refused: `now()` is not supported (templates do not depend on the clock)"],
  ["half={{ 10 / 4 }} whole={{ 10 / 2 }}", "One number type: a float with an integral value prints without `.0` (`5`, not `5.0`)"],
  ["float={{ 1.5 + 1.5 }}", "One number type: a float with an integral value prints without `.0` (`3`, not `3.0`)"],
  ["exp={{ 1e20 }} {{ 1e-7 }}", "One number type: the integral float `1e20` prints in full, as an integer would"],
  ["mem={{ (mem_mb / 1024) | round(1) }}G", "One number type: a float with an integral value prints without `.0` (`120`, not `120.0`)"],
  ["str_false", "A `when:` string that spells false is false here (docs/decisions.md, 8); Ansible runs the task for any non-empty string"],
  ["str_no", "A `when:` string that spells false is false here (docs/decisions.md, 8); Ansible runs the task for any non-empty string"],
  ["str_zero", "A `when:` string that spells false is false here (docs/decisions.md, 8); Ansible runs the task for any non-empty string"],
  ["'false'", "A `when:` string that spells false is false here (docs/decisions.md, 8); Ansible runs the task for any non-empty string"],
  ["{{ str_yes }}", "Ansible evaluates the rendered text `yes` again, as a variable name (undefined); the string's boolean meaning decides here"],
]);

/** Python's str() of a value, as Ansible's text shows it (an independent reference for the comparison). */
function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pyRepr(value);
}
function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value) ? BigInt(value).toString() : String(value);
  if (typeof value === 'string') {
    const q = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
    return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

type TypeClass = 'str' | 'int' | 'float' | 'bool' | 'list' | 'tuple' | 'dict' | 'none';

/** Ansible's type_debug names, folded into the kinds our values can have. */
function ansibleClass(type: string): TypeClass | undefined {
  if (['str', 'AnsibleUnicode', 'AnsibleUnsafeText', 'NativeJinjaText', 'NativeJinjaUnsafeText'].includes(type)) return 'str';
  if (['list', 'AnsibleSequence', 'range', 'generator'].includes(type)) return 'list';
  if (['dict', 'AnsibleMapping'].includes(type)) return 'dict';
  if (['NoneType', 'Undefined', 'AnsibleUndefined'].includes(type)) return 'none';
  if (['int', 'float', 'bool', 'tuple'].includes(type)) return type as TypeClass;
  return undefined;
}

function ourClass(value: unknown): TypeClass {
  if (value === null) return 'none';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function run(c: Recorded, scope: Record<string, unknown>): Outcome {
  try {
    if (c.kind === 'w') return { ok: true, value: evaluateCondition(c.text, scope) };
    return { ok: true, value: renderString(c.kind === 'e' ? `{{ ${c.text} }}` : c.text, scope) };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, error: error.message };
    throw error;
  }
}

/**
 * Whether our outcome is Ansible's. Values compare as data; where Ansible 2.14 hands a module the
 * text of a value (numbers, tuples, strings) and we hand the value itself, the text must match.
 * Two rules of the comparison, not differences: JavaScript has one number type, so 5 is Ansible's
 * 5.0 (the text `5.0` differs, and the template-line cases that show it are listed); and a lone
 * none renders as '' in Ansible except for a bare variable, which is none either way.
 */
function agrees(c: Recorded, ours: Outcome): { agree: boolean; why: string } {
  if (c.error !== undefined) return ours.ok ? { agree: false, why: `Ansible fails (${c.error.slice(0, 120)}), we give ${JSON.stringify(ours.value)}` } : { agree: true, why: '' };
  if (!ours.ok) return { agree: false, why: `we refuse: ${ours.error}` };
  const value = ours.value;
  if (c.kind === 'w') return { agree: value === c.ran, why: `Ansible ${c.ran === true ? 'runs' : 'skips'} the task, we ${value === true ? 'run' : 'skip'} it` };
  const theirs = c.value;
  const show = `Ansible ${JSON.stringify(theirs)}${c.type === undefined ? '' : ` (${c.type})`}, we ${JSON.stringify(value)}`;
  const expected = c.type === undefined ? undefined : ansibleClass(c.type);
  if (expected === 'none' || (theirs === null && c.type === undefined)) {
    return { agree: value === null || (theirs === '' && value === ''), why: show };
  }
  const kind = ourClass(value);
  if (expected !== undefined) {
    const sameKind =
      kind === expected ||
      (expected === 'float' && kind === 'int') ||
      (expected === 'tuple' && kind === 'list');
    if (!sameKind) return { agree: false, why: show };
  }
  if (expected === 'float' && typeof value === 'number' && typeof theirs === 'string') {
    return { agree: Number(theirs) === value, why: show };
  }
  if (expected === 'tuple' && Array.isArray(value)) {
    const text = `(${value.map(pyRepr).join(', ')}${value.length === 1 ? ',' : ''})`;
    return { agree: theirs === text || JSON.stringify(theirs) === JSON.stringify(value), why: show };
  }
  if (typeof theirs === 'string' && typeof value !== 'string') return { agree: pyStr(value) === theirs, why: show };
  try {
    assert.deepStrictEqual(value, theirs);
    return { agree: true, why: '' };
  } catch {
    return { agree: false, why: show };
  }
}

describe('templates against Ansible (recorded from ansible-core)', () => {
  const scope = fixture.vars;
  const outcomes = fixture.cases.map((c) => ({ c, ...agrees(c, run(c, scope)) }));

  it('records at least 300 cases of expressions, template lines and when: conditions', () => {
    assert.ok(fixture.cases.length >= 300, `${fixture.cases.length} cases`);
    for (const kind of ['e', 't', 'w'] as const) assert.ok(fixture.cases.some((c) => c.kind === kind), `no ${kind} cases`);
  });

  it('agrees with Ansible on every case but the deliberate differences', () => {
    const agreeing = outcomes.filter((o) => o.agree).length;
    const differing = outcomes.filter((o) => !o.agree && !DELIBERATE.has(o.c.text));
    const stale = [...DELIBERATE.keys()].filter((text) => outcomes.some((o) => o.c.text === text && o.agree));
    const unknown = [...DELIBERATE.keys()].filter((text) => !outcomes.some((o) => o.c.text === text));
    if (process.env.TEMPLATE_DIFF !== undefined) for (const o of outcomes.filter((x) => !x.agree)) console.log(`${o.c.kind} ${o.c.text} ::: ${o.why}`);
    console.log(`      ${agreeing} of ${outcomes.length} cases agree with Ansible; ${DELIBERATE.size} deliberate differences`);
    assert.deepEqual(
      differing.map((o) => `${o.c.kind} ${o.c.text}: ${o.why}`),
      [],
      'cases that differ from Ansible without being listed as deliberate',
    );
    assert.deepEqual(stale, [], 'deliberate differences that now agree (remove them from the table and the docs)');
    assert.deepEqual(unknown, [], 'deliberate differences naming no recorded case');
  });

  it('lists the same deliberate differences in docs/templates.md', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/templates.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Differences from Ansible'));
    assert.ok(section.length > 0 && doc.includes('## Differences from Ansible'), 'docs/templates.md has no "Differences from Ansible" section');
    const listed = [...section.matchAll(/^\| `([^`]|``)+?` \|/gm)].map((m) => m[0].slice(3, -3).replace(/\\\|/g, '|'));
    assert.deepEqual([...listed].sort(), [...DELIBERATE.keys()].sort());
  });

  it('says which construct is missing when it refuses an expression Ansible accepts', () => {
    for (const o of outcomes) {
      if (o.agree || o.c.error !== undefined) continue;
      const ours = run(o.c, scope);
      if (ours.ok) continue;
      assert.match(ours.error, /not supported|unknown (filter|test|function|method)|only the|not a variable here|undefined variable 'omit'/, `${o.c.text}: ${ours.error}`);
    }
  });
});
