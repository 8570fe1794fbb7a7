// Tests of runner/executor/controller-files.ts beyond rule 12's (test/unit/runner/load/controller-files.test.ts):
// a file read once for many hosts and items is still read afresh when it changes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../../modules/index.js';
import { readControllerFiles } from '../../../../runner/executor/controller-files.js';
import type { AnyModule } from '../../../../runner/module.js';

describe('runner/executor/controller-files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-controller-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the same file for each scope, and reads it again once it changed (same size included)', () => {
    const file = join(dir, 't.j2');
    writeFileSync(file, 'a={{ x }}');
    const template = findModule('template') as AnyModule;
    const task = { baseDirs: [dir], paramWhere: {} } as never;
    const content = (x: number): unknown => readControllerFiles(template, task, { src: 't.j2' }, { x }).get('src')?.content;
    assert.equal(content(1), 'a=1');
    assert.equal(content(2), 'a=2');
    writeFileSync(file, 'b={{ x }}');
    // A kernel with coarse timestamps may give two quick writes one mtime: this one is told apart.
    utimesSync(file, new Date(2001, 1, 1), new Date(2001, 1, 1));
    assert.equal(content(3), 'b=3');
    writeFileSync(file, 'a much longer {{ x }}');
    assert.equal(content(4), 'a much longer 4');
  });

  it('refuses a file that became binary after it was read as text', () => {
    const file = join(dir, 'c');
    writeFileSync(file, 'text');
    const copy = findModule('copy') as AnyModule;
    const task = { baseDirs: [dir], paramWhere: {} } as never;
    assert.equal(readControllerFiles(copy, task, { src: 'c' }, {}).get('src')?.content, 'text');
    writeFileSync(file, new Uint8Array([0, 255, 1, 2]));
    assert.throws(() => readControllerFiles(copy, task, { src: 'c' }, {}), /not UTF-8 text/);
  });
});
