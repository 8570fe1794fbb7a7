// `--junit FILE.xml`: the report as JUnit XML, which CI systems read: one testsuite per play,
// one testcase per host × task (classname = host, name = task), failures with their messages.
import { renderChangeLine } from './change-line.js';
import { writeFileAtomic } from './atomic-write.js';
import { redact } from './redact.js';
import type { Report, ReportResult } from './report-schema.js';
import { taskLabel } from './style.js';

/** The suite holding hosts that never ran (a rollout stopped before them). */
export const NOT_RUN_SUITE = 'hosts not run';

export function renderJunit(report: Report): string {
  const plays: string[] = [];
  const byPlay = new Map<string, ReportResult[]>();
  for (const result of report.results) {
    let list = byPlay.get(result.play);
    if (!list) {
      byPlay.set(result.play, (list = []));
      plays.push(result.play);
    }
    list.push(result);
  }
  const suites: Suite[] = plays.map((play) => suiteOf(play, (byPlay.get(play) as ReportResult[]).map(caseOf)));
  const hostsWithResults = new Set(report.results.map((r) => r.host));
  const notRun = report.hosts.filter((h) => !hostsWithResults.has(h.host));
  if (notRun.length > 0) {
    suites.push(
      suiteOf(
        NOT_RUN_SUITE,
        notRun.map((h) => ({ classname: h.host, name: '(not run)', time: 0, body: [`<skipped message="${attr(h.note ?? 'not run')}"/>`], failure: false, error: false, skipped: true })),
      ),
    );
  }
  const total = (key: 'tests' | 'failures' | 'errors' | 'skipped'): number => suites.reduce((n, s) => n + s[key], 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`sparkbook ${report.playbook}${report.check ? ' (check mode)' : ''}`)}" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" skipped="${total('skipped')}" time="${seconds(report.durationMs)}" timestamp="${attr(report.startedAt)}">`,
  ];
  for (const suite of suites) {
    lines.push(
      `  <testsuite name="${attr(suite.name)}" tests="${suite.tests}" failures="${suite.failures}" errors="${suite.errors}" skipped="${suite.skipped}" time="${seconds(suite.timeMs)}">`,
    );
    for (const test of suite.cases) {
      const open = `    <testcase classname="${attr(test.classname)}" name="${attr(test.name)}" time="${seconds(test.time)}"`;
      if (test.body.length === 0) lines.push(`${open}/>`);
      else lines.push(`${open}>`, ...test.body.map((line) => `      ${line}`), '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

export async function writeJunitFile(path: string, xml: string): Promise<void> {
  await writeFileAtomic(path, xml, 0o600);
}

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly time: number;
  readonly body: readonly string[];
  readonly failure: boolean;
  readonly error: boolean;
  readonly skipped: boolean;
}

interface Suite {
  readonly name: string;
  readonly cases: readonly Case[];
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  readonly timeMs: number;
}

function suiteOf(name: string, cases: readonly Case[]): Suite {
  return {
    name,
    cases,
    tests: cases.length,
    failures: cases.filter((c) => c.failure).length,
    errors: cases.filter((c) => c.error).length,
    skipped: cases.filter((c) => c.skipped).length,
    timeMs: cases.reduce((ms, c) => ms + c.time, 0),
  };
}

function caseOf(result: ReportResult): Case {
  const detail = result.reason ?? result.message ?? '';
  const firstLine = detail.split('\n')[0] ?? '';
  const body: string[] = [];
  // A task failure is a JUnit failure; an unreachable host is an error: the test could not run.
  if (result.status === 'failed') body.push(`<failure message="${attr(firstLine || 'failed')}" type="failed">${text(detail)}</failure>`);
  if (result.status === 'unreachable') body.push(`<error message="${attr(firstLine || 'unreachable')}" type="unreachable">${text(detail)}</error>`);
  if (result.status === 'skipped') body.push(firstLine ? `<skipped message="${attr(firstLine)}"/>` : '<skipped/>');
  if (result.changes.length > 0) {
    const heading = result.pending ? 'pending (check mode):' : 'changed:';
    body.push(`<system-out>${text([heading, ...result.changes.map(renderChangeLine)].join('\n'))}</system-out>`);
  }
  return {
    classname: result.host,
    name: taskLabel(result),
    time: result.durationMs,
    body,
    failure: result.status === 'failed',
    error: result.status === 'unreachable',
    skipped: result.status === 'skipped',
  };
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

// Characters XML 1.0 cannot hold at all, even escaped: most C0 controls, lone surrogates, U+FFFE/F.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Element content: redacted, escaped, impossible characters replaced. */
export function text(value: string): string {
  return redact(value).replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute value (double-quoted): as text(), plus quotes and line breaks kept as references. */
export function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
