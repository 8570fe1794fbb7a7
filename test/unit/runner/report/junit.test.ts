// Tests of runner/report/junit.ts: well-formed JUnit XML that CI systems read, one testcase per host × task.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../../../runner/executor/events.js';
import { attr, NOT_RUN_SUITE, renderJunit, text, writeJunitFile } from '../../../../runner/report/junit.js';
import { createReportCollector, type Report } from '../../../../runner/report/report-file.js';
import { scriptedRun } from './scripted-run.js';

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A strict little XML reader: balanced tags, quoted attributes, only the five entities and numeric references. */
function parseXml(xml: string): XmlElement {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
  const body = xml.slice(xml.indexOf('?>') + 2);
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const decode = (raw: string): string => {
    assert.ok(!raw.includes('<'), `raw < in ${raw}`);
    return raw.replace(/&([^;]*);?/g, (all, name: string) => {
      assert.ok(all.endsWith(';'), `unterminated entity in ${raw}`);
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (name in named) return named[name] as string;
      const numeric = /^#(\d+)$/.exec(name);
      assert.ok(numeric, `unknown entity &${name};`);
      return String.fromCodePoint(Number(numeric[1]));
    });
  };
  const tag = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < body.length) {
    const next = body.indexOf('<', i);
    const textEnd = next < 0 ? body.length : next;
    const top = stack.at(-1) as XmlElement;
    top.text += decode(body.slice(i, textEnd));
    if (next < 0) break;
    tag.lastIndex = next;
    const m = tag.exec(body);
    assert.ok(m, `malformed tag at ${body.slice(next, next + 40)}`);
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      assert.equal(open?.name, name, 'tags are balanced');
    } else {
      const attrs: Record<string, string> = {};
      for (const a of (attrText as string).matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1] as string] = decode(a[2] as string);
      const element: XmlElement = { name: name as string, attrs, children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
    i = tag.lastIndex;
  }
  assert.equal(stack.length, 1, 'every tag is closed');
  assert.equal(root.children.length, 1, 'one root element');
  assert.equal(root.text.trim(), '');
  return root.children[0] as XmlElement;
}

function reportOf(events: readonly RunEvent[]): Report {
  const collector = createReportCollector({ now: () => new Date('2025-01-02T03:04:05.000Z') });
  for (const event of events) collector.listener(event);
  return collector.toReport();
}

describe('renderJunit', () => {
  it('is well-formed, with one testsuite per play and one testcase per host × task', () => {
    const xml = renderJunit(reportOf(scriptedRun()));
    const root = parseXml(xml);
    assert.equal(root.name, 'testsuites');
    assert.deepEqual(root.attrs, { name: 'sparkbook playbooks/site.yml', tests: '8', failures: '1', errors: '1', skipped: '2', time: '12.345', timestamp: '2025-01-02T03:04:05.000Z' });
    assert.deepEqual(
      root.children.map((s) => [s.attrs.name, s.attrs.tests]),
      [
        ['Baseline', '7'],
        [NOT_RUN_SUITE, '1'],
      ],
    );
    const cases = (root.children[0] as XmlElement).children;
    assert.deepEqual(
      cases.map((c) => `${c.attrs.classname} / ${c.attrs.name}`),
      [
        'spark-01 / Enable forwarding',
        'spark-01 / Show the token',
        'spark-01 / Only on x86',
        'spark-01 / Install packages (item={"name":"ufw","note":"nothing-secret"})',
        'spark-01 / Write WireGuard config',
        'spark-02 / Enable forwarding',
        'spark-03 / Enable forwarding',
      ],
    );
    assert.ok(cases.every((c) => c.attrs.time === '0.250'));
  });

  it('gives failures their message, unreachable hosts an error, skipped tasks a skipped element', () => {
    const cases = (parseXml(renderJunit(reportOf(scriptedRun()))).children[0] as XmlElement).children;
    const failure = cases[5]?.children[0];
    assert.equal(failure?.name, 'failure');
    assert.equal(failure?.attrs.message, 'sysctl: permission denied');
    assert.equal(failure?.text, 'sysctl: permission denied\nwhile using tskey-auth-«redacted»');
    assert.equal(cases[6]?.children[0]?.name, 'error');
    assert.equal(cases[6]?.children[0]?.attrs.type, 'unreachable');
    assert.deepEqual(cases[2]?.children[0], { name: 'skipped', attrs: { message: 'when: facts.arch == "x86_64" is false' }, children: [], text: '' });
    assert.equal(cases[0]?.children[0]?.name, 'system-out');
    assert.match(cases[0]?.children[0]?.text ?? '', /~ sysctl net\.ipv4\.ip_forward: 0 → 1/);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    const events = scriptedRun({ leak: '<b>&"quoted"\u0001</b>]]>' });
    const xml = renderJunit(reportOf(events));
    assert.ok(!xml.includes('<b>'));
    const cases = (parseXml(xml).children[0] as XmlElement).children;
    // The item is shown as JSON, which already writes the control character as \u0001.
    assert.equal(cases[3]?.attrs.name, 'Install packages (item={"name":"ufw","note":"<b>&\\"quoted\\"\\u0001</b>]]>"})');
    assert.equal(text('a\u0001b\uFFFEc<&>'), 'a\uFFFDb\uFFFDc&lt;&amp;&gt;');
    assert.equal(attr('say "hi"\n\tnow'), 'say &quot;hi&quot;&#10;&#9;now');
    assert.equal(text('lone \uD800 surrogate, pair \uD83D\uDE00'), 'lone \uFFFD surrogate, pair \uD83D\uDE00');
  });

  it('lists hosts a rollout never reached as skipped', () => {
    const suite = parseXml(renderJunit(reportOf(scriptedRun()))).children[1] as XmlElement;
    assert.deepEqual(suite.children[0]?.attrs, { classname: 'spark-04', name: '(not run)', time: '0.000' });
    assert.equal(suite.children[0]?.children[0]?.attrs.message, 'skipped (rollout stopped)');
  });

  it('writes the file with mode 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparkbook-junit-'));
    try {
      const xml = renderJunit(reportOf(scriptedRun()));
      await writeJunitFile(join(dir, 'junit.xml'), xml);
      assert.equal(await readFile(join(dir, 'junit.xml'), 'utf8'), xml);
      assert.equal((await stat(join(dir, 'junit.xml'))).mode & 0o777, 0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
