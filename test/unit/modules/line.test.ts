// Tests modules/line.ts: plan cases from fixtures, and real edits under /bin/sh.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { convergeHere, describeFixtures } from './fixtures.js';

const line = findModule('line') as AnyModule;

describeFixtures(line);

describe('line module scripts under /bin/sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-line-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a commented default and keeps the rest of the file and its mode', () => {
    const f = join(dir, 'sshd_config');
    writeFileSync(f, 'Include x\n#PasswordAuthentication yes\nUsePAM yes\n', { mode: 0o600 });
    convergeHere(line, { path: 'sshd_config', regexp: '^#?PasswordAuthentication ', line: 'PasswordAuthentication no' }, dir);
    assert.equal(readFileSync(f, 'utf8'), 'Include x\nPasswordAuthentication no\nUsePAM yes\n');
    assert.equal(statSync(f).mode & 0o7777, 0o600);
    assert.deepEqual(readdirSync(dir), ['sshd_config']);
  });

  it('adds a newline before appending to a file that lacks one', () => {
    writeFileSync(join(dir, 'f'), 'a');
    convergeHere(line, { path: 'f', line: 'b' }, dir);
    assert.equal(readFileSync(join(dir, 'f'), 'utf8'), 'a\nb\n');
  });

  it('creates the file with create: true and the given mode', () => {
    convergeHere(line, { path: 'new.conf', line: 'wireguard', create: true, mode: '0640' }, dir);
    assert.equal(readFileSync(join(dir, 'new.conf'), 'utf8'), 'wireguard\n');
    assert.equal(statSync(join(dir, 'new.conf')).mode & 0o7777, 0o640);
  });

  it('writes hostile lines byte for byte and executes none of them', () => {
    const canary = join(dir, 'PWNED');
    const values = [`$(touch ${canary})`, `\`touch ${canary}\``, `'; touch ${canary}; '`, `";touch ${canary};"`, '-e \\n %s \\\\', `;rm -rf ${dir}`];
    writeFileSync(join(dir, 'f'), '');
    for (const v of values) convergeHere(line, { path: 'f', line: v }, dir);
    assert.equal(readFileSync(join(dir, 'f'), 'utf8'), values.map((v) => `${v}\n`).join(''));
    assert.equal(existsSync(canary), false);
    for (const v of values) convergeHere(line, { path: 'f', line: v, state: 'absent' }, dir);
    assert.equal(readFileSync(join(dir, 'f'), 'utf8'), '');
  });

  it('edits a file whose name starts with a dash', () => {
    writeFileSync(join(dir, '-n'), 'x\n');
    convergeHere(line, { path: '-n', line: 'y' }, dir);
    assert.equal(readFileSync(join(dir, '-n'), 'utf8'), 'x\ny\n');
  });
});
