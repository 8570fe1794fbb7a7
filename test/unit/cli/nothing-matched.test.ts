// A selection that selects nothing (hosts: pattern, --limit, --tags, --skip-tags, --start-at-task)
// warns on stderr with a did-you-mean; with --strict (the default with --check
// --detailed-exitcode) it is an error: exit 2, and no host is contacted.
import assert from 'node:assert/strict';
import { runCli } from '../../support/run-cli.js';

const INV = 'test/fixtures/cli/sparks.ini';
const SELECTIONS = 'test/fixtures/cli/selections.yml';
const LOCAL = 'test/fixtures/cli/local.yml';

describe('nothing-matched warnings', function () {
  this.timeout(30_000);

  it('validate warns of a hosts: pattern that matches no host, located, with the near group name', async () => {
    const r = await runCli(['validate', SELECTIONS, '-i', INV]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: test\/fixtures\/cli\/selections\.yml:2:3: play 'on the sparks': hosts pattern 'sprks' matches no host in the inventory \(did you mean 'sparks'\?\)$/m);
    assert.match(r.stderr, /play 'on this machine': hosts pattern 'localhost' matches no host/);
  });

  it('validate --strict makes the same finding an error (exit 2)', async () => {
    const r = await runCli(['validate', SELECTIONS, '-i', INV, '--strict']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /hosts pattern 'sprks' matches no host in the inventory \(did you mean 'sparks'\?\) \(an error with --strict\)/);
  });

  it('run warns of an unknown tag, an unknown --skip-tags tag and a misspelt --start-at-task, then runs', async () => {
    const r = await runCli(['run', LOCAL, '--tags', 'gret', '--skip-tags', 'farwell', '--start-at-task', 'say helo', '--output', 'plain']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: --tags: no task has the tag 'gret' \(did you mean 'greet'\?\)$/m);
    assert.match(r.stderr, /^warning: --skip-tags: no task has the tag 'farwell' \(did you mean 'farewell'\?\)$/m);
    assert.match(r.stderr, /^warning: --start-at-task: no task is named 'say helo' \(did you mean 'say hello'\?\)$/m);
    assert.match(r.stdout, /RECAP/);
  });

  it('does not warn of special tags (all, tagged, untagged, always, never) or of names that exist', async () => {
    const r = await runCli(['run', LOCAL, '--tags', 'greet,all,tagged,untagged,always,never', '--start-at-task', 'say hello', '--output', 'plain']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
  });

  it('a --limit term that matches nothing warns with the near host name', async () => {
    const r = await runCli(['run', LOCAL, '--limit', 'localhost,lcalhost', '--output', 'plain']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: --limit: 'lcalhost' matches no host \(did you mean 'localhost'\?\)$/m);
  });

  it('run --strict exits 2 on each, all listed, before any host is contacted', async () => {
    const t0 = Date.now();
    const r = await runCli(['run', SELECTIONS, '-i', INV, '--tags', 'gret', '--start-at-task', 'nope', '--strict', '--timeout', '5']);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 4, r.stderr);
    assert.match(r.stderr, /hosts pattern 'sprks'/);
    assert.match(r.stderr, /--tags: no task has the tag 'gret'/);
    assert.match(r.stderr, /--start-at-task: no task is named 'nope'/);
    assert.equal(r.stdout, '', 'no run started');
    assert.ok(Date.now() - t0 < 5000, 'no connection was attempted');
  });

  it('--check --detailed-exitcode is strict by default, and --no-strict turns it back into warnings', async () => {
    const strict = await runCli(['run', LOCAL, '--check', '--detailed-exitcode', '--tags', 'gret']);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /no task has the tag 'gret' \(did you mean 'greet'\?\) \(an error with --check --detailed-exitcode, which implies --strict/);
    const loose = await runCli(['run', LOCAL, '--check', '--detailed-exitcode', '--tags', 'gret', '--no-strict', '--output', 'plain']);
    assert.equal(loose.code, 0, loose.stderr);
    assert.match(loose.stderr, /^warning: --tags: no task has the tag 'gret'/m);
  });

  it('refuses --strict with --no-strict', async () => {
    const r = await runCli(['run', LOCAL, '--strict', '--no-strict']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--strict and --no-strict contradict each other/);
  });
});
