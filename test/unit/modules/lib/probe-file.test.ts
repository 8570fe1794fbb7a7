// Tests modules/lib/probe-file.ts: the stat probe run under /bin/sh on awkward files, and its parser.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkfifoSync } from './fs-shim.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parseSections, section } from '../../../../modules/lib/parse.js';
import { MISSING_FILE, parseObservedFile, statScript, type ObservedFile } from '../../../../modules/lib/probe-file.js';

function observe(path: string, cwd: string, max = 65536): ObservedFile {
  const r = spawnSync('/bin/sh', ['-s'], { input: section('file', statScript(path, max)).raw(), cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return parseObservedFile(parseSections(r.stdout).get('file') ?? []);
}

describe('statScript and parseObservedFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-stat-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a text file: mode, owner, size, sha256 and content', () => {
    writeFileSync(join(dir, 'f'), 'a\nb', { mode: 0o640 });
    const o = observe('f', dir);
    assert.equal(o.type, 'file');
    assert.equal(o.mode, '0640');
    assert.equal(o.size, 3);
    assert.equal(o.content, 'a\nb');
    assert.equal(o.sha256, createHash('sha256').update('a\nb').digest('hex'));
    assert.equal(o.binary, false);
  });

  it('marks binary content as binary, with no text', () => {
    writeFileSync(join(dir, 'b'), Buffer.from([0, 255, 1, 2]));
    const o = observe('b', dir);
    assert.equal(o.binary, true);
    assert.equal(o.content, null);
    assert.ok(o.sha256);
  });

  it('does not read content above the limit, but still hashes it', () => {
    writeFileSync(join(dir, 'big'), 'x'.repeat(100));
    const o = observe('big', dir, 10);
    assert.equal(o.content, null);
    assert.equal(o.binary, false);
    assert.ok(o.sha256);
  });

  it('reads a symlink itself, with a byte-exact target (a trailing newline included)', () => {
    symlinkSync('target with spaces\n', join(dir, 'l'));
    const o = observe('l', dir);
    assert.equal(o.type, 'link');
    assert.equal(o.linkTarget, 'target with spaces\n');
    assert.equal(o.content, null);
  });

  it('handles names with newlines, quotes and a leading dash', () => {
    const name = "-x 'q'\n$(y)";
    writeFileSync(join(dir, name), 'ok');
    assert.equal(observe(name, dir).content, 'ok');
  });

  it('reports a fifo as other, without blocking on it', () => {
    mkfifoSync(join(dir, 'p'));
    const o = observe('p', dir);
    assert.equal(o.type, 'other');
    assert.equal(o.content, null);
  });

  it('reports a missing path as missing', () => {
    assert.deepEqual(observe('nope', dir), MISSING_FILE);
  });

  it('parses garbage into nulls instead of throwing', () => {
    const o = parseObservedFile(['exists 1', 'mode 9x', 'uid abc', 'sha256 short', 'type weird']);
    assert.deepEqual([o.exists, o.mode, o.uid, o.sha256, o.type], [true, null, null, null, null]);
  });
});
