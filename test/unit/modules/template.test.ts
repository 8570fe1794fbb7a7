// Tests modules/template.ts: plan cases from fixtures, and its write run for real under /bin/sh
// (validate, backup, convergence), with the rendered text as the engine hands it (rule 12).
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { Secret, isSecret } from '../../../runner/shell/secret.js';
import { applyHere, convergeHere, describeFixtures, planHere, prepare } from './fixtures.js';

const template = findModule('template') as AnyModule;

describeFixtures(template);

describe('template module writes under /bin/sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-template-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the rendered text and converges', () => {
    const changes = convergeHere(template, { src: 'x.j2', dest: 'x.conf' }, dir, { src: 'listen 22\n' });
    assert.deepEqual(changes.map((c) => c.action), ['+']);
    assert.equal(readFileSync(join(dir, 'x.conf'), 'utf8'), 'listen 22\n');
  });

  it('leaves dest untouched when validate fails, and says so', () => {
    writeFileSync(join(dir, 'x.conf'), 'old\n');
    const params = prepare(template, { src: 'x.j2', dest: 'x.conf', validate: 'grep -q good %s' });
    assert.ok(params);
    const run = applyHere(planHere(template, params, dir, {}, { src: 'bad\n' }), dir);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /validate failed: grep -q good %s/);
    assert.equal(readFileSync(join(dir, 'x.conf'), 'utf8'), 'old\n');
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.sparkbook.')), [], 'the temp file is removed');
  });

  it('writes when validate passes on the new content', () => {
    convergeHere(template, { src: 'x.j2', dest: 'x.conf', validate: 'grep -q good %s' }, dir, { src: 'good\n' });
    assert.equal(readFileSync(join(dir, 'x.conf'), 'utf8'), 'good\n');
  });

  it('keeps a backup of the file it replaces', () => {
    writeFileSync(join(dir, 'x.conf'), 'old\n');
    convergeHere(template, { src: 'x.j2', dest: 'x.conf', backup: true }, dir, { src: 'new\n' });
    const backups = readdirSync(dir).filter((n) => /^x\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/.test(n));
    assert.equal(backups.length, 1);
    assert.equal(readFileSync(join(dir, backups[0] as string), 'utf8'), 'old\n');
  });

  it('masks a rendered secret: its diff is a Secret and the probe reads no content', () => {
    const params = prepare(template, { src: 'x.j2', dest: 'k.conf' });
    assert.ok(params);
    const content = new Secret('password = hunter2-long\n');
    const ctx = { expressions: new Map(), files: new Map([['src', { path: 'templates/x.j2', content }]]) };
    assert.ok(!String(template.probe(params, {} as never, ctx).script.raw()).includes('base64 -w0 < "$p"'));
    const changes = template.plan(params, { exists: false, type: null, mode: null, uid: null, owner: null, gid: null, group: null, size: null, sha256: null, linkTarget: null, content: null, binary: false }, {} as never, ctx) as { diff?: { after: unknown }; summary: string }[];
    assert.ok(isSecret(changes[0]?.diff?.after));
    assert.match(changes[0]?.summary ?? '', /mode 0600/);
  });
});
