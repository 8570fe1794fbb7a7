// Tests modules/lib/parse.ts: probe sections survive /bin/sh, and every reader is total on garbage.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { bytesToText, fromBase64, intOrNull, parseKeyEquals, parseSections, parseTagged, section, stringOrNull } from '../../../../modules/lib/parse.js';
import { joinScripts, sh } from '../../../../runner/shell/script.js';

function runSh(script: string): string {
  const r = spawnSync('/bin/sh', ['-s'], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('section and parseSections', () => {
  it('gives each probe its own lines when several share one channel', () => {
    const out = runSh(joinScripts([section('a', sh`echo one; echo 'two words'`), section('b.file', sh`printf 'x\\n\\ny\\n'`)]).raw());
    const sections = parseSections(out);
    assert.deepEqual([...sections.keys()], ['a', 'b.file']);
    assert.deepEqual(sections.get('a'), ['one', 'two words']);
    assert.deepEqual(sections.get('b.file'), ['x', '', 'y']);
  });

  it('keeps an empty section distinct from a missing one', () => {
    const sections = parseSections(runSh(section('empty', sh`:`).raw()));
    assert.deepEqual(sections.get('empty'), []);
    assert.equal(sections.get('other'), undefined);
  });

  it('refuses a section name that is not a plain word, before any shell sees it', () => {
    for (const bad of ['', 'a b', 'a;rm', "a'b", 'a\nb', '$(x)']) assert.throws(() => section(bad, sh`:`), TypeError, JSON.stringify(bad));
  });

  it('ignores lines outside any section, and a section that never ends keeps its lines', () => {
    const sections = parseSections('noise\n@section a\n1\n@end\nmore noise\n@section b\n2\n3');
    assert.deepEqual(sections.get('a'), ['1']);
    assert.deepEqual(sections.get('b'), ['2', '3']);
    assert.equal(sections.size, 2);
  });

  it('never throws, whatever a host prints', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseSections(s)), { numRuns: 300 });
  });
});

describe('parseTagged and parseKeyEquals', () => {
  it('maps `key value` lines, keeping spaces in the value; the last value wins and a bare key maps to ""', () => {
    const t = parseTagged(['sshd /usr/sbin/sshd', 'name a  b ', 'flag', '', 'sshd /opt/sshd']);
    assert.equal(t.get('sshd'), '/opt/sshd');
    assert.equal(t.get('name'), 'a  b ');
    assert.equal(t.get('flag'), '');
    assert.equal(t.size, 3);
  });

  it('splits systemctl show lines at the first = only, and skips lines without a key', () => {
    const m = parseKeyEquals(['ExecStart={ path=/usr/sbin/sshd ; argv[]=/usr/sbin/sshd -D }', '=orphan', 'no equals', 'Empty=']);
    assert.equal(m.get('ExecStart'), '{ path=/usr/sbin/sshd ; argv[]=/usr/sbin/sshd -D }');
    assert.equal(m.get('Empty'), '');
    assert.deepEqual([...m.keys()], ['ExecStart', 'Empty']);
  });
});

describe('intOrNull, stringOrNull', () => {
  it('reads decimal integers, signed and padded, and nothing else', () => {
    assert.equal(intOrNull('42'), 42);
    assert.equal(intOrNull(' -7 '), -7);
    assert.equal(intOrNull('0644'), 644);
    for (const bad of [undefined, '', ' ', '4.2', '12abc', '0x10', '1e3', '+-1']) assert.equal(intOrNull(bad), null, String(bad));
  });

  it('gives null for missing and blank text, the trimmed text otherwise', () => {
    assert.equal(stringOrNull(undefined), null);
    assert.equal(stringOrNull(' \t'), null);
    assert.equal(stringOrNull(' active\n'), 'active');
  });
});

describe('fromBase64 and bytesToText', () => {
  it('round-trips any UTF-8 text through base64', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')), (s) => {
        assert.equal(bytesToText(fromBase64(Buffer.from(s, 'utf8').toString('base64'))), s);
      }),
      { numRuns: 300 },
    );
  });

  it('calls bytes with a NUL or invalid UTF-8 not text, and keeps a BOM as it is', () => {
    assert.equal(bytesToText(Buffer.from([0x61, 0x00, 0x62])), null);
    assert.equal(bytesToText(Buffer.from([0xff, 0xfe, 0x41])), null);
    assert.equal(bytesToText(Buffer.from([0xc3])), null, 'a truncated sequence');
    assert.equal(bytesToText(Buffer.from('\ufeffPort 22\n', 'utf8')), '\ufeffPort 22\n');
  });

  it('decodes garbage and surrounding whitespace without throwing', () => {
    assert.equal(fromBase64(' aGk=\n').toString(), 'hi');
    assert.doesNotThrow(() => fromBase64('!!!not base64$$$'));
  });
});
