// Tests modules/lib/text.ts: a Secret stays a Secret through every helper, and clip() keeps a summary on one line.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { clip, mapText, revealText, showText, toText } from '../../../../modules/lib/text.js';
import { REDACTED, Secret, isSecret } from '../../../../runner/shell/secret.js';

describe('toText, revealText, mapText, showText', () => {
  const secret = new Secret('hunter2-canary');

  it('turns params into text, keeping a Secret wrapped', () => {
    assert.equal(toText(5), '5');
    assert.equal(toText(true), 'true');
    assert.equal(toText('x'), 'x');
    assert.equal(toText(secret), secret);
  });

  it('derives a Secret from a Secret, and plain text from plain text', () => {
    const derived = mapText(secret, (s) => s.toUpperCase());
    assert.ok(isSecret(derived));
    assert.equal(revealText(derived), 'HUNTER2-CANARY');
    assert.equal(mapText('abc', (s) => s.toUpperCase()), 'ABC');
  });

  it('shows people only the redaction marker of a Secret', () => {
    assert.equal(showText(secret), REDACTED);
    assert.equal(showText(mapText(secret, (s) => `${s}\n`)), REDACTED);
    assert.equal(showText('plain'), 'plain');
  });
});

describe('clip', () => {
  it('escapes newlines, tabs, control characters and backslashes', () => {
    assert.equal(clip('a\nb\tc\x1b[0m\\d'), 'a\\nb\\tc\\x1b[0m\\\\d');
    assert.equal(clip('del\x7f'), 'del\\x7f');
  });

  it('shortens long text to max characters, ending in an ellipsis', () => {
    const out = clip('x'.repeat(100), 10);
    assert.equal(out, `${'x'.repeat(9)}…`);
    assert.equal(clip('exactly10!', 10), 'exactly10!');
  });

  it('always gives one line of at most max characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: 80 }), (text, max) => {
        const out = clip(text, max);
        assert.ok(!/[\n\r]/.test(out), JSON.stringify(out));
        assert.ok(out.length <= max, `${out.length} > ${max}`);
      }),
      { numRuns: 500 },
    );
  });
});
