// Tests of the /proc/meminfo MemTotal parser.
import assert from 'node:assert/strict';
import { parseMemTotalMb } from '../../../../../runner/facts/parse/meminfo.js';
import { parserCases } from '../fixtures.js';

describe('parseMemTotalMb', () => {
  for (const c of parserCases('meminfo')) {
    it(`turns MemTotal kB into whole MiB: ${c.name}`, () => {
      assert.equal(parseMemTotalMb(c.output), c.expected);
    });
  }

  it('rounds down and is null without a MemTotal line', () => {
    assert.equal(parseMemTotalMb('MemTotal:        2047 kB'), 1);
    assert.equal(parseMemTotalMb('MemFree:        2048 kB'), null);
  });
});
