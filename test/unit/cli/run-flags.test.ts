// ansible-playbook's flags on `sparkbook run`: -u, --private-key/--key-file, -k, -b, --become-user,
// --become-method, -v…, --list-hosts, --list-tasks, --syntax-check, --flush-cache.
import assert from 'node:assert/strict';
import { runCli } from '../../support/run-cli.js';

const INV = 'test/fixtures/cli/sparks.ini';
const SELECTIONS = 'test/fixtures/cli/selections.yml';
const LOCAL = 'test/fixtures/cli/local.yml';
const VERBOSE = 'test/fixtures/cli/verbose.yml';

describe('sparkbook run with Ansible flags', function () {
  this.timeout(30_000);

  it('documents every Ansible flag in run --help', async () => {
    const r = await runCli(['run', '--help']);
    assert.equal(r.code, 0);
    for (const flag of ['-u, --user', '--private-key', '--key-file', '-k, --ask-pass', '-b, --become', '--become-user', '--become-method', '-v, --verbose', '--list-hosts', '--list-tasks', '--syntax-check', '--flush-cache', '--strict', '-f, --forks', '-e, --extra-vars']) {
      assert.ok(r.stdout.includes(flag), `--help names ${flag}`);
    }
    assert.match(r.stdout, /--flush-cache\s+accepted and ignored: sparkbook keeps no fact cache/);
  });

  it('--list-hosts prints each play and its hosts as ansible-playbook does, after --limit, contacting none', async () => {
    const r = await runCli(['run', LOCAL, '-i', INV, '--list-hosts', '--limit', 'spark-02']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `\nplaybook: ${LOCAL}\n\n  play #1 (all): on this machine\tTAGS: []\n    pattern: ['all']\n    hosts (1):\n      spark-02\n`);
  });

  it('--list-tasks lists the tasks that --tags and --start-at-task leave, with their tags', async () => {
    const all = await runCli(['run', LOCAL, '--list-tasks']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /    tasks:\n      say hello\tTAGS: \[greet\]\n      say goodbye\tTAGS: \[farewell\]\n$/);
    const tagged = await runCli(['run', LOCAL, '--list-tasks', '--tags', 'farewell']);
    assert.match(tagged.stdout, /    tasks:\n      say goodbye\tTAGS: \[farewell\]\n$/);
    const started = await runCli(['run', LOCAL, '--list-tasks', '--start-at-task', 'say goodbye']);
    assert.doesNotMatch(started.stdout, /say hello/);
    assert.match(started.stdout, /say goodbye/);
  });

  it('--list-tasks says when --limit leaves a play no host', async () => {
    const r = await runCli(['run', SELECTIONS, '-i', INV, '--list-tasks', '--limit', 'spark-01']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /play #1 \(sprks\): on the sparks\tTAGS: \[\]\n    \(no host selected: the play is skipped\)/);
  });

  it('--syntax-check exits 0 on a good playbook and 2 with the located error on a bad one', async () => {
    const good = await runCli(['run', LOCAL, '--syntax-check']);
    assert.equal(good.code, 0, good.stderr);
    assert.equal(good.stdout, `\nplaybook: ${LOCAL}\n`);
    const bad = await runCli(['run', 'test/fixtures/bad/playbook-unknown-module.yml', '--syntax-check']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^test\/fixtures\/bad\/playbook-unknown-module\.yml:\d+:\d+: /);
  });

  it('accepts --flush-cache and runs as without it', async () => {
    const r = await runCli(['run', LOCAL, '--flush-cache', '--output', 'plain']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ok +localhost \| on this machine \| say hello: hello/);
  });

  it('-v shows each command\'s stdout, stderr and rc, masks key material and hides no_log output', async () => {
    const r = await runCli(['run', VERBOSE, '-v']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /changed +localhost \| output \| speak \[[^\]]+\]\n(?: +.*\n)*? {4}stdout:\n {6}to-stdout\n {4}stderr:\n {6}to-stderr\n {4}rc: 0\n/);
    assert.ok(!r.stdout.includes('c2VjcmV0LWtleS1ib2R5'), 'the key body is masked');
    assert.ok(!r.stdout.includes('42-hidden-by-no-log'), 'no_log output is not shown');
    const quiet = await runCli(['run', VERBOSE, '--output', 'plain']);
    assert.doesNotMatch(quiet.stdout, /^ {4}stdout:$/m, 'without -v there is no command output');
  });

  it('-vv adds the module\'s other return values; -vvv the connection of each host', async () => {
    const vv = await runCli(['run', LOCAL, '-vv']);
    assert.equal(vv.code, 0, vv.stderr);
    assert.doesNotMatch(vv.stdout, /^ {4}msg: /m, 'a message already on the status line is not repeated');
    const vvv = await runCli(['run', LOCAL, '-vvv']);
    assert.match(vvv.stdout, /^connect +localhost \| local, as /m);
  });

  it('-u and --private-key reach the connection of a host whose inventory sets neither', async () => {
    const r = await runCli(['run', LOCAL, '-i', INV, '--limit', 'spark-01', '-u', 'bob', '--private-key', '/keys/flag_key', '-vvv', '--timeout', '1', '-F', '/dev/null']);
    assert.match(r.stdout, /^connect +spark-01 \| ssh bob@192\.0\.2\.1:22, auth: key \/keys\/flag_key/m);
    assert.equal(r.code, 4, 'the TEST-NET host is unreachable');
    const alias = await runCli(['run', LOCAL, '-i', INV, '--limit', 'spark-01', '--key-file', '/keys/k2', '-vvv', '--timeout', '1', '-F', '/dev/null']);
    assert.match(alias.stdout, /auth: key \/keys\/k2/);
  });

  it('refuses -k without a terminal, a become method other than sudo, and both key flags at once', async () => {
    const k = await runCli(['run', LOCAL, '-k']);
    assert.equal(k.code, 2);
    assert.match(k.stderr, /-k needs a terminal to ask for the SSH password/);
    const su = await runCli(['run', LOCAL, '--become-method', 'su']);
    assert.equal(su.code, 2);
    assert.match(su.stderr, /--become-method su is not supported: sparkbook becomes with sudo only/);
    const both = await runCli(['run', LOCAL, '--private-key', 'a', '--key-file', 'b']);
    assert.equal(both.code, 2);
    const two = await runCli(['run', LOCAL, '--list-hosts', '--list-tasks']);
    assert.equal(two.code, 2);
    assert.match(two.stderr, /--list-hosts and --list-tasks cannot be combined/);
  });
});
