// Tests modules/stat.ts: plan cases from fixtures, and what it registers for real paths.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { describeFixtures, prepare, result, runSh, testFacts } from './fixtures.js';

const stat = findModule('stat') as AnyModule;

describeFixtures(stat);

describe('stat module on real paths', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-stat-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const registered = (params: Record<string, unknown>): Record<string, unknown> => {
    const valid = prepare(stat, params);
    assert.ok(valid);
    const probe = stat.probe(valid, testFacts());
    const out = runSh(probe.script, dir);
    const observed: unknown = probe.parse(result(out.stdout, out.status ?? -1, out.stderr));
    assert.deepEqual(stat.plan(valid, observed, testFacts(), { expressions: new Map() }), []);
    return (stat.register?.(valid, observed) ?? {}).stat as Record<string, unknown>;
  };

  it('registers a regular file as Ansible does, with its sha1', () => {
    writeFileSync(join(dir, 'f'), 'hello\n');
    chmodSync(join(dir, 'f'), 0o640);
    const s = registered({ path: 'f' });
    assert.equal(s.exists, true);
    assert.equal(s.isreg, true);
    assert.equal(s.isdir, false);
    assert.equal(s.mode, '0640');
    assert.equal(s.size, 6);
    assert.equal(s.uid, process.getuid?.());
    assert.equal(s.checksum, createHash('sha1').update('hello\n').digest('hex'));
    assert.equal(typeof s.pw_name, 'string');
  });

  it('registers the sha256 as the checksum when checksum_algorithm is sha256, hashing the file once', () => {
    writeFileSync(join(dir, 'f'), 'hello\n');
    assert.equal(registered({ path: 'f', checksum_algorithm: 'sha256' }).checksum, createHash('sha256').update('hello\n').digest('hex'));
    const script = stat.probe(prepare(stat, { path: 'f', checksum_algorithm: 'sha256' }) as Record<string, unknown>, testFacts()).script.raw();
    assert.equal(script.match(/sha(1|256)sum/g)?.length, 1);
  });

  it('reads no file content to hash with get_checksum: false, and sha1 alone by default', () => {
    const script = (params: Record<string, unknown>): string => stat.probe(prepare(stat, params) as Record<string, unknown>, testFacts()).script.raw();
    assert.doesNotMatch(script({ path: 'f', get_checksum: false }), /sha(1|256)sum/);
    assert.deepEqual(script({ path: 'f' }).match(/sha(1|256)sum/g), ['sha1sum']);
  });

  it('registers only exists: false for a missing path', () => {
    assert.deepEqual(registered({ path: 'nope' }), { exists: false });
  });

  it('registers a directory and a link with its source', () => {
    mkdirSync(join(dir, 'd'));
    symlinkSync('d', join(dir, 'l'));
    assert.equal(registered({ path: 'd' }).isdir, true);
    const l = registered({ path: 'l' });
    assert.equal(l.islnk, true);
    assert.equal(l.lnk_target, 'd');
    assert.equal(l.lnk_source, join(dir, 'd'));
  });
});
