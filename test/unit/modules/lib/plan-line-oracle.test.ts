// Proves modules/lib/plan-line.ts against Ansible itself: every case in
// test/fixtures/ansible/text-edits/lineinfile.json was run by ansible-playbook (recorded by
// scripts/record-ansible-text-edits.mjs); our edit must leave the same content and agree on
// changed, except the deliberate differences listed here with their reason.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editLineDetailed, type LineRule } from '../../../../modules/lib/plan-line.js';
import { ROOT } from '../fixtures.js';

interface OracleCase {
  readonly name: string;
  readonly content: string | null;
  readonly params: Record<string, unknown>;
  readonly ansible: { readonly changed: boolean; readonly failed: boolean; readonly msg?: string; readonly after: string | null };
}

/** Case name → what we do instead, and why (also in docs/ansible.md). */
const DELIBERATE: Readonly<Record<string, { readonly after: string; readonly why: string }>> = {
  'insertafter matching a last line without newline': {
    after: 'a\nEND\nn\n',
    why: 'Ansible glues the new line to a last line that lacks its newline ("ENDn"); we end that line first',
  },
};

const file = join(ROOT, 'test', 'fixtures', 'ansible', 'text-edits', 'lineinfile.json');
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: OracleCase[] };

function ruleOf(p: Record<string, unknown>): LineRule {
  const s = (k: string): string | undefined => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  return {
    line: s('line'),
    regexp: s('regexp'),
    searchString: s('search_string'),
    state: s('state') === 'absent' ? 'absent' : 'present',
    insertafter: s('insertafter'),
    insertbefore: s('insertbefore'),
    backrefs: p['backrefs'] === true,
    firstmatch: p['firstmatch'] === true,
  };
}

describe('lineinfile edits agree with ansible-core (test/fixtures/ansible/text-edits/lineinfile.json)', () => {
  it('has the recorded cases', () => assert.ok(cases.length >= 40));
  for (const c of cases) {
    // A missing file is the planner's business (create, precondition), not the edit's.
    if (c.content === null) continue;
    it(c.name, () => {
      const edit = editLineDetailed(c.content as string, ruleOf(c.params));
      const deliberate = DELIBERATE[c.name];
      assert.equal(edit.content, deliberate?.after ?? c.ansible.after);
      assert.equal(edit.effect !== 'unchanged', c.ansible.changed);
    });
  }
});
