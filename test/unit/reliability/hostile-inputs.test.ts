// Hostile playbooks, inventories and extra vars: each is refused with a located error or handled
// safely, within a CPU-time and memory bound, and `validate` contacts no host and runs nothing
// (a TCP listener named in the inventory counts connections; connect() and spawn() are traced).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addFigure } from '../../support/figures.js';
import { CLI, REPO_ROOT } from '../../support/run-cli.js';
import { isLocated, runInProcess } from './support/in-process-cli.js';
import { startTrace } from './support/trace.js';

const BAD = join(REPO_ROOT, 'test/fixtures/bad');
const HOSTILE = join(REPO_ROOT, 'test/fixtures/hostile');
const TRIVIAL = join(REPO_ROOT, 'test/fixtures/local/trivial.yml');
/** CPU time one input may cost (wall time on 2 shared cores is too noisy to bound tightly). */
const CPU_BOUND_MS = 2000;
const WALL_BOUND_MS = 15_000;
/** Peak RSS of a whole `sparkbook validate` process on one input. */
const RSS_BOUND_KB = 400 * 1024;

const corpus = readdirSync(BAD).filter((f) => /^(hostile|inventory-hostile)-.*\.(ya?ml|ini)$/.test(f)).sort();
const accepted = readdirSync(HOSTILE).filter((f) => /\.(ya?ml|ini)$/.test(f)).sort();
const PWNED = '/tmp/pwned';

let dir: string;
let server: Server;
let accepts = 0;
let canaryInventory: string;
let localInventory: string;
let prototypeNames: string[];
let pwnedBefore: number | undefined;

function pwnedMtime(): number | undefined {
  return existsSync(PWNED) ? statSync(PWNED).mtimeMs : undefined;
}

function assertNoPollution(what: string): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeNames, `${what}: Object.prototype changed`);
  assert.equal((({}) as Record<string, unknown>)['polluted'], undefined, `${what}: prototype polluted`);
  assert.equal(pwnedMtime(), pwnedBefore, `${what}: ${PWNED} was touched`);
}

describe('hostile input', function () {
  this.timeout(120_000);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-hostile-'));
    server = createServer((socket) => {
      accepts += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    canaryInventory = join(dir, 'canary.yml');
    writeFileSync(canaryInventory, `all:\n  hosts:\n    canary:\n      ansible_host: 127.0.0.1\n      ansible_port: ${port}\n      ansible_user: nobody\n`);
    localInventory = join(dir, 'local.yml');
    writeFileSync(localInventory, 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
    prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
    pwnedBefore = pwnedMtime();
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a detector that fires: a facts run against the canary inventory is seen by the listener and the tracer', async () => {
    const trace = startTrace();
    let result;
    try {
      result = await runInProcess(['facts', '-i', canaryInventory, '--timeout', '5', '--known-hosts', join(dir, 'known_hosts')], { ...process.env, HOME: dir });
    } finally {
      trace.stop();
    }
    assert.equal(result.code, 4, result.stderr);
    assert.ok(accepts >= 1, 'the listener saw the connection');
    assert.ok(trace.connects.some((c) => c.includes('127.0.0.1')), `connects traced: ${trace.connects.join(', ')}`);
    const local = startTrace();
    try {
      await runInProcess(['facts', '-i', localInventory]);
    } finally {
      local.stop();
    }
    assert.ok(local.spawns.length >= 1, 'a local facts run spawns a shell, and the tracer sees it');
    accepts = 0;
  });

  it(`refuses every case of the hostile corpus (${corpus.length} files) with a located error, in bounded CPU time, contacting nothing`, async () => {
    assert.ok(corpus.length >= 30, `only ${corpus.length} hostile cases`);
    const failures: string[] = [];
    let unlocated = 0;
    const rss0 = process.resourceUsage().maxRSS;
    for (const file of corpus) {
      const rel = `test/fixtures/bad/${file}`;
      const argv = file.startsWith('inventory-') ? ['validate', TRIVIAL, '-i', rel] : ['validate', rel, '-i', canaryInventory];
      const trace = startTrace();
      let r;
      try {
        r = await runInProcess(argv);
      } finally {
        trace.stop();
      }
      if (!isLocated(r.error)) unlocated += 1;
      if (r.code !== 2) failures.push(`${file}: exit ${r.code}: ${r.stderr.split('\n')[0]}`);
      else if (!isLocated(r.error)) failures.push(`${file}: not located: ${r.stderr.split('\n')[0]}`);
      if (r.cpuMs > CPU_BOUND_MS || r.wallMs > WALL_BOUND_MS) failures.push(`${file}: took ${Math.round(r.cpuMs)} ms CPU, ${Math.round(r.wallMs)} ms wall`);
      if (trace.connects.length > 0 || trace.spawns.length > 0) failures.push(`${file}: connected ${trace.connects.join(',')} spawned ${trace.spawns.join(',')}`);
      assertNoPollution(file);
    }
    addFigure('hostile.inputs', corpus.length);
    addFigure('errors.unlocated', unlocated);
    assert.deepEqual(failures, []);
    assert.equal(accepts, 0, 'no connection reached the canary host');
    const grownKb = process.resourceUsage().maxRSS - rss0;
    assert.ok(grownKb < RSS_BOUND_KB, `peak RSS grew by ${grownKb} KB over the corpus`);
  });

  it(`accepts the hostile-but-valid inputs (${accepted.length} files) without polluting prototypes or running anything`, async () => {
    const failures: string[] = [];
    for (const file of accepted) {
      const rel = join(HOSTILE, file);
      const argv = file.startsWith('inventory-') ? ['validate', TRIVIAL, '-i', rel] : ['validate', rel, '-i', canaryInventory];
      const trace = startTrace();
      let r;
      try {
        r = await runInProcess(argv);
        if (file.startsWith('inventory-')) {
          const listed = await runInProcess(['inventory', '-i', rel, '--list']);
          if (listed.code !== 0) failures.push(`${file}: inventory --list exit ${listed.code}: ${listed.stderr}`);
        }
      } finally {
        trace.stop();
      }
      if (r.code !== 0 && !(r.code === 2 && isLocated(r.error))) failures.push(`${file}: exit ${r.code}: ${r.stderr}`);
      if (r.cpuMs > CPU_BOUND_MS) failures.push(`${file}: ${Math.round(r.cpuMs)} ms CPU`);
      if (trace.connects.length > 0 || trace.spawns.length > 0) failures.push(`${file}: contacted or spawned something`);
      assertNoPollution(file);
    }
    addFigure('hostile.inputs', accepted.length);
    assert.deepEqual(failures, []);
    assert.equal(accepts, 0);
  });

  it('runs the accepted hostile playbooks on a local connection, check mode and apply, with nothing executed and no prototype touched', async () => {
    const playbooks = accepted.filter((f) => f.startsWith('playbook-'));
    const failures: string[] = [];
    for (const check of [true, false]) {
      for (const file of playbooks) {
        const argv = ['run', join(HOSTILE, file), '-i', localInventory, '--output', 'plain', '--timeout', '20', ...(check ? ['--check'] : [])];
        const r = await runInProcess(argv);
        // 0: ran; 2: refused as input (a pattern matching nothing); 4: a task failed on the host (sudo to a bogus user).
        if (![0, 2, 4].includes(r.code)) failures.push(`${file}: exit ${r.code}: ${r.stderr}`);
        if (/internal error/.test(r.stderr)) failures.push(`${file}: ${r.stderr}`);
        assertNoPollution(file);
      }
    }
    addFigure('hostile.inputs', playbooks.length * 2);
    assert.deepEqual(failures, []);
  });

  it('refuses a 10 MB string, reads a 4 MB one, a 20,000-key mapping and a pipe or device import within the CPU and RSS bounds (a real process each)', function () {
    const cases: { name: string; text?: string; setup?: () => string; expect: RegExp; code: number }[] = [
      { name: 'ten-mb-string.yml', text: `- hosts: all\n  vars:\n    big: "${'x'.repeat(10 * 1024 * 1024)}"\n  tasks: []\n`, expect: /file is larger than 5 MB/, code: 2 },
      { name: 'four-mb-string.yml', text: `- hosts: all\n  vars:\n    big: "${'x'.repeat(4 * 1024 * 1024)}"\n  tasks: []\n`, expect: /^ok /, code: 0 },
      { name: 'many-keys.yml', text: `- hosts: all\n  vars:\n${Array.from({ length: 20_000 }, (_, i) => `    k${i}: v\n`).join('')}  tasks: []\n`, expect: /^ok /, code: 0 },
      {
        name: 'fifo-import.yml',
        setup: () => {
          spawnSync('mkfifo', [join(dir, 'pipe.yml')]);
          return `- hosts: all\n  tasks:\n    - import_tasks: pipe.yml\n`;
        },
        expect: /fifo-import\.yml:3:21: imported path is not a regular file: .*pipe\.yml/,
        code: 2,
      },
      {
        name: 'device-import.yml',
        setup: () => {
          spawnSync('ln', ['-sf', '/dev/zero', join(dir, 'zero.yml')]);
          return `- hosts: all\n  tasks:\n    - import_tasks: zero.yml\n`;
        },
        expect: /device-import\.yml:3:21: imported path is not a regular file/,
        code: 2,
      },
    ];
    const hasTime = existsSync('/usr/bin/time');
    for (const c of cases) {
      const file = join(dir, c.name);
      writeFileSync(file, c.setup ? c.setup() : (c.text as string));
      const argv = [process.execPath, CLI, 'validate', file];
      const r = hasTime
        ? spawnSync('/usr/bin/time', ['-f', 'RUSAGE %M %U %S', ...argv], { encoding: 'utf8', timeout: 60_000 })
        : spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, c.code, `${c.name}: ${r.stderr}`);
      assert.match(`${r.stdout}${r.stderr}`.trim().split('\n')[0] ?? '', c.expect);
      if (hasTime) {
        const m = /RUSAGE (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
        assert.ok(m, `no rusage line: ${r.stderr}`);
        const [rssKb, user, sys] = [Number(m[1]), Number(m[2]), Number(m[3])];
        assert.ok(rssKb < RSS_BOUND_KB, `${c.name}: peak RSS ${rssKb} KB`);
        // Node's own start-up is ~0.3 s of CPU: the bound is on top of it.
        assert.ok(user + sys < CPU_BOUND_MS / 1000 + 1, `${c.name}: ${user + sys} s CPU`);
      }
    }
    addFigure('hostile.inputs', cases.length);
  });

  it('refuses hostile extra vars (-e): __proto__ and constructor names, a missing file, an alias bomb, invalid YAML, NUL bytes, bad UTF-8, a device, an oversized file', async () => {
    const bomb = join(dir, 'bomb.yml');
    writeFileSync(bomb, `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`);
    const badYaml = join(dir, 'bad-vars.yml');
    writeFileSync(badYaml, 'a: [1, 2\n');
    const nul = join(dir, 'nul-vars.yml');
    writeFileSync(nul, 'a: 1\nb: "x\u0000y"\n');
    const latin1 = join(dir, 'latin1-vars.yml');
    writeFileSync(latin1, Buffer.concat([Buffer.from('a: 1\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const huge = join(dir, 'huge-vars.yml');
    writeFileSync(huge, `a: "${'x'.repeat(6 * 1024 * 1024)}"\n`);
    const nested = join(dir, 'nested-proto.yml');
    writeFileSync(nested, 'ok_name:\n  __proto__: { polluted: true }\n  constructor: { prototype: { polluted: true } }\n');
    const refused: [string, RegExp][] = [
      ['__proto__=1', /'__proto__' is not a valid variable name/],
      ['constructor=1', /'constructor' is not a valid variable name/],
      ['{"__proto__": {"polluted": true}}', /not a valid variable name|must be a mapping/],
      [`@${join(dir, 'missing.yml')}`, /cannot read the file/],
      [`@${bomb}`, /alias|resource exhaustion/i],
      [`@${badYaml}`, /invalid YAML/],
      [`@${nul}`, new RegExp(`${nul.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: NUL byte`)],
      [`@${latin1}`, new RegExp(`${latin1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:10: invalid UTF-8 byte 0xe9`)],
      ['@/dev/zero', /cannot read the file \(not a regular file\)/],
      [`@${huge}`, /cannot read the file \(file is larger than 5 MB\)/],
      ['$(touch /tmp/pwned)', /expected KEY=VALUE|not a valid variable name/],
    ];
    for (const [value, message] of refused) {
      const r = await runInProcess(['validate', TRIVIAL, '-e', value]);
      assert.equal(r.code, 2, `-e ${value}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assertNoPollution(`-e ${value}`);
    }
    const ok = await runInProcess(['validate', TRIVIAL, '-e', `@${nested}`]);
    assert.equal(ok.code, 0, ok.stderr);
    assertNoPollution('-e @nested-proto.yml');
    addFigure('hostile.inputs', refused.length + 1);
  });
});
