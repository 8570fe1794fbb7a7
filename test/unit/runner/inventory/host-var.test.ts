// Tests of hostVar, the first-set-of-several-names helper.
import assert from 'node:assert/strict';
import { hostVar } from '../../../../runner/inventory/host-var.js';

describe('hostVar', () => {
  const host = { vars: { sparkbook_host: null, ansible_host: '10.0.0.1', port: 0 } };

  it('returns the first of the names that is set, skipping null', () => {
    assert.equal(hostVar(host, 'sparkbook_host', 'ansible_host'), '10.0.0.1');
  });

  it('returns falsy values that are set', () => {
    assert.equal(hostVar(host, 'port', 'ansible_port'), 0);
  });

  it('returns undefined when none is set', () => {
    assert.equal(hostVar(host, 'nope', 'neither'), undefined);
  });
});
