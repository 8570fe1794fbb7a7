// Tests modules/file.ts: plan cases from fixtures, and its scripts run for real under /bin/sh.
import { strict as assert } from 'node:assert';
import { chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { Secret } from '../../../runner/shell/secret.js';
import { applyHere, convergeHere, describeFixtures, planHere, prepare } from './fixtures.js';

const file = findModule('file') as AnyModule;

describeFixtures(file);

describe('file module scripts under /bin/sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const leftovers = (d: string): string[] => readdirSync(d).filter((n) => n.startsWith('.sparkbook.'));

  it('writes a new file atomically with the given mode and leaves no temp file', () => {
    const changes = convergeHere(file, { path: 'motd', content: 'hello\n', mode: '0640' }, dir);
    assert.deepEqual(changes.map((c) => c.action), ['+']);
    assert.equal(readFileSync(join(dir, 'motd'), 'utf8'), 'hello\n');
    assert.equal(statSync(join(dir, 'motd')).mode & 0o7777, 0o640);
    assert.deepEqual(leftovers(dir), []);
  });

  it('keeps the mode of a file it rewrites when no mode is given', () => {
    writeFileSync(join(dir, 'f'), 'old\n', { mode: 0o600 });
    convergeHere(file, { path: 'f', content: 'new\n' }, dir);
    assert.equal(readFileSync(join(dir, 'f'), 'utf8'), 'new\n');
    assert.equal(statSync(join(dir, 'f')).mode & 0o7777, 0o600);
  });

  it('keeps the owner of a file it rewrites when only the group is given (runs as root)', () => {
    writeFileSync(join(dir, 'owned'), 'old\n');
    chownSync(join(dir, 'owned'), 65534, 65534);
    convergeHere(file, { path: 'owned', content: 'new\n', group: '0' }, dir);
    const st = statSync(join(dir, 'owned'));
    assert.deepEqual([st.uid, st.gid], [65534, 0]);
  });

  it('writes binary-unsafe text byte for byte: no trailing newline, CRLF, tabs, backslashes, UTF-8', () => {
    const content = 'a\r\nb\tc\\n%s %d\n\n\nnon-ascii: é ✓ 🚀\nno newline at end';
    convergeHere(file, { path: 'f', content }, dir);
    assert.equal(readFileSync(join(dir, 'f'), 'utf8'), content);
  });

  it('writes an empty content as an empty file', () => {
    convergeHere(file, { path: 'empty', content: '' }, dir);
    assert.equal(readFileSync(join(dir, 'empty'), 'utf8'), '');
  });

  it('writes content over 64KiB, and shows no diff text for it', () => {
    const content = 'x'.repeat(200_000) + '\n';
    const changes = convergeHere(file, { path: 'big', content }, dir);
    assert.equal(readFileSync(join(dir, 'big'), 'utf8'), content);
    assert.equal(changes[0]?.diff?.after, '(binary or >64KiB content)');
  });

  it('fails without leaving a temp file when the directory is missing', () => {
    const params = prepare(file, { path: 'nodir/f', content: 'x' });
    assert.ok(params);
    const run = applyHere(planHere(file, params, dir), dir);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /directory \.\/nodir does not exist/);
    assert.equal(existsSync(join(dir, 'nodir')), false);
  });

  it('removes its temp file when the write fails after mktemp', () => {
    mkdirSync(join(dir, 'target-is-dir'));
    writeFileSync(join(dir, 'target-is-dir', 'inner'), 'keep');
    // A directory appears where the plan expected a file: mv -T refuses, the trap cleans up.
    const params = prepare(file, { path: 'target-is-dir', content: 'x' });
    assert.ok(params);
    const changes = file.plan(params, { exists: false, type: null, mode: null, uid: null, owner: null, gid: null, group: null, size: null, sha256: null, linkTarget: null, content: null, binary: false }, {} as never, { expressions: new Map() });
    const run = applyHere(changes, dir);
    assert.notEqual(run.status, 0);
    assert.deepEqual(leftovers(dir), []);
    assert.equal(readFileSync(join(dir, 'target-is-dir', 'inner'), 'utf8'), 'keep');
  });

  it('creates directories with parents, and fixes their mode', () => {
    convergeHere(file, { path: 'a/b/c', state: 'directory', mode: '0750' }, dir);
    assert.equal(statSync(join(dir, 'a/b/c')).mode & 0o7777, 0o750);
    convergeHere(file, { path: 'a/b/c', state: 'directory', mode: 'g-x' }, dir);
    assert.equal(statSync(join(dir, 'a/b/c')).mode & 0o7777, 0o740);
  });

  it('creates and retargets a symlink', () => {
    convergeHere(file, { path: 'ln', state: 'link', src: '/etc/hostname' }, dir);
    assert.equal(readlinkSync(join(dir, 'ln')), '/etc/hostname');
    convergeHere(file, { path: 'ln', state: 'link', src: 'relative target' }, dir);
    assert.equal(readlinkSync(join(dir, 'ln')), 'relative target');
    assert.deepEqual(leftovers(dir), []);
  });

  it('replaces a file by a link with force', () => {
    writeFileSync(join(dir, 'f'), 'x');
    convergeHere(file, { path: 'f', state: 'link', src: 'elsewhere', force: true }, dir);
    assert.ok(lstatSync(join(dir, 'f')).isSymbolicLink());
  });

  it('removes files and directories, then converges', () => {
    mkdirSync(join(dir, 'd/e'), { recursive: true });
    writeFileSync(join(dir, 'd/e/f'), 'x');
    convergeHere(file, { path: 'd', state: 'absent' }, dir);
    assert.equal(existsSync(join(dir, 'd')), false);
  });

  it('touch creates an empty file once and then is ok', () => {
    const changes = convergeHere(file, { path: 't', state: 'touch' }, dir);
    assert.equal(changes.length, 1);
    assert.equal(readFileSync(join(dir, 't'), 'utf8'), '');
  });

  it('writes a Secret content with mode 0600 while its printable script shows no secret', () => {
    const value = 'PrivateKey = c2VjcmV0LWtleS12YWx1ZQ==';
    const params = prepare(file, { path: 'wg.key', content: value }, ['content']);
    assert.ok(params && params.content instanceof Secret);
    const changes = planHere(file, params, dir);
    const b64 = Buffer.from(value).toString('base64');
    for (const c of changes) {
      assert.ok(!String(c.script).includes(b64) && !String(c.script).includes(value));
      assert.ok(!c.summary.includes(value));
      assert.ok(c.diff?.after instanceof Secret);
    }
    assert.equal(applyHere(changes, dir).status, 0);
    assert.equal(readFileSync(join(dir, 'wg.key'), 'utf8'), value);
    assert.equal(statSync(join(dir, 'wg.key')).mode & 0o7777, 0o600);
    assert.deepEqual(planHere(file, params, dir), []);
  });
});

describe('file module against hostile values', () => {
  let dir: string;
  let canary: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-hostile-'));
    canary = join(dir, 'PWNED');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const hostile = (c: string): string[] => [
    `$(touch ${c})`,
    `\`touch ${c}\``,
    `'; touch ${c}; '`,
    `"; touch ${c}; "`,
    `x\ntouch ${c}\n`,
    `;rm -rf ${dir}; touch ${c}`,
    `$((1+1)) \${HOME} $HOME \\ \\\\ '' "" %s %n`,
    '-rf',
    '--help',
    '-',
  ];

  it('writes every hostile string as content byte for byte and executes none', () => {
    hostile(canary).forEach((value, i) => {
      convergeHere(file, { path: `c${i}`, content: value }, dir);
      assert.equal(readFileSync(join(dir, `c${i}`), 'utf8'), value);
    });
    assert.equal(existsSync(canary), false);
  });

  it('uses every hostile string as a path (leading dashes included) and executes none', () => {
    hostile(canary)
      .filter((v) => !v.includes('/'))
      .forEach((name) => {
        convergeHere(file, { path: name, content: name, mode: '0600' }, dir);
        assert.equal(readFileSync(join(dir, name), 'utf8'), name);
        assert.equal(statSync(join(dir, name)).mode & 0o7777, 0o600);
        convergeHere(file, { path: name, state: 'absent' }, dir);
        assert.equal(existsSync(join(dir, name)), false);
      });
    assert.equal(existsSync(canary), false);
    assert.ok(existsSync(dir));
  });

  it('uses hostile strings as link targets and executes none', () => {
    hostile(canary).forEach((value, i) => {
      convergeHere(file, { path: `l${i}`, state: 'link', src: value }, dir);
      assert.equal(readlinkSync(join(dir, `l${i}`)), value);
    });
    assert.equal(existsSync(canary), false);
  });

  it('creates hostile directory names with -p semantics and executes none', () => {
    convergeHere(file, { path: '-p/$(touch x)/--', state: 'directory' }, dir);
    assert.ok(statSync(join(dir, '-p/$(touch x)/--')).isDirectory());
    assert.equal(existsSync(join(dir, 'x')), false);
  });
});
