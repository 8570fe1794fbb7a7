// Tests modules/blockinfile.ts: plan cases from fixtures, and real edits under /bin/sh.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { convergeHere, describeFixtures } from './fixtures.js';

const blockinfile = findModule('blockinfile') as AnyModule;

describeFixtures(blockinfile);

describe('blockinfile module scripts under /bin/sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-block-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers to ansible.builtin.blockinfile', () => assert.equal(findModule('ansible.builtin.blockinfile'), blockinfile));

  it('adds, updates and removes a block, keeping the other lines byte for byte', () => {
    const f = join(dir, 'hosts');
    writeFileSync(f, '127.0.0.1 localhost\r\n::1 localhost\n');
    const marker = '# {mark} sparkbook fleet';
    convergeHere(blockinfile, { path: 'hosts', marker, block: '10.20.0.11 spark-01' }, dir);
    assert.equal(readFileSync(f, 'utf8'), '127.0.0.1 localhost\r\n::1 localhost\n# BEGIN sparkbook fleet\n10.20.0.11 spark-01\n# END sparkbook fleet\n');
    convergeHere(blockinfile, { path: 'hosts', marker, block: '10.20.0.11 spark-01\n10.20.0.12 spark-02' }, dir);
    assert.match(readFileSync(f, 'utf8'), /spark-01\n10\.20\.0\.12 spark-02\n# END/);
    convergeHere(blockinfile, { path: 'hosts', marker, state: 'absent' }, dir);
    assert.equal(readFileSync(f, 'utf8'), '127.0.0.1 localhost\r\n::1 localhost\n');
  });

  it('writes a hostile block byte for byte and runs none of it', () => {
    const canary = join(dir, 'PWNED');
    const block = `$(touch ${canary})\n\`touch ${canary}\`\n'; touch ${canary}; '`;
    writeFileSync(join(dir, 'f'), '');
    convergeHere(blockinfile, { path: 'f', block, marker: `# {mark} $(touch ${canary})` }, dir);
    assert.ok(readFileSync(join(dir, 'f'), 'utf8').includes(block));
    assert.equal(existsSync(canary), false);
  });
});
