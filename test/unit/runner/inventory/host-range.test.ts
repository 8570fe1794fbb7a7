// Tests of host range expansion, ports and host name checks.
import assert from 'node:assert/strict';
import { InputError } from '../../../../runner/errors.js';
import { checkHostName, expandHostPattern } from '../../../../runner/inventory/host-range.js';
import { thrown } from './inline.js';

const at = { file: 'f', line: 2, col: 5 };

describe('expandHostPattern', () => {
  it('expands a zero-padded numeric range keeping the padding', () => {
    assert.deepEqual(expandHostPattern('spark-[01:03]', at).names, ['spark-01', 'spark-02', 'spark-03']);
  });

  it('expands an unpadded range and a step', () => {
    assert.deepEqual(expandHostPattern('n[8:12:2]', at).names, ['n8', 'n10', 'n12']);
  });

  it('treats an empty begin as 0', () => {
    assert.deepEqual(expandHostPattern('n[:2]', at).names, ['n0', 'n1', 'n2']);
  });

  it('expands letter ranges', () => {
    assert.deepEqual(expandHostPattern('node-[a:c]', at).names, ['node-a', 'node-b', 'node-c']);
  });

  it('expands several ranges in one name, leftmost outermost', () => {
    assert.deepEqual(expandHostPattern('r[1:2]-[a:b]', at).names, ['r1-a', 'r1-b', 'r2-a', 'r2-b']);
  });

  it('splits a :port suffix and applies it to every expanded name', () => {
    assert.deepEqual(expandHostPattern('spark-[01:02]:2222', at), { names: ['spark-01', 'spark-02'], port: 2222 });
  });

  it('keeps a bare IPv6 address whole and reads a port after a bracketed one', () => {
    assert.deepEqual(expandHostPattern('fe80::1', at), { names: ['fe80::1'] });
    assert.deepEqual(expandHostPattern('[fe80::1]:2200', at), { names: ['fe80::1'], port: 2200 });
  });

  it('rejects begin and end of different widths when begin is zero-padded', () => {
    const e = thrown(() => expandHostPattern('s[01:5]', at));
    assert.ok(e instanceof InputError);
    assert.equal(e.kind, 'inventory');
    assert.deepEqual(e.where, at);
    assert.match(e.message, /same number of digits/);
  });

  it('rejects a begin after the end, a zero step, a missing end, and mixed bounds', () => {
    assert.match(thrown(() => expandHostPattern('s[5:1]', at)).message, /begin after end/);
    assert.match(thrown(() => expandHostPattern('s[1:5:0]', at)).message, /positive integer/);
    assert.match(thrown(() => expandHostPattern('s[1:]', at)).message, /no end/);
    assert.match(thrown(() => expandHostPattern('s[a:5]', at)).message, /numbers or single letters/);
    assert.match(thrown(() => expandHostPattern('s[1:2', at)).message, /unbalanced/);
  });

  it('refuses a range that would expand to a huge number of hosts', () => {
    assert.match(thrown(() => expandHostPattern('s[0:99999999]', at)).message, /more than 10000 hosts/);
  });

  it('rejects ports outside 1-65535', () => {
    assert.match(thrown(() => expandHostPattern('s:70000', at)).message, /not in 1-65535/);
  });
});

describe('checkHostName', () => {
  it('accepts ordinary names, addresses and ssh aliases', () => {
    for (const n of ['spark-01', '192.168.1.10', 'spark.local', 'my_alias']) checkHostName(n, at);
  });

  it('rejects empty names, whitespace, control characters and NUL', () => {
    assert.match(thrown(() => checkHostName('', at)).message, /empty host name/);
    assert.match(thrown(() => checkHostName('a b', at)).message, /whitespace/);
    assert.match(thrown(() => checkHostName('a\tb', at)).message, /whitespace/);
    assert.match(thrown(() => checkHostName('a\u0007', at)).message, /control character U\+0007/);
    assert.match(thrown(() => checkHostName('a\u0000', at)).message, /NUL/);
  });
});
