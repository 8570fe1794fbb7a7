// Tests modules/lib/plan-line.ts: lineinfile semantics of editLine, and its idempotence law.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { editLine, type LineRule } from '../../../../modules/lib/plan-line.js';

describe('editLine', () => {
  it('replaces only the last line the regexp matches, as lineinfile does', () => {
    assert.equal(editLine('a=1\na=2\nb\n', { regexp: '^a=', line: 'a=3', state: 'present' }), 'a=1\na=3\nb\n');
  });

  it('appends at EOF when nothing matches and the line is missing', () => {
    assert.equal(editLine('x\n', { regexp: '^a=', line: 'a=3', state: 'present' }), 'x\na=3\n');
  });

  it('inserts before the last insertbefore match', () => {
    assert.equal(editLine('a\nEND\nb\nEND\n', { line: 'n', insertbefore: '^END$', state: 'present' }), 'a\nEND\nb\nn\nEND\n');
  });

  it('inserts at EOF when insertafter matches nothing', () => {
    assert.equal(editLine('a\n', { line: 'n', insertafter: '^zzz', state: 'present' }), 'a\nn\n');
  });

  it('inserts at BOF into an empty file', () => {
    assert.equal(editLine('', { line: 'n', insertbefore: 'BOF', state: 'present' }), 'n\n');
  });

  it('returns an unchanged file byte for byte, CRLF lines included', () => {
    assert.equal(editLine('a\r\nb\n', { line: 'b', state: 'present' }), 'a\r\nb\n');
  });

  it('ends an exact last line that lacks its newline, as Ansible does (a change), and keeps the other lines', () => {
    assert.equal(editLine('a\r\nb', { line: 'b', state: 'present' }), 'a\r\nb\n');
  });

  it('removes every matching line', () => {
    assert.equal(editLine('a\nb\na\n', { regexp: '^a$', state: 'absent' }), 'b\n');
  });

  it('rejects a line holding a newline', () => {
    assert.throws(() => editLine('', { line: 'a\nb', state: 'present' }), /one line/);
  });

  const word = fc.stringMatching(/^[a-z= #]{0,6}$/);
  const content = fc.array(word, { maxLength: 8 }).chain((lines) =>
    fc.boolean().map((nl) => (lines.length === 0 ? '' : lines.join('\n') + (nl ? '\n' : ''))),
  );
  // Rules whose line matches their own regexp (or have none): the case the law promises.
  const rule: fc.Arbitrary<LineRule> = fc.oneof(
    fc.record({
      key: fc.stringMatching(/^[a-z]{1,3}$/),
      value: fc.stringMatching(/^[a-z0-9]{0,3}$/),
      state: fc.constantFrom<'present' | 'absent'>('present', 'absent'),
      where: fc.constantFrom<Partial<LineRule>>({}, { insertafter: '^a' }, { insertbefore: '^b' }, { insertbefore: 'BOF' }, { insertafter: 'EOF' }),
    }).map(({ key, value, state, where }) => ({ regexp: `^${key}=`, line: `${key}=${value}`, state, ...where })),
    fc.record({ line: word, state: fc.constantFrom<'present' | 'absent'>('present', 'absent') }),
  );

  it('is idempotent: editLine(editLine(x)) === editLine(x)', () => {
    fc.assert(
      fc.property(content, rule, (x, r) => {
        const once = editLine(x, r);
        assert.equal(editLine(once, r), once);
      }),
      { numRuns: 500 },
    );
  });
});
