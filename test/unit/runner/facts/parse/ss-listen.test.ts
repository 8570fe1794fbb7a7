// Tests of the `ss -ltnp` listening-socket parser.
import assert from 'node:assert/strict';
import { parseSsListen } from '../../../../../runner/facts/parse/ss-listen.js';
import { parserCases } from '../fixtures.js';

describe('parseSsListen', () => {
  for (const c of parserCases('ss-listen')) {
    it(`reads address, port and owning processes of each listener: ${c.name}`, () => {
      assert.deepEqual(parseSsListen(c.output), c.expected);
    });
  }

  it('reads unprivileged output, which has no process column', () => {
    assert.deepEqual(parseSsListen('LISTEN 0      128             [::]:22           [::]:*          '), [{ address: '::', port: 22, processes: [] }]);
  });
});
