// `--report FILE.json`: collects the run's events into one Report (schema in report-schema.ts),
// validates it, writes it atomically with mode 0600, reads it back, and merges shards' reports.
import { readFile } from 'node:fs/promises';
import { Ajv, type ValidateFunction } from 'ajv';
import { InputError, InputErrors, InternalError } from '../errors.js';
import type { HostRecap, RunEvent, RunEventListener, TaskResult } from '../executor/events.js';
import { writeFileAtomic } from './atomic-write.js';
import { redactValue } from './redact.js';
import { reportSchema, type Report, type ReportHost, type ReportResult } from './report-schema.js';

export type { Report, ReportHost, ReportResult } from './report-schema.js';

/** What the caller knows better than the events, or wants to pin (tests). */
export interface ReportMeta {
  readonly playbook?: string;
  readonly startedAt?: string;
  readonly durationMs?: number;
  readonly check?: boolean;
}

export interface ReportCollector {
  readonly listener: RunEventListener;
  /** The report so far; complete after run:end. Secrets redacted, keys sorted. */
  toReport(meta?: ReportMeta): Report;
}

export function createReportCollector(options: { now?: () => Date } = {}): ReportCollector {
  const now = options.now ?? (() => new Date());
  let playbook = '';
  let check = false;
  let started: Date | undefined;
  let plannedHosts: readonly string[] = [];
  let recap: readonly HostRecap[] | undefined;
  let durationMs: number | undefined;
  const results: TaskResult[] = [];
  const listener = (event: RunEvent): void => {
    switch (event.type) {
      case 'run:start':
        playbook = event.playbook;
        check = event.check;
        plannedHosts = event.hosts;
        started = now();
        return;
      case 'task:end': {
        // `detail` (a task's return values, for -v) is not part of the report's schema.
        const { detail: _detail, ...result } = event.result;
        results.push(result);
        return;
      }
      case 'run:end':
        recap = event.recap;
        durationMs = event.durationMs;
        return;
      default:
        return;
    }
  };
  const toReport = (meta: ReportMeta = {}): Report => {
    const startedAt = started ?? now();
    return buildReport({
      playbook: meta.playbook ?? playbook,
      startedAt: meta.startedAt ?? startedAt.toISOString(),
      durationMs: meta.durationMs ?? durationMs ?? Math.max(0, now().getTime() - startedAt.getTime()),
      check: meta.check ?? check,
      // Before run:end (an aborted run) the counts come from the results seen so far.
      hosts: recap ?? tally(plannedHosts, results),
      results,
    });
  };
  return { listener, toReport };
}

/** A Report from a recap and results: results grouped by host in recap order, secrets redacted, keys sorted. */
export function buildReport(input: {
  readonly playbook: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly check: boolean;
  readonly hosts: readonly HostRecap[];
  readonly results: readonly TaskResult[];
}): Report {
  const order = new Map<string, number>();
  input.hosts.forEach((h, i) => order.set(h.host, i));
  for (const r of input.results) if (!order.has(r.host)) order.set(r.host, order.size);
  const results = input.results
    .map((result, index) => ({ result, index }))
    .sort((a, b) => (order.get(a.result.host) as number) - (order.get(b.result.host) as number) || a.index - b.index)
    .map(({ result }) => result);
  const report = {
    version: 1,
    playbook: input.playbook,
    startedAt: input.startedAt,
    durationMs: input.durationMs,
    check: input.check,
    hosts: input.hosts,
    results,
  };
  // redactValue also turns the readonly event data into plain, key-sorted JSON.
  return redactValue(report) as unknown as Report;
}

/** The file's text: canonical JSON, two-space indent, final newline. */
export function serializeReport(report: Report): string {
  return JSON.stringify(redactValue(report), null, 2) + '\n';
}

/** Validates, then writes atomically with mode 0600 (results may hold host details). */
export async function writeReportFile(path: string, report: Report): Promise<void> {
  const errors = validateReport(report);
  if (errors.length > 0) throw new InternalError(`the report for ${path} does not match its schema: ${errors.join('; ')}`);
  await writeFileAtomic(path, serializeReport(report), 0o600);
}

let validator: ValidateFunction | undefined;

/** Every way `value` breaks the report schema, as `path: message` lines; [] when valid. */
export function validateReport(value: unknown): string[] {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(reportSchema);
  if (validator(value)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

/** Reads and validates a report file (for `sparkbook report merge`). */
export async function readReportFile(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError('file', `${path}: cannot read the report: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError('file', `${path}: not JSON: ${(error as Error).message}`);
  }
  const errors = validateReport(value);
  if (errors.length > 0) throw new InputErrors(errors.map((e) => new InputError('schema', `${path}: not a sparkbook report: ${e}`)));
  return value as Report;
}

/**
 * One report from the reports of shards of one run: hosts unioned in the order given (a host
 * in two shards is an error), results concatenated in that host order, the earliest start and
 * the latest end.
 */
export function mergeReports(reports: readonly Report[]): Report {
  const first = reports[0];
  if (!first) throw new InputError('usage', 'report merge needs at least one report');
  const hosts: ReportHost[] = [];
  const shardOf = new Map<string, number>();
  reports.forEach((report, index) => {
    if (report.playbook !== first.playbook) {
      throw new InputError('file', `report ${index + 1} is of playbook ${report.playbook}, report 1 of ${first.playbook}`);
    }
    if (report.check !== first.check) throw new InputError('file', `report ${index + 1} and report 1 differ in check mode`);
    for (const host of report.hosts) {
      const seen = shardOf.get(host.host);
      if (seen !== undefined) throw new InputError('file', `host ${host.host} is in report ${seen + 1} and report ${index + 1}`);
      shardOf.set(host.host, index);
      hosts.push(host);
    }
  });
  const results: ReportResult[] = [];
  for (const host of hosts) {
    const report = reports[shardOf.get(host.host) as number] as Report;
    results.push(...report.results.filter((r) => r.host === host.host));
  }
  // Results of hosts missing from their report's recap are kept, after the others.
  reports.forEach((report) => results.push(...report.results.filter((r) => !shardOf.has(r.host))));
  const starts = reports.map((r) => Date.parse(r.startedAt));
  const start = Math.min(...starts);
  const end = Math.max(...reports.map((r, i) => (starts[i] as number) + r.durationMs));
  return redactValue({
    version: 1,
    playbook: first.playbook,
    startedAt: reports[starts.indexOf(start)]?.startedAt ?? first.startedAt,
    durationMs: end - start,
    check: first.check,
    hosts,
    results,
  }) as unknown as Report;
}

function tally(planned: readonly string[], results: readonly TaskResult[]): HostRecap[] {
  const byHost = new Map<string, HostRecap>();
  const entry = (host: string): HostRecap => {
    let recap = byHost.get(host);
    if (!recap) byHost.set(host, (recap = { host, ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, durationMs: 0 }));
    return recap;
  };
  for (const host of planned) entry(host);
  for (const result of results) {
    const recap = entry(result.host);
    recap[result.status]++;
    recap.durationMs += result.durationMs;
  }
  return [...byHost.values()];
}
