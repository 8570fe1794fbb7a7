// Tests modules/lib/plan-file.ts and write-file.ts: diffs, secrets, and the script's shape.
import { strict as assert } from 'node:assert';
import { planFile, UNSHOWABLE } from '../../../../modules/lib/plan-file.js';
import { MISSING_FILE, type ObservedFile } from '../../../../modules/lib/probe-file.js';
import { writeFileScript } from '../../../../modules/lib/write-file.js';
import { Secret } from '../../../../runner/shell/secret.js';

const textFile = (content: string): ObservedFile => ({ ...MISSING_FILE, exists: true, type: 'file', mode: '0644', owner: 'root', uid: 0, group: 'root', gid: 0, content });

describe('planFile diffs', () => {
  it('carries before and after text for a content change', () => {
    const [c] = planFile({ path: '/f', state: 'file', content: 'new\n' }, textFile('old\n'));
    assert.deepEqual(c?.diff, { before: 'old\n', after: 'new\n' });
  });

  it('shows a marker instead of binary content', () => {
    const [c] = planFile({ path: '/f', state: 'file', content: 'new\n' }, { ...textFile(''), content: null, binary: true, sha256: 'a'.repeat(64) });
    assert.deepEqual(c?.diff, { before: UNSHOWABLE, after: UNSHOWABLE });
  });

  it('keeps a Secret content a Secret in the diff and masks the before side', () => {
    const secret = new Secret('very-secret-content');
    const [c] = planFile({ path: '/f', state: 'file', content: secret }, textFile('old'));
    assert.equal(c?.diff?.after, secret);
    assert.ok(c?.diff?.before instanceof Secret);
  });
});

describe('planFile guards', () => {
  it('refuses to remove the root directory even when called without the schema', () => {
    const root: ObservedFile = { ...MISSING_FILE, exists: true, type: 'directory', mode: '0755', owner: 'root', uid: 0, group: 'root', gid: 0 };
    assert.throws(() => planFile({ path: '//', state: 'absent' }, root), /refusing to remove the root directory/);
  });
});

describe('writeFileScript', () => {
  it('reveals a Secret only in raw(), base64-encoded', () => {
    const script = writeFileScript({ path: '/k', content: new Secret('k3y-material'), mode: '0600' });
    const b64 = Buffer.from('k3y-material').toString('base64');
    assert.ok(script.raw().includes(b64));
    assert.ok(!script.toString().includes(b64));
    assert.match(script.toString(), /«redacted»/);
  });

  it('uses mktemp in the target directory, fsync, rename with -T, and a cleanup trap', () => {
    const text = writeFileScript({ path: '/etc/x.conf', content: 'a' }).toString();
    assert.match(text, /t=\$\(mktemp -- "\$d\/\.sparkbook\.XXXXXX"\)/);
    assert.match(text, /trap 'rm -f -- "\$t"' EXIT/);
    assert.match(text, /sync -- "\$t"/);
    assert.match(text, /mv -f -T -- "\$t" "\$p"/);
    assert.match(text, /sync -- "\$d"/);
    assert.doesNotMatch(text, /<</, 'no heredoc');
  });
});
