// Records one machine's facts twice, by Ansible's setup module and by our facts script, into
// test/fixtures/ansible/facts/NAME/ (the oracle pair test/unit/runner/facts/ansible.test.ts reads).
//
//   npm run -s build && node scripts/record-ansible-facts.mjs NAME [--ssh USER@HOST]
//
// Needs `ansible` (Debian: apt-get install --no-install-recommends ansible-core) on this machine.
// Without --ssh it records this machine over a local connection; with it, the host over ssh (the
// setup module then needs Python there, which only this recording does). Both run as the same
// user, so user_id agrees. Only the Ansible names we alias (and a few we knowingly do not) are
// kept: `ansible_env`, serials and keys stay out of the repository.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { factsScript } from '../dist/runner/facts/script.js';
import { ANSIBLE_FACT_ALIASES, interfaceKey } from '../dist/runner/facts/ansible.js';

const args = process.argv.slice(2);
const name = args[0];
const sshAt = args.indexOf('--ssh');
const target = sshAt >= 0 ? args[sshAt + 1] : undefined;
if (!name || !/^[a-z0-9][a-z0-9._-]*$/.test(name) || (sshAt >= 0 && !target)) {
  console.error('usage: node scripts/record-ansible-facts.mjs NAME [--ssh USER@HOST]');
  process.exit(2);
}

/** Names recorded although we do not alias them: the test says why each differs or is absent. */
const ALSO_RECORDED = ['processor_count', 'kernel_version', 'distribution_minor_version'];

function run(cmd, argv, input) {
  const r = spawnSync(cmd, argv, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

const script = factsScript().raw();
const ours = target === undefined ? run('sh', ['-s'], script) : run('ssh', ['-o', 'BatchMode=yes', target, 'sh -s'], script);
if (!ours.stdout.includes('@@sparkbook:end')) throw new Error(`the facts script did not finish:\n${ours.stderr}`);

const setup = target === undefined
  ? run('ansible', ['localhost', '-m', 'setup', '-c', 'local'])
  : run('ansible', ['all', '-i', `${target.replace(/^.*@/, '')},`, ...(target.includes('@') ? ['-u', target.replace(/@.*$/, '')] : []), '-m', 'setup']);
const json = setup.stdout.slice(setup.stdout.indexOf('{'));
const all = JSON.parse(json).ansible_facts;
const version = run('ansible', ['--version']).stdout.split('\n')[0].trim();

const keep = [...Object.keys(ANSIBLE_FACT_ALIASES), ...ALSO_RECORDED].map((n) => `ansible_${n}`);
for (const iface of all.ansible_interfaces ?? []) keep.push(`ansible_${interfaceKey(iface)}`);
const kept = {};
for (const key of keep.sort()) if (Object.hasOwn(all, key)) kept[key] = all[key];
// Link speed and promiscuity are sysfs reads we do not make; pciid is a driver detail.
for (const key of Object.keys(kept)) {
  const v = kept[key];
  if (v && typeof v === 'object' && !Array.isArray(v) && 'device' in v) {
    for (const k of ['speed', 'promisc', 'pciid', 'module', 'features', 'timestamping', 'hw_timestamp_filters', 'perm_macaddress']) delete v[k];
  }
}

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'ansible', 'facts', name);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'sparkbook.txt'), ours.stdout);
writeFileSync(join(dir, 'ansible.json'), `${JSON.stringify({
  recorded: new Date().toISOString().slice(0, 10),
  how: target === undefined ? 'ansible localhost -m setup -c local; sh -s < factsScript() (all groups), same user' : `ansible -m setup over ssh to ${target}; ssh ${target} sh -s < factsScript()`,
  ansible: version,
  ansible_facts: kept,
}, null, 2)}\n`);
console.log(`recorded ${Object.keys(kept).length} Ansible facts and our facts script output in ${dir}`);
