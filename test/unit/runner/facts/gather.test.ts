// Tests of gatherFacts: one script run over the connection, its options passed on, a failing
// exit still parsed; and a real run on this machine through a minimal local connection.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, hostname, networkInterfaces, release, totalmem } from 'node:os';
import type { Connection, Endpoint, RunOptions, RunResult } from '../../../../runner/connection/connection.js';
import type { AddressFact } from '../../../../runner/facts/facts.js';
import { factsScript } from '../../../../runner/facts/script.js';
import { gatherFacts } from '../../../../runner/facts/gather.js';
import { parseOsRelease } from '../../../../runner/facts/parse/os-release.js';
import type { Script } from '../../../../runner/shell/script.js';
import { scriptFixture } from './script-fixtures.js';

/** A connection that answers every run with one recorded result and remembers what it was asked. */
class RecordedConnection implements Connection {
  readonly host = 'spark-01';
  readonly calls: { script: string; options: RunOptions | undefined }[] = [];
  constructor(
    readonly endpoint: Endpoint,
    private readonly result: RunResult,
  ) {}
  async run(script: Script, options?: RunOptions): Promise<RunResult> {
    this.calls.push({ script: script.raw(), options });
    return this.result;
  }
  async close(): Promise<void> {}
}

/** The smallest local connection: `/bin/sh -s` with the script on stdin (runner/connection/local.ts is not needed here). */
class ShellConnection implements Connection {
  readonly host = 'localhost';
  readonly endpoint: Endpoint = { transport: 'local', address: 'localhost', port: 0, user: 'local' };
  run(script: Script, options?: RunOptions): Promise<RunResult> {
    const started = Date.now();
    return new Promise((resolve) => {
      const child = spawn('/bin/sh', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options?.timeoutMs ?? 30_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        resolve({ exitCode, signal, stdout, stderr, durationMs: Date.now() - started, timedOut });
      });
      child.stdin.end(script.raw());
    });
  }
  async close(): Promise<void> {}
}

describe('gatherFacts', () => {
  const spark = scriptFixture('ubuntu-2404-dgx-spark');
  const result = (stdout: string, exitCode: number | null): RunResult => ({ exitCode, signal: null, stdout, stderr: '', durationMs: 5, timedOut: false });

  it('runs the facts script once, passing become and timeout on', async () => {
    const conn = new RecordedConnection(spark.connection, result(spark.stdout, 0));
    await gatherFacts(conn, { becomeUser: 'root', timeoutMs: 12_000 });
    assert.equal(conn.calls.length, 1);
    assert.equal(conn.calls[0]?.script, factsScript().raw());
    assert.deepEqual(conn.calls[0]?.options, { becomeUser: 'root', timeoutMs: 12_000 });
  });

  it('parses the output into facts that carry the connection', async () => {
    const facts = await gatherFacts(new RecordedConnection(spark.connection, result(spark.stdout, 0)));
    assert.deepEqual(facts, spark.expected);
  });

  it('still parses what is there when the script exits non-zero or times out', async () => {
    const cut = spark.stdout.slice(0, spark.stdout.indexOf('@@sparkbook:ufw-status'));
    const conn = new RecordedConnection(spark.connection, { ...result(cut, null), signal: 'SIGKILL', timedOut: true });
    const facts = await gatherFacts(conn);
    assert.deepEqual([facts.arch, facts.sshd?.ports, facts.ufw], ['aarch64', [22], null]);
    const failed = await gatherFacts(new RecordedConnection(spark.connection, result(spark.stdout, 1)));
    assert.equal(failed.isDgxSpark, true);
  });

  it('propagates a transport failure of the connection', async () => {
    const conn = new RecordedConnection(spark.connection, result('', 0));
    conn.run = async () => {
      throw new Error('connection reset');
    };
    await assert.rejects(gatherFacts(conn), /connection reset/);
  });

  describe('on this machine, through /bin/sh', () => {
    const conn = new ShellConnection();
    const nodeArch: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l', ia32: 'i686', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

    it("reports this machine's architecture, hostname, kernel, OS, memory and user as Node sees them", async () => {
      const facts = await gatherFacts(conn, { timeoutMs: 30_000 });
      assert.equal(facts.arch, nodeArch[arch()] ?? arch());
      assert.equal(facts.hostname, hostname());
      assert.equal(facts.kernel, release());
      assert.deepEqual(facts.connection, conn.endpoint);
      const osRelease = parseOsRelease(readFileSync('/etc/os-release', 'utf8'));
      assert.deepEqual(facts.os, osRelease);
      assert.equal(facts.memoryMb, Math.floor(totalmem() / 1024 / 1024));
      assert.equal(facts.user.uid, process.getuid?.() ?? null);
      assert.ok((facts.cpus ?? 0) >= 1);
    });

    it("finds every address Node sees, on the same interfaces", async () => {
      const facts = await gatherFacts(conn, { timeoutMs: 30_000 });
      for (const [name, addrs] of Object.entries(networkInterfaces())) {
        const ours = facts.interfaces.find((i) => i.name === name);
        assert.ok(ours, `interface ${name}`);
        for (const a of addrs ?? []) {
          const found: AddressFact | undefined = ours.addresses.find((x) => x.address === a.address.replace(/%.*$/, ''));
          assert.ok(found, `${name} ${a.address}`);
          assert.equal(found.family, a.family === 'IPv4' ? 'inet' : 'inet6');
          assert.equal(`${found.address}/${found.prefix}`, a.cidr?.replace(/%[^/]*/, ''));
        }
      }
      if (facts.defaultRoute !== null) assert.ok(facts.interfaces.some((i) => i.name === facts.defaultRoute?.interface));
    });
  });
});
