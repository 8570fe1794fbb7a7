// A literal regular expression param that cannot compile is bad input: `sparkbook validate` (and
// `run`, which loads the same way) refuses it at its FILE:LINE:COL, exit 2, before any host is
// contacted. Editors cannot check Python patterns, so this lives apart from the constraints table.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/run-cli.js';

const CASES: readonly { readonly task: string; readonly col: number; readonly message: string }[] = [
  { task: "lineinfile: { path: /x, regexp: '^(Port', line: Port 22 }", col: 39, message: "'regexp' is not a usable regular expression: invalid regular expression '^(Port'" },
  { task: "lineinfile: { path: /x, line: a, insertafter: '[' }", col: 53, message: "'insertafter' is not a usable regular expression" },
  { task: "blockinfile: { path: /x, block: a, insertbefore: '(?x)a' }", col: 56, message: "'insertbefore' is not a usable regular expression: the Python flag (?x) is not supported" },
];

describe('sparkbook validate: regular expression params', () => {
  for (const c of CASES) {
    it(`refuses ${c.task} at the value, exit 2`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sparkbook-regex-'));
      try {
        const file = join(dir, 'pb.yml');
        writeFileSync(file, `- hosts: all\n  tasks:\n    - ${c.task}\n`);
        const r = await runCli(['validate', file]);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.ok(r.stderr.startsWith(`${file}:3:${c.col}: ${c.message}`), r.stderr);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('accepts a usable pattern and leaves a templated one to the module', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparkbook-regex-'));
    try {
      const file = join(dir, 'pb.yml');
      writeFileSync(file, `- hosts: all\n  vars: { key: Port }\n  tasks:\n    - lineinfile: { path: /x, regexp: '^(?P<k>Port) ', line: Port 22 }\n    - lineinfile: { path: /x, regexp: '^{{ key }}(', line: x }\n`);
      const r = await runCli(['validate', file]);
      assert.equal(r.code, 0, r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
