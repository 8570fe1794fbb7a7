// Tests of the /etc/os-release parser on recorded files.
import assert from 'node:assert/strict';
import { parseOsRelease, parseOsReleaseVars } from '../../../../../runner/facts/parse/os-release.js';
import { parserCases } from '../fixtures.js';

describe('parseOsRelease', () => {
  for (const c of parserCases('os-release')) {
    it(`reads id, version, codename and pretty name: ${c.name}`, () => {
      assert.deepEqual(parseOsRelease(c.output), c.expected);
    });
  }

  it('keeps every other key, unquoted', () => {
    const vars = parseOsReleaseVars('ID_LIKE="ubuntu debian"\nLOGO=ubuntu-logo\n');
    assert.equal(vars.get('ID_LIKE'), 'ubuntu debian');
    assert.equal(vars.get('LOGO'), 'ubuntu-logo');
  });

  it('falls back to UBUNTU_CODENAME when VERSION_CODENAME is absent', () => {
    assert.equal(parseOsRelease('ID=ubuntu\nUBUNTU_CODENAME=jammy\n').codename, 'jammy');
  });
});
