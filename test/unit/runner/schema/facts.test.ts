// Tests of the Facts JSON Schema: the checked-in schema/facts.schema.json is the TS schema,
// every parsed fixture validates, it matches the Facts type, and it rejects wrong facts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import { emptyFacts, type Facts } from '../../../../runner/facts/facts.js';
import { parseFacts } from '../../../../runner/facts/parse-facts.js';
import { factsSchema } from '../../../../runner/schema/facts.js';
import { ROOT } from '../facts/fixtures.js';
import { scriptFixtures } from '../facts/script-fixtures.js';

// A value the schema describes is a Facts: a schema that dropped or retyped a field fails to compile here.
type SchemaFacts = FromSchema<typeof factsSchema>;
const schemaFactsAreFacts = (f: SchemaFacts): Facts => f;

const validate = new Ajv({ allErrors: true, strict: true }).compile(factsSchema);

function errorsOf(value: unknown): string {
  return validate(value) ? '' : JSON.stringify(validate.errors, null, 1);
}

describe('factsSchema', () => {
  it('is what schema/facts.schema.json holds (regenerate: node -e "import(\'./dist/runner/schema/facts.js\').then(m=>console.log(JSON.stringify(m.factsSchema,null,2)))" > schema/facts.schema.json)', () => {
    const checkedIn: unknown = JSON.parse(readFileSync(resolve(ROOT, 'schema/facts.schema.json'), 'utf8'));
    assert.deepEqual(checkedIn, JSON.parse(JSON.stringify(factsSchema)));
  });

  for (const f of scriptFixtures()) {
    it(`accepts the facts parsed from the recorded output: ${f.name}`, () => {
      const facts = parseFacts(f.stdout, f.connection);
      assert.equal(errorsOf(facts), '');
      assert.equal(schemaFactsAreFacts(facts as SchemaFacts), facts);
    });
  }

  it('accepts the facts of a play that gathers none', () => {
    assert.equal(errorsOf(emptyFacts({ transport: 'local', address: 'localhost', port: 0, user: 'root' })), '');
  });

  it('rejects a wrong type, an unknown field and a missing field', () => {
    const base = scriptFixtures()[0]?.expected;
    assert.ok(base);
    assert.notEqual(errorsOf({ ...base, arch: 64 }), '');
    assert.notEqual(errorsOf({ ...base, surprise: true }), '');
    const { kernel: _dropped, ...withoutKernel } = base;
    assert.notEqual(errorsOf(withoutKernel), '');
    assert.notEqual(errorsOf({ ...base, sshd: { ...base.sshd, ports: [] } }), '');
  });
});
