// Tests of the splitter that cuts the facts script's output into tagged sections.
import assert from 'node:assert/strict';
import { bodyOf, okBodyOf, splitSections } from '../../../../runner/facts/sections.js';

const OUTPUT = [
  'junk before the first header is ignored',
  '@@sparkbook:uname-m rc=0',
  'aarch64',
  '@@sparkbook:sshd-t rc=1',
  '@@sparkbook:ufw-status missing',
  '@@sparkbook:ss-listen rc=0',
  'line one',
  '',
  'line three',
  '@@sparkbook:not a header because of the spaces rc=0',
  '@@sparkbook:end rc=0',
  '',
].join('\n');

describe('splitSections', () => {
  const s = splitSections(OUTPUT);

  it('records each section with its exit code, or as missing', () => {
    assert.deepEqual(s.byName.get('uname-m'), { name: 'uname-m', rc: 0, missing: false, body: 'aarch64' });
    assert.deepEqual(s.byName.get('sshd-t'), { name: 'sshd-t', rc: 1, missing: false, body: '' });
    assert.deepEqual(s.byName.get('ufw-status'), { name: 'ufw-status', rc: null, missing: true, body: '' });
  });

  it('keeps blank lines inside a body and treats a malformed header as body text', () => {
    assert.equal(s.byName.get('ss-listen')?.body, 'line one\n\nline three\n@@sparkbook:not a header because of the spaces rc=0');
  });

  it('is complete only when the end section arrived', () => {
    assert.equal(s.complete, true);
    assert.equal(splitSections(OUTPUT.slice(0, OUTPUT.indexOf('@@sparkbook:end'))).complete, false);
  });

  it('reads CRLF output like LF output', () => {
    assert.equal(splitSections(OUTPUT.replace(/\n/g, '\r\n')).byName.get('uname-m')?.body, 'aarch64');
  });

  it('gives a body only for sections that printed something, and okBody only for exit 0', () => {
    assert.equal(bodyOf(s, 'uname-m'), 'aarch64');
    assert.equal(bodyOf(s, 'sshd-t'), null);
    assert.equal(bodyOf(s, 'ufw-status'), null);
    assert.equal(bodyOf(s, 'nope'), null);
    const failed = splitSections('@@sparkbook:ufw-status rc=1\nERROR: something\n');
    assert.equal(bodyOf(failed, 'ufw-status'), 'ERROR: something');
    assert.equal(okBodyOf(failed, 'ufw-status'), null);
  });
});
