#!/usr/bin/env node
// Regenerates test/fixtures/ansible/templates.json: what Ansible itself makes of each case in
// test/support/ansible-template-cases.txt, with the variables of test/support/ansible-template-vars.json.
// Needs ansible-core (Debian: apt-get install --no-install-recommends ansible-core); the unit test
// that reads the fixture does not. All cases run in ONE ansible-playbook run: a generated play
// (written as JSON, which YAML reads as it is, so no YAML quoting stands between a case and Jinja)
// with one debug task per case, ignore_errors on each, and the json stdout callback.
//   e EXPR  debug msg ["{{ EXPR }}", "{{ (EXPR) | type_debug }}"]: the rendered value and its Python type
//   t TEXT  debug msg TEXT: the rendered line
//   w COND  debug with when: COND: whether the task ran (or the error)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const casesFile = join(root, 'test/support/ansible-template-cases.txt');
const varsFile = join(root, 'test/support/ansible-template-vars.json');
const out = join(root, 'test/fixtures/ansible/templates.json');

const cases = [];
let group = '';
for (const line of readFileSync(casesFile, 'utf8').split('\n')) {
  if (line.startsWith('# ')) group = line.slice(2).trim();
  const m = /^([etw]) (.*)$/.exec(line);
  if (m !== null) cases.push({ kind: m[1], text: m[2], group });
}
const vars = JSON.parse(readFileSync(varsFile, 'utf8'));

const tasks = cases.map((c, i) => {
  const name = `case ${i}`;
  if (c.kind === 'e') return { name, debug: { msg: [`{{ ${c.text} }}`, `{{ (${c.text}) | type_debug }}`] }, ignore_errors: true };
  if (c.kind === 't') return { name, debug: { msg: c.text }, ignore_errors: true };
  return { name, debug: { msg: 'ran' }, when: c.text, ignore_errors: true };
});
const play = [{ hosts: 'localhost', connection: 'local', gather_facts: false, vars, tasks }];

const work = mkdtempSync(join(tmpdir(), 'ansible-templates-'));
try {
  writeFileSync(join(work, 'play.yml'), JSON.stringify(play, null, 1));
  const env = {
    ...process.env,
    ANSIBLE_STDOUT_CALLBACK: 'json',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_LOCALHOST_WARNING: '0',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: '0',
    ANSIBLE_DEPRECATION_WARNINGS: '0',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
  };
  delete env.SPARKBOOK_SURELY_UNSET_VAR;
  let stdout;
  try {
    stdout = execFileSync('ansible-playbook', ['-i', 'localhost,', join(work, 'play.yml')], { cwd: work, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // A failed (ignored) task still exits 0; anything else is a broken run.
    process.stderr.write(String(error.stdout ?? '') + String(error.stderr ?? ''));
    throw error;
  }
  const report = JSON.parse(stdout);
  const results = report.plays[0].tasks;
  if (results.length !== cases.length) throw new Error(`expected ${cases.length} task results, got ${results.length}`);
  const version = execFileSync('ansible', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const recorded = cases.map((c, i) => {
    const task = results[i];
    if (task.task.name !== `case ${i}`) throw new Error(`result ${i} is for ${task.task.name}`);
    const r = task.hosts.localhost;
    const base = { kind: c.kind, group: c.group, text: c.text };
    if (r.failed === true) return { ...base, error: String(r.msg) };
    if (c.kind === 'w') return { ...base, ran: r.skipped !== true };
    if (c.kind === 't') return { ...base, value: r.msg };
    return { ...base, value: r.msg[0], type: r.msg[1] };
  });
  const doc = {
    made_by: 'scripts/record-ansible-templates.mjs (rerun it to refresh; the unit test does not need Ansible)',
    ansible: version,
    vars,
    cases: recorded,
  };
  writeFileSync(out, `${JSON.stringify(doc, null, 1)}\n`);
  console.log(`wrote ${out} (${recorded.length} cases, ${recorded.filter((r) => r.error !== undefined).length} errors in Ansible)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
