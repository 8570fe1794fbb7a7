// Tests of runner/report/report-file.ts: the --report object, its schema, the file on disk, merging.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, InputErrors, InternalError } from '../../../../runner/errors.js';
import type { RunEvent } from '../../../../runner/executor/events.js';
import {
  createReportCollector,
  mergeReports,
  readReportFile,
  serializeReport,
  validateReport,
  writeReportFile,
  type Report,
} from '../../../../runner/report/report-file.js';
import { reportSchema } from '../../../../runner/report/report-schema.js';
import { scriptedRun } from './scripted-run.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const STARTED = '2025-01-02T03:04:05.000Z';

function collect(events: readonly RunEvent[], check = false): Report {
  const collector = createReportCollector({ now: () => new Date(STARTED) });
  for (const event of events) collector.listener(event);
  return collector.toReport(check ? { check } : {});
}

/** The scripted run cut to the given hosts, as one shard of a sharded run would report it. */
function shard(hosts: readonly string[]): Report {
  const keep = new Set(hosts);
  const events = scriptedRun().flatMap((e): RunEvent[] => {
    if (e.type === 'run:start') return [{ ...e, hosts: e.hosts.filter((h) => keep.has(h)) }];
    if (e.type === 'task:end') return keep.has(e.result.host) ? [e] : [];
    if (e.type === 'host:start' || e.type === 'task:start' || e.type === 'host:end') return keep.has(e.host) ? [e] : [];
    if (e.type === 'run:end') return [{ ...e, recap: e.recap.filter((r) => keep.has(r.host)) }];
    return [e];
  });
  return collect(events);
}

describe('report schema', () => {
  it('schema/report.schema.json is the TypeScript schema, checked in', async () => {
    const file = JSON.parse(await readFile(join(ROOT, 'schema/report.schema.json'), 'utf8')) as unknown;
    assert.deepEqual(file, JSON.parse(JSON.stringify(reportSchema)));
  });
});

describe('createReportCollector', () => {
  it('builds a report that validates against the schema', () => {
    const report = collect(scriptedRun());
    assert.deepEqual(validateReport(report), []);
    assert.equal(report.version, 1);
    assert.equal(report.playbook, 'playbooks/site.yml');
    assert.equal(report.startedAt, STARTED);
    assert.equal(report.durationMs, 12_345);
    assert.equal(report.check, false);
    assert.deepEqual(
      report.hosts.map((h) => [h.host, h.failed, h.unreachable, h.note]),
      [
        ['spark-01', 0, 0, undefined],
        ['spark-02', 1, 0, undefined],
        ['spark-03', 0, 1, undefined],
        ['spark-04', 0, 0, 'skipped (rollout stopped)'],
      ],
    );
  });

  it('groups results by host in recap order, keeping run order within a host', () => {
    const report = collect(scriptedRun());
    assert.deepEqual(
      report.results.map((r) => `${r.host}:${r.task}`),
      [
        'spark-01:Enable forwarding',
        'spark-01:Show the token',
        'spark-01:Only on x86',
        'spark-01:Install packages',
        'spark-01:Write WireGuard config',
        'spark-02:Enable forwarding',
        'spark-03:Enable forwarding',
      ],
    );
  });

  it('keeps diffs and loop items, and redacts secrets in them', () => {
    const report = collect(scriptedRun());
    const forwarding = report.results[0];
    assert.match(forwarding?.changes[1]?.diff ?? '', /^\+net\.ipv4\.ip_forward = 1$/m);
    assert.deepEqual(report.results[3]?.item, { name: 'ufw', note: 'nothing-secret' });
    assert.equal(report.results[4]?.message, '[Interface]\nPrivateKey = «redacted»\n');
  });

  it('serialises with sorted keys, identically for identical runs', () => {
    const text = serializeReport(collect(scriptedRun()));
    assert.equal(text, serializeReport(collect(scriptedRun())));
    const keys = Object.keys(JSON.parse(text) as object);
    assert.deepEqual(keys, [...keys].sort());
  });

  it('reports an aborted run (no run:end) with counts from the results seen', () => {
    const events = scriptedRun().filter((e) => e.type !== 'run:end');
    const report = collect(events);
    assert.deepEqual(validateReport(report), []);
    assert.deepEqual(
      report.hosts.map((h) => [h.host, h.ok, h.changed, h.failed, h.skipped, h.unreachable]),
      [
        ['spark-01', 2, 2, 0, 1, 0],
        ['spark-02', 0, 0, 1, 0, 0],
        ['spark-03', 0, 0, 0, 0, 1],
        ['spark-04', 0, 0, 0, 0, 0],
      ],
    );
  });
});

describe('validateReport', () => {
  it('names what is wrong', () => {
    const report = collect(scriptedRun()) as unknown as Record<string, unknown>;
    assert.ok(validateReport({ ...report, version: 2 }).some((e) => e.startsWith('/version')));
    assert.ok(validateReport({ ...report, extra: true }).some((e) => e.includes('(extra)')));
    const results = (report.results as Array<Record<string, unknown>>).map((r, i) => (i === 0 ? { ...r, status: 'great' } : r));
    assert.ok(validateReport({ ...report, results }).some((e) => e.startsWith('/results/0/status')));
    assert.ok(validateReport({ ...report, startedAt: 'yesterday' }).some((e) => e.startsWith('/startedAt')));
  });
});

describe('writeReportFile and readReportFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sparkbook-report-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes mode 0600 atomically, leaving no temp file, and reads it back', async () => {
    const path = join(dir, 'out', 'report.json');
    const report = collect(scriptedRun());
    await writeReportFile(path, report);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(dir, 'out')), ['report.json']);
    assert.equal(await readFile(path, 'utf8'), serializeReport(report));
    assert.deepEqual(await readReportFile(path), report);
  });

  it('replaces an existing file whole', async () => {
    const path = join(dir, 'report.json');
    await writeFile(path, 'old content that is longer than nothing'.repeat(1000));
    await writeReportFile(path, collect(scriptedRun()));
    assert.deepEqual(validateReport(JSON.parse(await readFile(path, 'utf8'))), []);
  });

  it('refuses to write a report that breaks its schema (a bug)', async () => {
    const bad = { ...collect(scriptedRun()), version: 3 } as unknown as Report;
    await assert.rejects(writeReportFile(join(dir, 'r.json'), bad), InternalError);
  });

  it('rejects files that are not reports as input errors', async () => {
    await writeFile(join(dir, 'not-json'), '{');
    await writeFile(join(dir, 'wrong'), '{"version":1}');
    await assert.rejects(readReportFile(join(dir, 'not-json')), (e: unknown) => e instanceof InputError && e.kind === 'file');
    await assert.rejects(readReportFile(join(dir, 'wrong')), (e: unknown) => e instanceof InputErrors && e.errors.length > 0);
    await assert.rejects(readReportFile(join(dir, 'missing')), InputError);
  });
});

describe('mergeReports', () => {
  it('unions hosts and concatenates results in host order, like a single run', () => {
    const merged = mergeReports([shard(['spark-01', 'spark-03']), shard(['spark-02', 'spark-04'])]);
    assert.deepEqual(validateReport(merged), []);
    assert.deepEqual(
      merged.hosts.map((h) => h.host),
      ['spark-01', 'spark-03', 'spark-02', 'spark-04'],
    );
    assert.deepEqual(
      merged.results.map((r) => r.host),
      ['spark-01', 'spark-01', 'spark-01', 'spark-01', 'spark-01', 'spark-03', 'spark-02'],
    );
    const single = collect(scriptedRun());
    assert.deepEqual(new Set(merged.hosts.map((h) => h.host)), new Set(single.hosts.map((h) => h.host)));
    assert.equal(merged.results.length, single.results.length);
  });

  it('spans the earliest start to the latest end', () => {
    const a = { ...shard(['spark-01']), startedAt: '2025-01-01T00:00:10.000Z', durationMs: 5000 };
    const b = { ...shard(['spark-02']), startedAt: '2025-01-01T00:00:00.000Z', durationMs: 3000 };
    const merged = mergeReports([a, b]);
    assert.equal(merged.startedAt, '2025-01-01T00:00:00.000Z');
    assert.equal(merged.durationMs, 15_000);
  });

  it('refuses a host present in two shards', () => {
    assert.throws(
      () => mergeReports([shard(['spark-01', 'spark-02']), shard(['spark-02'])]),
      (e: unknown) => e instanceof InputError && /spark-02 is in report 1 and report 2/.test(e.message),
    );
  });

  it('refuses reports of different playbooks or modes, and an empty list', () => {
    const a = shard(['spark-01']);
    assert.throws(() => mergeReports([a, { ...shard(['spark-02']), playbook: 'other.yml' }]), InputError);
    assert.throws(() => mergeReports([a, { ...shard(['spark-02']), check: true }]), InputError);
    assert.throws(() => mergeReports([]), InputError);
  });
});
