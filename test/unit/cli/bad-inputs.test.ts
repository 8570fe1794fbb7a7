// The CLI contract for bad input: every file in test/fixtures/bad/ makes `sparkbook validate`
// print exactly its expected FILE:LINE:COL line, exit 2, and contact nothing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../../support/run-cli.js';

const BAD = join(REPO_ROOT, 'test/fixtures/bad');
const VALID_PLAYBOOK = 'test/fixtures/local/trivial.yml';

const cases = readdirSync(BAD)
  .filter((f) => /\.(ya?ml|ini)$/.test(f) && existsSync(join(BAD, f.replace(/\.(ya?ml|ini)$/, '.expected'))))
  .sort();

describe('sparkbook validate on malformed input', function () {
  this.timeout(60_000);
  it('has a corpus of at least 30 malformed playbooks and inventories', () => {
    assert.ok(cases.length >= 30, `only ${cases.length} cases in test/fixtures/bad`);
  });
  for (const file of cases) {
    it(`reports ${file} with its location and exits 2`, async () => {
      const rel = `test/fixtures/bad/${file}`;
      const expected = readFileSync(join(BAD, file.replace(/\.(ya?ml|ini)$/, '.expected')), 'utf8').trim();
      const args = file.startsWith('inventory-') ? ['validate', VALID_PLAYBOOK, '-i', rel] : ['validate', rel];
      const result = await runCli(args);
      assert.equal(result.code, 2, `exit code for ${file}: stderr=${result.stderr}`);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines[0], expected);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});
