// Runs loadPlaybook and the undefined-variable check over every malformed playbook in
// test/fixtures/bad/ and compares the first error line with <case>.expected, exactly.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatLocated, InputError, InputErrors } from '../../../../runner/errors.js';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { checkUndefinedVariables } from '../../../../runner/load/semantics.js';
import { fixture, ROOT } from './support.js';

const BAD = fixture('bad');
const cases = readdirSync(BAD)
  .filter((f) => /^playbook-.*\.yml$/.test(f))
  .sort();

async function firstError(file: string): Promise<InputError | undefined> {
  try {
    const playbook = await loadPlaybook(file);
    checkUndefinedVariables(playbook, new Set());
  } catch (e) {
    if (e instanceof InputErrors) return e.errors[0];
    if (e instanceof InputError) return e;
    throw e;
  }
  return undefined;
}

describe('malformed playbooks report their first error at the exact FILE:LINE:COL', () => {
  it('has at least 22 cases, each with its .expected line', () => {
    assert.ok(cases.length >= 22, `only ${cases.length} cases`);
    for (const c of cases) assert.ok(readdirSync(BAD).includes(c.replace(/\.yml$/, '.expected')), `${c} has no .expected`);
  });

  it('runs from the repository root, so files are named as the CLI names them', () => {
    assert.equal(process.cwd(), ROOT);
  });

  for (const name of cases) {
    it(name, async () => {
      const input = relative(ROOT, join(BAD, name));
      const expected = readFileSync(join(BAD, name.replace(/\.yml$/, '.expected')), 'utf8');
      assert.ok(expected.endsWith('\n') && expected.indexOf('\n') === expected.length - 1, 'the .expected file is exactly one line');
      const error = await firstError(input);
      assert.ok(error, 'the playbook is rejected');
      assert.ok(error.where, 'the error has a location');
      assert.equal(formatLocated(error.message, error.where), expected.trimEnd());
    });
  }
});
