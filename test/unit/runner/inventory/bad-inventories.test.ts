// Runs every bad inventory fixture and compares its one-line error with <name>.expected.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatLocated, InputError } from '../../../../runner/errors.js';
import { loadInventory } from '../../../../runner/inventory/load.js';
import { fixture, ROOT } from './inline.js';

// Every bad inventory sits beside `<name>.expected`: the exact error line, FILE relative to the repo.
function cases(dir: string, only?: RegExp): [string, string][] {
  return readdirSync(dir)
    .filter((f) => !f.endsWith('.expected') && (!only || only.test(f)))
    .map((f) => [join(dir, f), join(dir, `${f.replace(/\.(yml|ini)$/, '')}.expected`)]);
}

describe('bad inventories report one error at the exact FILE:LINE:COL', () => {
  const all = [...cases(fixture('inventory', 'bad')), ...cases(fixture('bad'), /^inventory-/)];

  it('has at least 8 CLI-loop fixtures under test/fixtures/bad/', () => {
    assert.ok(cases(fixture('bad'), /^inventory-.*\.(yml|ini)$/).length >= 8);
  });

  for (const [input, expectedFile] of all) {
    const name = relative(ROOT, input);
    it(name, async () => {
      const expected = readFileSync(expectedFile, 'utf8').trim();
      let error: unknown;
      try {
        await loadInventory(input);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
      assert.equal(error.kind, 'inventory');
      assert.ok(error.where, 'the error has a location');
      const where = { ...error.where, file: relative(ROOT, error.where.file) };
      assert.equal(formatLocated(error.message, where), expected);
      assert.ok(!error.message.includes('\n'), 'the message is one line');
    });
  }
});
