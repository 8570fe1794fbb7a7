// The editor schema (schema/playbook.schema.json, what yaml-language-server reads) against our own
// playbooks: every shipped playbook must pass it, as `sparkbook validate` passes them, and a
// wrong value must still fail it, so the schema is neither stricter nor looser than we are.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../../support/run-cli.js';

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schema/playbook.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const playbookDir = join(REPO_ROOT, 'playbooks');
const playbook = (text: string): unknown => parse(text) as unknown;

describe('the editor schema', () => {
  for (const file of readdirSync(playbookDir).filter((f) => f.endsWith('.yml'))) {
    it(`accepts the shipped playbook ${file}, templated mappings and lists included`, () => {
      const ok = validate(playbook(readFileSync(join(playbookDir, file), 'utf8')));
      assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 3)));
    });
  }

  it('accepts one template for a mapping or a list param, and the key=value and FQCN forms', () => {
    const ok = validate(playbook(`- hosts: all
  tasks:
    - sshd_config: { settings: "{{ hardening }}" }
    - ansible.builtin.apt: { name: "{{ packages }}" }
    - ansible.builtin.apt: name=ufw state=present
`));
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 3)));
  });

  it('still refuses a wrong value, an untemplated string for a mapping, and an unknown module', () => {
    for (const task of ['sysctl: { name: net.ipv4.ip_forward, value: "1", state: sideways }', 'sshd_config: { settings: plain }', 'no_such_module: {}']) {
      assert.equal(validate(playbook(`- hosts: all\n  tasks:\n    - ${task}\n`)), false, task);
    }
  });
});
