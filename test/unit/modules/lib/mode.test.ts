// Tests modules/lib/mode.ts: the mode spellings users write, as chmod's four octal digits.
import { strict as assert } from 'node:assert';
import { normalizeMode } from '../../../../modules/lib/mode.js';
import { TaskError } from '../../../../runner/errors.js';

describe('normalizeMode', () => {
  it('reads quoted octal with or without 0 or 0o', () => {
    assert.equal(normalizeMode('0600', 0o644, false), '0600');
    assert.equal(normalizeMode('600', 0o644, false), '0600');
    assert.equal(normalizeMode('0o750', 0o644, false), '0750');
    assert.equal(normalizeMode('4755', 0, false), '4755');
  });

  it('reads a YAML 1.2 number by its digits (mode: 0644 arrives as 644)', () => {
    assert.equal(normalizeMode(644, 0, false), '0644');
    assert.equal(normalizeMode(600, 0, false), '0600');
  });

  it('rejects numbers that cannot be octal', () => {
    assert.throws(() => normalizeMode(689, 0, false), TaskError);
    assert.throws(() => normalizeMode(12345, 0, false), TaskError);
  });

  it('applies symbolic clauses to the current mode, as chmod does', () => {
    assert.equal(normalizeMode('u=rw,g=,o=', 0o755, false), '0600');
    assert.equal(normalizeMode('go-w', 0o666, false), '0644');
    assert.equal(normalizeMode('+x', 0o644, false), '0755');
    assert.equal(normalizeMode('a+X', 0o644, false), '0644');
    assert.equal(normalizeMode('a+X', 0o644, true), '0755');
    assert.equal(normalizeMode('u+s', 0o755, false), '4755');
    assert.equal(normalizeMode('+t', 0o777, true), '1777');
  });

  it('rejects garbage', () => {
    assert.throws(() => normalizeMode('rwx', 0, false), /neither octal/);
    assert.throws(() => normalizeMode('', 0, false), /neither octal/);
  });
});
