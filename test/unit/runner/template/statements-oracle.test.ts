// Differential test: our template statements and whitespace rules against Ansible's template
// module. The expected bytes were made ONCE by running ansible-playbook (ansible-core 2.14,
// default template options) through test/support/ansible-template-statements.py, which writes
// test/fixtures/ansible/template-statements.json; rerun it to refresh the fixture. Ansible is
// not needed to run this test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderTemplateFile } from '../../../../runner/template/index.js';
import { REPO_ROOT } from '../../../support/run-cli.js';

interface Case {
  readonly name: string;
  readonly template: string;
  readonly output: string;
}

const fixture = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/ansible/template-statements.json'), 'utf8')) as {
  vars: Record<string, unknown>;
  cases: Case[];
};

describe('template statements, as Ansible renders them (recorded)', () => {
  it('has the recorded cases', () => assert.ok(fixture.cases.length >= 40));
  for (const c of fixture.cases) {
    it(`${c.name}: ${JSON.stringify(c.template)}`, () => {
      assert.equal(renderTemplateFile(c.template, fixture.vars, 'x.j2'), c.output);
    });
  }
});
