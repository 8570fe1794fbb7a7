// Tests modules/lib/patterns.ts: the schema patterns accept what chown and ports take and nothing a command could read as an option.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { OWNER_PATTERN, PORT_NUMBER_PATTERN, caseless } from '../../../../modules/lib/patterns.js';

const owner = new RegExp(OWNER_PATTERN);
const port = new RegExp(`^${PORT_NUMBER_PATTERN}$`);

describe('OWNER_PATTERN', () => {
  it('accepts user names, numeric ids and machine accounts', () => {
    for (const ok of ['root', 'spark', 'www-data', '_apt', '1000', 'first.last', 'HOST$']) assert.ok(owner.test(ok), ok);
  });

  it('refuses what chown would read as an option, a user:group pair or shell', () => {
    for (const bad of ['', '-R', '--reference=/etc', 'root:root', 'a b', '.hidden', 'a$b', 'x\n', '$(id)']) assert.ok(!owner.test(bad), JSON.stringify(bad));
  });
});

describe('PORT_NUMBER_PATTERN', () => {
  it('matches exactly the decimal numbers 1 to 65535', () => {
    for (let n = 0; n <= 70_000; n++) assert.equal(port.test(String(n)), n >= 1 && n <= 65535, String(n));
  });

  it('refuses leading zeros, signs and padding', () => {
    for (const bad of ['022', '00', '+22', '-1', ' 22', '22 ', '2e3', '']) assert.ok(!port.test(bad), JSON.stringify(bad));
  });
});

describe('caseless', () => {
  it('matches the word in any letter case and nothing else', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._+-]{1,10}$/), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), (word, upper) => {
        const re = new RegExp(`^${caseless(word)}$`);
        const recased = [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('');
        assert.ok(re.test(recased), `${word} vs ${recased}`);
        assert.ok(!re.test(`${word}x`));
      }),
      { numRuns: 300 },
    );
  });

  it('treats regex characters in the word literally', () => {
    const re = new RegExp(`^${caseless('a.b+c')}$`);
    assert.ok(re.test('A.B+C'));
    assert.ok(!re.test('axbbc'), 'the dot is not a wildcard');
    assert.ok(!re.test('a.bbc'), 'the plus is not a repeat');
  });
});
