// Proves modules/lib/plan-block.ts against Ansible itself: every case in
// test/fixtures/ansible/text-edits/blockinfile.json was run by ansible-playbook (recorded by
// scripts/record-ansible-text-edits.mjs); our edit must leave the same content and agree on changed.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editBlock, type BlockRule } from '../../../../modules/lib/plan-block.js';
import { ROOT } from '../fixtures.js';

interface OracleCase {
  readonly name: string;
  readonly content: string | null;
  readonly params: Record<string, unknown>;
  readonly ansible: { readonly changed: boolean; readonly failed: boolean; readonly after: string | null };
}

const file = join(ROOT, 'test', 'fixtures', 'ansible', 'text-edits', 'blockinfile.json');
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: OracleCase[] };

function ruleOf(p: Record<string, unknown>): BlockRule {
  const s = (k: string): string | undefined => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  return {
    block: s('block') ?? '',
    state: s('state') === 'absent' ? 'absent' : 'present',
    marker: s('marker') ?? '# {mark} ANSIBLE MANAGED BLOCK',
    markerBegin: s('marker_begin') ?? 'BEGIN',
    markerEnd: s('marker_end') ?? 'END',
    insertafter: s('insertafter'),
    insertbefore: s('insertbefore'),
  };
}

describe('blockinfile edits agree with ansible-core (test/fixtures/ansible/text-edits/blockinfile.json)', () => {
  it('has the recorded cases', () => assert.ok(cases.length >= 25));
  for (const c of cases) {
    if (c.ansible.failed) continue;
    it(c.name, () => {
      const edit = editBlock(c.content ?? '', ruleOf(c.params));
      assert.equal(edit.content, c.ansible.after ?? c.content);
      // A created file is a change even when its content is empty.
      assert.equal(edit.words.length > 0 || c.content === null, c.ansible.changed);
    });
  }
});
