// Each e2e test file brings up its own lab by name; two files sharing a name would tear down, or
// reuse with the wrong size, each other's lab.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/run-cli.js';

describe('e2e lab names', () => {
  it('are unique across the e2e test files', () => {
    const dir = join(REPO_ROOT, 'test', 'e2e');
    const byName = new Map<string, string[]>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.ts'))) {
      const m = /^const LAB = '([^']+)';/m.exec(readFileSync(join(dir, file), 'utf8'));
      if (m) byName.set(m[1] as string, [...(byName.get(m[1] as string) ?? []), file]);
    }
    assert.ok(byName.size >= 10, `found only ${byName.size} lab names`);
    const shared = [...byName].filter(([, files]) => files.length > 1);
    assert.deepEqual(shared, []);
  });
});
