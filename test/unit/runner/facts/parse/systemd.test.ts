// Tests of the `systemctl show` and ssh.socket generator drop-in parsers.
import assert from 'node:assert/strict';
import { parseListenStreams, parseSystemctlShow } from '../../../../../runner/facts/parse/systemd.js';
import { extraText, parserCases } from '../fixtures.js';

describe('systemd parsers', () => {
  for (const c of parserCases('systemd')) {
    it(`reads each unit's states and listen sockets: ${c.name}`, () => {
      const units = Object.fromEntries(parseSystemctlShow(c.output));
      assert.deepEqual({ units, generatorListen: parseListenStreams(extraText(c, 'generator')) }, c.expected);
    });
  }

  it('lets an empty ListenStream= reset the list, as systemd does', () => {
    assert.deepEqual(parseListenStreams('ListenStream=22\nListenStream=\nListenStream=2222\n'), ['2222']);
  });
});
