// Fleet rollouts on a lab of 20 hosts of its own: serial batches with a failure budget and the retry file,
// stable plain/JSON outputs and a schema-valid report, drift checks with --detailed-exitcode, shards and
// `report merge`, and a JUnit file CI can read.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { useLab } from '../support/lab.js';
import { resetFleetWorkload } from '../support/lab-hosts.js';
import { FLEET_CHANGING_TASKS, FLEET_PLAYBOOK, FLEET_TASKS } from '../support/lab-inputs.js';
import { normaliseTimings, readReport, recapOf, recapRows, resultLines, sortedJson } from '../support/output.js';
import { REPO_ROOT, runCli, type CliResult } from '../support/run-cli.js';

const LAB = 'sbfl';
const HOSTS = 20;

/** Elements of an XML document, checked for balance; throws on anything a CI parser would reject. */
function parseXmlElements(xml: string): { name: string; attrs: Record<string, string> }[] {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const stack: string[] = [];
  const elements: { name: string; attrs: Record<string, string> }[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const text = body.slice(last, m.index);
    assert.doesNotMatch(text, /[<>]|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/, `bad character data before offset ${m.index}: ${text}`);
    last = tag.lastIndex;
    const [, close, name, attrText, selfClose] = m as unknown as [string, string, string, string, string];
    if (close) {
      assert.equal(stack.pop(), name, `</${name}> closes nothing open`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]!] = a[2]!;
    elements.push({ name, attrs });
    if (!selfClose) stack.push(name);
  }
  assert.equal(body.slice(last).trim(), '', 'nothing after the root element');
  assert.deepEqual(stack, [], 'every element is closed');
  return elements;
}

describe('fleet rollouts on a 20-host lab (e2e)', function () {
  this.timeout(120_000);
  const lab = useLab({ name: LAB, containers: HOSTS, scratch: 'test' });
  let names: string[];

  before(() => {
    names = lab.hosts.map((h) => h.name);
    assert.equal(names.length, HOSTS);
  });

  beforeEach(() => resetFleetWorkload(lab));

  const run = (...args: string[]): Promise<CliResult> =>
    runCli(['run', FLEET_PLAYBOOK, '-i', lab.inventoryIni, '--retry-file', join(lab.scratch, 'retry'), ...args], { timeoutMs: 110_000 });

  it('stops a --serial 5 --max-fail-percentage 10 rollout after the batch holding a failed host, exits 4, and re-runs only that host from the retry file', async () => {
    const failing = names[6]!; // in the second batch of five
    const report = join(lab.scratch, 'report.json');
    const r = await run('--serial', '5', '--max-fail-percentage', '10', '-e', `fail_host=${failing}`, '--output', 'plain', '--report', report);
    assert.equal(r.code, 4, r.stderr + r.stdout);

    const ran = names.slice(0, 10).filter((n) => n !== failing);
    const notRun = names.slice(10);
    const hosts = new Map(readReport(report).hosts.map((h) => [h.host, h]));
    assert.deepEqual([...hosts.keys()], names, 'every host is in the report, in inventory order');
    for (const n of ran) {
      const h = hosts.get(n)!;
      assert.deepEqual([h.changed, h.ok + h.changed, h.failed, h.unreachable], [FLEET_CHANGING_TASKS, FLEET_TASKS, 0, 0], `${n} ran`);
    }
    assert.equal(hosts.get(failing)?.failed, 1, `${failing} failed`);
    assert.equal(hosts.get(failing)?.changed, 0, `${failing} stopped at its failed task`);
    for (const n of notRun) {
      const h = hosts.get(n)!;
      assert.equal(h.ok + h.changed + h.failed + h.unreachable, 0, `${n} never started`);
      assert.match(h.note ?? '', /^skipped \(rollout stopped: 1 of 5 hosts failed, over max_fail_percentage 10\)$/, n);
    }
    const results = readReport(report).results;
    assert.deepEqual([...new Set(results.map((x) => x.host))].sort(), [...ran, failing].sort(), 'results exist only for hosts that ran');
    assert.match(results.find((x) => x.host === failing && x.status === 'failed')?.reason ?? '', new RegExp(`${failing} was picked to fail`));
    for (const n of notRun) assert.match(recapOf(r.stdout, n).note, /skipped \(rollout stopped/);
    assert.deepEqual(recapRows(r.stdout).map((x) => x.host), names, 'the recap lists every host');

    assert.equal(readFileSync(join(lab.scratch, 'retry'), 'utf8'), `${failing}\n`);
    const again = await run('--limit', `@${join(lab.scratch, 'retry')}`, '--output', 'plain');
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.deepEqual(recapRows(again.stdout).map((x) => [x.host, x.changed, x.failed]), [[failing, FLEET_CHANGING_TASKS, 0]], 'only the failed host ran, and converged');
    assert.equal(existsSync(join(lab.scratch, 'retry')), false, 'once every listed host succeeded, the retry file is gone');
  });

  it('writes the same plain and JSON-lines output on two runs (timings aside), keys sorted, and a --report valid against schema/report.schema.json', async () => {
    const plain = [await run('--check', '--output', 'plain'), await run('--check', '--output', 'plain')];
    for (const p of plain) assert.equal(p.code, 0, p.stderr);
    const [a, b] = plain.map((p) => normaliseTimings(p.stdout)) as [string, string];
    const recap = (s: string): string => s.slice(s.indexOf('\nRECAP'));
    assert.ok(recap(a).length > 100, 'a recap is printed');
    assert.equal(recap(a), recap(b), 'the recap and pending changes are identical, host order included');
    assert.deepEqual(recapRows(a).map((x) => x.host), names);
    for (const n of names) {
      assert.equal(resultLines(a, n).length, FLEET_TASKS, n);
      assert.deepEqual(resultLines(a, n), resultLines(b, n), `${n}: the same result lines in the same order`);
    }
    assert.deepEqual(a.split('\n').sort(), b.split('\n').sort(), 'the same lines (hosts interleave as they finish)');

    const report = join(lab.scratch, 'report.json');
    const json = [await run('--check', '--output', 'json', '--report', report), await run('--check', '--output', 'json')];
    const events = json.map((j) => {
      assert.equal(j.code, 0, j.stderr);
      const lines = j.stdout.trim().split('\n');
      for (const l of lines) assert.equal(l, sortedJson(JSON.parse(l)), `keys are sorted at every depth: ${l}`);
      return lines.map(normaliseTimings);
    }) as [string[], string[]];
    assert.ok(events[0].length >= HOSTS * FLEET_TASKS, `${events[0].length} events`);
    const ofHost = (ls: string[], n: string): string[] => ls.filter((l) => l.includes(`"host":"${n}"`));
    for (const n of names) assert.deepEqual(ofHost(events[0], n), ofHost(events[1], n), `${n}: the same events in the same order`);
    assert.deepEqual([...events[0]].sort(), [...events[1]].sort());
    assert.equal(events[0][0], events[1][0], 'run:start is the same line');

    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schema/report.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const data = JSON.parse(readFileSync(report, 'utf8')) as unknown;
    assert.ok(validate(data), JSON.stringify(validate.errors, null, 2));
    assert.equal(readReport(report).results.length, HOSTS * FLEET_TASKS);
  });

  it('exits 8 with --check --detailed-exitcode on fresh hosts, and 0 once the playbook is applied', async () => {
    const drift = await run('--check', '--detailed-exitcode', '--output', 'plain');
    assert.equal(drift.code, 8, drift.stderr + drift.stdout);
    for (const row of recapRows(drift.stdout)) assert.equal(row.changed, FLEET_CHANGING_TASKS, row.host);

    const apply = await run('--output', 'plain');
    assert.equal(apply.code, 0, apply.stderr + apply.stdout);

    const clean = await run('--check', '--detailed-exitcode', '--output', 'plain');
    assert.equal(clean.code, 0, clean.stderr + clean.stdout);
    for (const row of recapRows(clean.stdout)) assert.deepEqual([row.host, row.ok, row.changed], [row.host, FLEET_TASKS, 0]);

    await resetFleetWorkload(lab);
    const plainCheck = await run('--check', '--output', 'plain', '--limit', names[0]!);
    assert.equal(recapOf(plainCheck.stdout, names[0]!).changed, FLEET_CHANGING_TASKS);
    assert.equal(plainCheck.code, 0, 'without --detailed-exitcode, pending changes exit 0');
  });

  it('covers every host exactly once with --shard 1/3, 2/3 and 3/3, and report merge of the three has a single run\'s hosts', async () => {
    const shards = await Promise.all([1, 2, 3].map(async (k) => {
      const report = join(lab.scratch, `shard-${k}.json`);
      const r = await runCli(['run', FLEET_PLAYBOOK, '-i', lab.inventoryIni, '--check', '--output', 'plain', '--shard', `${k}/3`, '--report', report, '--retry-file', join(lab.scratch, `retry-${k}`)], { timeoutMs: 110_000 });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      return { report, hosts: readReport(report).hosts.map((h) => h.host), recap: recapRows(r.stdout).map((x) => x.host) };
    }));
    for (const s of shards) {
      assert.ok(s.hosts.length > 0, 'no shard is empty');
      assert.deepEqual(s.recap, s.hosts, 'a shard prints only its hosts');
    }
    const all = shards.flatMap((s) => s.hosts);
    assert.equal(all.length, new Set(all).size, 'no host is in two shards');
    assert.deepEqual([...all].sort(), [...names].sort(), 'the shards cover every host');

    const again = await runCli(['run', FLEET_PLAYBOOK, '-i', lab.inventoryIni, '--check', '--output', 'plain', '--shard', '2/3', '--retry-file', join(lab.scratch, 'retry')]);
    assert.deepEqual(recapRows(again.stdout).map((x) => x.host), shards[1]!.hosts, 'a shard is the same slice every time');

    const single = join(lab.scratch, 'single.json');
    assert.equal((await run('--check', '--output', 'plain', '--report', single)).code, 0);
    const merged = join(lab.scratch, 'merged.json');
    const m = await runCli(['report', 'merge', ...shards.map((s) => s.report), '-o', merged]);
    assert.equal(m.code, 0, m.stderr + m.stdout);
    const hostsOf = (path: string): string[] => readReport(path).hosts.map((h) => h.host).sort();
    assert.deepEqual(hostsOf(merged), hostsOf(single));
    const tally = (path: string): string[] => readReport(path).hosts.map((h) => `${h.host} ${h.ok} ${h.changed} ${h.failed} ${h.skipped} ${h.unreachable}`).sort();
    assert.deepEqual(tally(merged), tally(single), 'the merged counts equal the single run\'s');
    assert.equal(readReport(merged).results.length, readReport(single).results.length);
    assert.match(m.stderr, new RegExp(`${HOSTS} hosts: `), 'merge prints the merged recap');
  });

  it('writes a JUnit file a CI system can parse, with one testcase per host and task', async () => {
    const junit = join(lab.scratch, 'junit.xml');
    const r = await run('--output', 'plain', '--junit', junit, '-e', `fail_host=${names[3]}`);
    assert.equal(r.code, 4, r.stderr);
    const elements = parseXmlElements(readFileSync(junit, 'utf8'));
    assert.equal(elements[0]?.name, 'testsuites');
    const cases = elements.filter((e) => e.name === 'testcase').map((e) => `${e.attrs['classname']} / ${e.attrs['name']}`);
    assert.equal(cases.length, new Set(cases).size, 'no host×task twice');
    const expected = (HOSTS - 1) * FLEET_TASKS + 2; // the failing host stops after its facts and its failed task
    assert.equal(cases.length, expected, cases.join('\n'));
    for (const n of names.filter((x) => x !== names[3])) assert.equal(cases.filter((c) => c.startsWith(`${n} / `)).length, FLEET_TASKS, n);
    const failures = elements.filter((e) => e.name === 'failure');
    assert.equal(failures.length, 1);
    assert.match(failures[0]?.attrs['message'] ?? '', new RegExp(`${names[3]} was picked to fail`));
    assert.equal(elements[0]?.attrs['failures'], '1');
    assert.equal(elements[0]?.attrs['tests'], String(expected));
  });
});
