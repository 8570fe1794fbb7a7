// Tests modules/copy.ts: plan cases from fixtures, and its write run for real under /bin/sh.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { convergeHere, describeFixtures } from './fixtures.js';

const copy = findModule('copy') as AnyModule;

describeFixtures(copy);

describe('copy module writes under /bin/sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-copy-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies a controller file into a dest directory under its basename, and converges', () => {
    mkdirSync(join(dir, 'certs'));
    convergeHere(copy, { src: 'files/ca.pem', dest: 'certs/', mode: '0600' }, dir, { src: 'PEM\n' });
    assert.equal(readFileSync(join(dir, 'certs', 'ca.pem'), 'utf8'), 'PEM\n');
  });

  it('writes inline content byte for byte (no trailing newline added)', () => {
    convergeHere(copy, { content: 'a\n\tb', dest: 'x' }, dir);
    assert.equal(readFileSync(join(dir, 'x'), 'utf8'), 'a\n\tb');
  });
});
