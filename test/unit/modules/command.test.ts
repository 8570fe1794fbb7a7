// Tests modules/command.ts: plan cases from fixtures, and commands run for real under /bin/sh.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { applyHere, describeFixtures, planHere, prepare, type ShellRun } from './fixtures.js';

const command = findModule('command') as AnyModule;

describeFixtures(command);

describe('command module scripts under /bin/sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-command-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (params: Record<string, unknown>, secret: readonly string[] = []): ShellRun | null => {
    const valid = prepare(command, params, secret);
    assert.ok(valid, 'params should be valid');
    const changes = planHere(command, valid, dir);
    return changes.length === 0 ? null : applyHere(changes, dir);
  };

  it('passes argv elements through untouched, hostile ones included', () => {
    const canary = join(dir, 'PWNED');
    const args = [`$(touch ${canary})`, `\`touch ${canary}\``, "it's", '"q"', 'a\nb', '-n', `;rm -rf ${dir}`, ''];
    const r = run({ argv: ['printf', '[%s]', ...args] });
    assert.equal(r?.status, 0);
    assert.equal(r?.stdout, args.map((a) => `[${a}]`).join(''));
    assert.equal(existsSync(canary), false);
  });

  it('runs cmd through sh -c, with pipes', () => {
    const r = run({ cmd: 'printf "a\\nb\\n" | wc -l' });
    assert.equal(r?.stdout.trim(), '2');
  });

  it('reports the exit status of a failing command', () => {
    const r = run({ cmd: 'echo oops >&2; exit 3' });
    assert.equal(r?.status, 3);
    assert.equal(r?.stderr, 'oops\n');
  });

  it('runs in chdir, and resolves creates relative to it', () => {
    mkdirSync(join(dir, 'work dir'));
    const params = { cmd: 'pwd > out; touch made', chdir: join(dir, 'work dir'), creates: 'made' };
    const r = run(params);
    assert.equal(r?.status, 0);
    assert.equal(readFileSync(join(dir, 'work dir', 'out'), 'utf8'), `${join(dir, 'work dir')}\n`);
    assert.equal(run(params), null, 'creates exists now: the command must not run again');
  });

  it('skips the command while removes is missing', () => {
    assert.equal(run({ argv: ['touch', 'ran'], removes: join(dir, 'trigger') }), null);
    writeFileSync(join(dir, 'trigger'), '');
    assert.equal(run({ argv: ['touch', 'ran'], removes: join(dir, 'trigger') })?.status, 0);
    assert.ok(existsSync(join(dir, 'ran')));
  });

  it('feeds stdin byte for byte (plus the newline Ansible adds) and nothing else', () => {
    const stdin = `$(touch x) 'q' "d" \\ %s`;
    assert.equal(run({ argv: ['cat'], stdin })?.stdout, `${stdin}\n`);
    assert.equal(run({ argv: ['cat'], stdin, stdin_add_newline: false })?.stdout, stdin);
    assert.equal(existsSync(join(dir, 'x')), false);
  });

  it('gives a command /dev/null as stdin so it cannot eat the rest of the script', () => {
    const r = run({ argv: ['cat'] });
    assert.equal(r?.status, 0);
    assert.equal(r?.stdout, '');
  });

  it('runs a Secret cmd while its printable script shows only the mask', () => {
    const valid = prepare(command, { cmd: 'echo s3cr3t-value-123' }, ['cmd']);
    assert.ok(valid);
    const changes = planHere(command, valid, dir);
    assert.ok(!String(changes[0]?.script).includes('s3cr3t-value-123'));
    assert.equal(applyHere(changes, dir).stdout, 's3cr3t-value-123\n');
  });
});
