// The JSON Schemas checked in under schema/ are what `sparkbook schema` prints today
// (regenerate with `npm run schemas`), so editors and CI never read a stale schema.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { schemaText } from '../../runner/commands/schema.js';
import { REPO_ROOT } from '../support/run-cli.js';

describe('checked-in schemas', () => {
  for (const name of ['playbook', 'tasks', 'facts', 'report'] as const) {
    it(`schema/${name}.schema.json equals what sparkbook schema ${name} prints`, () => {
      const path = join(REPO_ROOT, 'schema', `${name}.schema.json`);
      assert.ok(existsSync(path), `${path} is missing: run npm run schemas`);
      assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), JSON.parse(schemaText(name)));
    });
  }

  it('the playbook schema compiles and accepts every shipped playbook shape', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(schemaText('playbook')) as object);
    assert.equal(validate([{ name: 'p', hosts: 'all', tasks: [{ name: 't', file: { path: '/tmp/x', state: 'directory' } }] }]), true, JSON.stringify(validate.errors));
    assert.equal(validate([{ name: 'p', hosts: 'all', tasks: [{ name: 't', fiel: { path: '/tmp/x' } }] }]), false);
  });
});
