// Records what Ansible's own text-editing modules (lineinfile, blockinfile) do to a file, as the
// oracle for our planners: test/fixtures/ansible/text-edits/MODULE.cases.json lists the cases
// (a file's content, or null for a missing file, and the module's params); this script runs them
// all in one `ansible-playbook -c local` on scratch files and writes MODULE.json beside it with
// Ansible's answer for each (the content after, changed, failed and its msg).
//
//   node scripts/record-ansible-text-edits.mjs lineinfile
//
// Needs `ansible-playbook` (Debian: apt-get install --no-install-recommends ansible-core) here;
// the tests that read MODULE.json do not.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const module = process.argv[2];
if (!module || !/^[a-z_]+$/.test(module)) {
  console.error('usage: node scripts/record-ansible-text-edits.mjs MODULE');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'test', 'fixtures', 'ansible', 'text-edits');
const cases = JSON.parse(readFileSync(join(dir, `${module}.cases.json`), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'sparkbook-oracle-'));
try {
  const tasks = cases.map((c, i) => {
    const path = join(work, `case-${i}`);
    if (c.content !== null) writeFileSync(path, c.content);
    // JSON is YAML: the params go through unchanged, whatever characters they hold.
    return { name: c.name, [`ansible.builtin.${module}`]: { ...c.params, path }, ignore_errors: true };
  });
  const playbook = join(work, 'play.yml');
  writeFileSync(playbook, JSON.stringify([{ hosts: 'localhost', gather_facts: false, tasks }]));
  const r = spawnSync('ansible-playbook', ['-c', 'local', '-i', 'localhost,', playbook], {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  const out = JSON.parse(r.stdout);
  const results = out.plays[0].tasks.map((t) => t.hosts.localhost);
  const version = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  const recorded = cases.map((c, i) => {
    const path = join(work, `case-${i}`);
    const res = results[i];
    return {
      ...c,
      ansible: {
        changed: res.changed === true,
        failed: res.failed === true,
        ...(res.failed === true ? { msg: String(res.msg).split(path).join('PATH') } : {}),
        after: existsSync(path) ? readFileSync(path, 'utf8') : null,
      },
    };
  });
  const header = `recorded by scripts/record-ansible-text-edits.mjs with ${version.trim()} (-c local); do not edit by hand`;
  writeFileSync(join(dir, `${module}.json`), `${JSON.stringify({ source: header, cases: recorded }, null, 2)}\n`);
  console.log(`${recorded.length} cases → test/fixtures/ansible/text-edits/${module}.json`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
