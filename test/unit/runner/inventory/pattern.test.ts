// Tests of host patterns: every operator, their order, globs, regexes, subscripts, limit files.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../../runner/errors.js';
import { expandLimit, readLimitFile, selectHosts, splitPattern, unmatchedTerms } from '../../../../runner/inventory/pattern.js';
import { thrown, yamlInventory } from './inline.js';

describe('selectHosts', () => {
  const inv = yamlInventory(`all:
  hosts:
    localhost:
  children:
    sparks:
      hosts:
        spark-04:
      children:
        gpu:
          hosts:
            spark-02:
            spark-01:
        cpu:
          hosts:
            spark-03:
    lab:
      hosts:
        spark-02:
        bench-01:
        spark-10.local:
`);
  const sel = (p: string | string[]): string[] => selectHosts(inv, p);

  it('selects every host with all and with *', () => {
    const every = ['localhost', 'spark-04', 'spark-02', 'spark-01', 'spark-03', 'bench-01', 'spark-10.local'];
    assert.deepEqual(sel('all'), every);
    assert.deepEqual(sel('*'), every);
  });

  it('selects a single host by name', () => {
    assert.deepEqual(sel('spark-03'), ['spark-03']);
  });

  it("selects a group's hosts and its descendants' hosts, in inventory order", () => {
    assert.deepEqual(sel('sparks'), ['spark-04', 'spark-02', 'spark-01', 'spark-03']);
  });

  it('selects ungrouped hosts with ungrouped', () => {
    assert.deepEqual(sel('ungrouped'), ['localhost']);
  });

  it('unites terms separated by commas or colons, without duplicates', () => {
    assert.deepEqual(sel('cpu,gpu'), ['spark-02', 'spark-01', 'spark-03']);
    assert.deepEqual(sel('lab:gpu'), ['spark-02', 'spark-01', 'bench-01', 'spark-10.local']);
    assert.deepEqual(sel(' lab , gpu '), sel('lab:gpu'));
  });

  it('intersects with &', () => {
    assert.deepEqual(sel('sparks:&lab'), ['spark-02']);
  });

  it('excludes with !', () => {
    assert.deepEqual(sel('sparks:!gpu'), ['spark-04', 'spark-03']);
  });

  it('applies unions, then intersections, then exclusions, whatever the written order', () => {
    assert.deepEqual(sel('!spark-02,&sparks,lab,gpu'), ['spark-01']);
    assert.deepEqual(sel('lab,gpu,&sparks,!spark-02'), ['spark-01']);
  });

  it('starts from all when there are only & and ! terms', () => {
    assert.deepEqual(sel('!sparks'), ['localhost', 'bench-01', 'spark-10.local']);
    assert.deepEqual(sel('&lab'), ['spark-02', 'bench-01', 'spark-10.local']);
  });

  it('matches shell globs against hosts and groups', () => {
    assert.deepEqual(sel('spark-0*'), ['spark-04', 'spark-02', 'spark-01', 'spark-03']);
    assert.deepEqual(sel('spark-0?'), sel('spark-0*'));
    assert.deepEqual(sel('spark-0[13]'), ['spark-01', 'spark-03']);
    assert.deepEqual(sel('spark-0[!13]'), ['spark-04', 'spark-02']);
    assert.deepEqual(sel('g*'), ['spark-02', 'spark-01']);
    assert.deepEqual(sel('spark-10.*'), ['spark-10.local']);
  });

  it('treats glob characters literally only where fnmatch does: a dot is a dot', () => {
    assert.deepEqual(sel('spark-10?local'), ['spark-10.local']);
    assert.deepEqual(sel('spark-10.loca'), []);
  });

  it('matches ~regex from the start of names, Python-style', () => {
    assert.deepEqual(sel('~spark-0[12]'), ['spark-02', 'spark-01']);
    assert.deepEqual(sel('~(?i)BENCH'), ['bench-01']);
    assert.deepEqual(sel('~local'), ['localhost']);
    assert.deepEqual(sel('~(?P<n>spark)-03'), ['spark-03']);
  });

  it('takes subscripts of what a term matched, in inventory order', () => {
    assert.deepEqual(sel('sparks[0]'), ['spark-04']);
    assert.deepEqual(sel('sparks[-1]'), ['spark-03']);
    assert.deepEqual(sel('sparks[1:2]'), ['spark-02', 'spark-01']);
    assert.deepEqual(sel('sparks[2:]'), ['spark-01', 'spark-03']);
  });

  it('prefers a host over a group of the same name', () => {
    const i = yamlInventory('same:\n  hosts:\n    other:\nall:\n  hosts:\n    same:\n');
    assert.deepEqual(selectHosts(i, 'same'), ['same']);
  });

  it('returns nothing, without error, for a term that matches nothing, and names it', () => {
    assert.deepEqual(sel('nosuch'), []);
    assert.deepEqual(unmatchedTerms(inv, 'gpu,nosuch,!ghost'), ['nosuch', '!ghost']);
  });

  it('accepts a list of patterns, as from a limit file', () => {
    assert.deepEqual(sel(['spark-01', 'cpu', '!spark-03']), ['spark-01']);
  });

  it('keeps a bare IPv6 address as one term', () => {
    assert.deepEqual(splitPattern('fe80::1'), ['fe80::1']);
    assert.deepEqual(splitPattern('a:b[1:2]'), ['a', 'b[1:2]']);
  });

  const bad: [string, RegExp][] = [
    ['a,,b', /empty term/],
    ['sparks:', /empty term/],
    ['!', /needs a name/],
    ['&', /needs a name/],
    ['!&x', /needs a name/],
    ['~spark-[', /not a valid regular expression/],
    ['sparks[9]', /index 9 is out of range/],
  ];
  for (const [pattern, message] of bad) {
    it(`rejects ${JSON.stringify(pattern)} as a limit error at the given location`, () => {
      const where = { file: 'play.yml', line: 2, col: 10 };
      const e = thrown(() => selectHosts(inv, pattern, where));
      assert.ok(e instanceof InputError);
      assert.equal(e.kind, 'limit');
      assert.match(e.message, message);
      assert.deepEqual(e.where, where);
    });
  }
});

describe('limit files', () => {
  it('reads one pattern per line, skipping blanks and # comments', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparkbook-limit-'));
    const file = join(dir, 'retry');
    await writeFile(file, '# failed last time\nspark-01\n\n  spark-03  \n!gpu\n');
    assert.deepEqual(await readLimitFile(file), ['spark-01', 'spark-03', '!gpu']);
    assert.deepEqual(await expandLimit(`@${file}`), ['spark-01', 'spark-03', '!gpu']);
    assert.deepEqual(await expandLimit(`lab,@${file}`), ['lab', 'spark-01', 'spark-03', '!gpu']);
  });

  it('fails with a limit error when the file is missing', async () => {
    await assert.rejects(readLimitFile('/nonexistent/sparkbook-limit'), (e: unknown) => e instanceof InputError && e.kind === 'limit' && /no such file/.test(e.message));
  });
});
