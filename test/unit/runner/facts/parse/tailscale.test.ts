// Tests of the tailscale version and backend-state parsers.
import assert from 'node:assert/strict';
import { parseBackendState, parseTailscaleVersion } from '../../../../../runner/facts/parse/tailscale.js';
import { extraText, parserCases } from '../fixtures.js';

describe('tailscale parsers', () => {
  for (const c of parserCases('tailscale')) {
    it(`reads the version and the backend state: ${c.name}`, () => {
      assert.deepEqual({ version: parseTailscaleVersion(c.output), backendState: parseBackendState(extraText(c, 'state')) }, c.expected);
    });
  }

  it('rejects text that is not a version or a state name', () => {
    assert.equal(parseTailscaleVersion('failed to connect to local tailscaled'), null);
    assert.equal(parseBackendState('{"BackendState": "Running"}'), null);
  });
});
