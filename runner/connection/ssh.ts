// The SSH connection on ssh2: one authenticated connection per host for the whole run, one
// persistent shell channel per identity (shell-session.ts) serving every script, host keys always
// verified, ProxyJump through forwardOut.
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, ClientChannel, ConnectConfig, ParsedKey, Client as SshClient } from 'ssh2';
import { HostError } from '../errors.js';
import type { Script } from '../shell/script.js';
import { redactKnownSecrets, type Secret } from '../shell/secret.js';
import type { Connection, Endpoint, RunOptions, RunResult } from './connection.js';
import { becomeCommand, needsBecome, newBecomeMarkers } from './become.js';
import { appendKnownHost, checkHostKey, entriesFor, fingerprint, keyTypeLabel, keyTypeOf, knownHostName, loadKnownHosts, type KnownHosts } from './known-hosts.js';
import type { ConnectionSettings } from './settings.js';
import { ShellSession } from './shell-session.js';
import type { RunningProcess } from './supervise.js';

const { Client, utils } = ssh2;

/** Host key algorithms ssh2 can verify, in its default preference order. */
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** A connected chain: the jump hosts (if any) and the final client, with the key it presented. */
interface Link {
  readonly client: SshClient;
  readonly hops: readonly SshClient[];
  readonly hostKey: Buffer;
  readonly endpoint: Endpoint;
  /** Set once the transport is gone. */
  lost: HostError | undefined;
  readonly lostSignal: Promise<HostError>;
  /** Declares the transport lost (when we can tell before ssh2 does): sets `lost`, resolves `lostSignal`. */
  readonly declareLost: (error: HostError) => void;
  /** Set when we close it ourselves: its end is then no loss to report. */
  closing: boolean;
  /** Open shell sessions on this connection; `busy` while a script runs (or is about to). */
  readonly sessions: PooledSession[];
}

interface PooledSession {
  /** The become user, or '' for the login user. */
  readonly identity: string;
  readonly session: ShellSession;
  busy: boolean;
}

/** At most `max` channels at once; the rest wait in order. */
class Limiter {
  #active = 0;
  readonly #queue: (() => void)[] = [];
  constructor(public max: number) {}
  get active(): number {
    return this.#active;
  }
  async acquire(): Promise<() => void> {
    if (this.#active >= this.max) await new Promise<void>((resolve) => this.#queue.push(resolve));
    this.#active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      if (this.#active < this.max) this.#queue.shift()?.();
    };
  }
}

interface Target {
  /** How messages name it: `spark-01 (10.0.0.5:22)`. */
  readonly label: string;
  readonly hostName: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  /** Names (without port) whose known_hosts entries apply. */
  readonly names: readonly string[];
  readonly identityFiles: readonly string[];
  readonly identitiesOnly: boolean;
  readonly password?: Secret;
}

export class SshConnection implements Connection {
  readonly host: string;
  readonly #settings: ConnectionSettings;
  #link: Link;
  readonly #limiter: Limiter;
  #closed = false;

  private constructor(settings: ConnectionSettings, link: Link) {
    this.host = settings.host;
    this.#settings = settings;
    this.#link = link;
    this.#limiter = new Limiter(Math.max(1, settings.maxSessions));
  }

  /** Connects (through any jump hosts), verifies host keys and authenticates; throws HostError. */
  static async connect(settings: ConnectionSettings): Promise<SshConnection> {
    const link = await openLink(settings, settings.port, (target, key, known) => verifyWithKnownHosts(settings, target, key, known));
    return new SshConnection(settings, link);
  }

  get endpoint(): Endpoint {
    return this.#link.endpoint;
  }

  /** The key the host presented (SSH wire format), e.g. for a report. */
  get hostKey(): Buffer {
    return this.#link.hostKey;
  }

  async run(script: Script, options: RunOptions = {}): Promise<RunResult> {
    const release = await this.#limiter.acquire();
    try {
      return await this.#runOnce(script, options);
    } finally {
      release();
    }
  }

  async #runOnce(script: Script, options: RunOptions): Promise<RunResult> {
    const link = this.#link;
    if (this.#closed) throw new HostError('unreachable', this.host, `connection to ${this.#label()} is closed`);
    if (link.lost) throw link.lost;
    const become = needsBecome(link.endpoint.user, options.becomeUser) ? options.becomeUser : undefined;
    const timeoutMs = options.timeoutMs ?? this.#settings.commandTimeoutMs;
    const pooled = link.sessions.find((p) => p.identity === (become ?? '') && !p.busy && p.session.usable) ?? (await this.#openSession(link, become));
    pooled.busy = true;
    try {
      const outcome = await Promise.race([pooled.session.run(script.raw(), timeoutMs), link.lostSignal.then((e) => Promise.reject(e))]);
      if (outcome.result.timedOut) await this.#answeredAfterTimeout(link, pooled.session);
      // A session that ended mid-script while the transport went down is a lost host, not a result.
      if (outcome.sessionEnded && !outcome.result.timedOut) {
        const lost = await Promise.race([link.lostSignal, new Promise<undefined>((r) => setTimeout(() => r(undefined), 200).unref())]);
        if (lost) throw lost;
      }
      return outcome.result;
    } finally {
      pooled.busy = false;
      pruneSessions(link);
    }
  }

  /**
   * After a script timed out, its session was killed: a host that is still there closes the
   * channel within moments (its remote `timeout` ends the script about a second later). A host
   * whose network died never answers, and waiting for 3 lost keepalives would report it only
   * later, as a mere timeout. So: no close within a keepalive interval (2–15 s) means the host
   * is unreachable, and the connection is given up.
   */
  async #answeredAfterTimeout(link: Link, session: ShellSession): Promise<void> {
    const waitMs = Math.min(15_000, Math.max(2_000, this.#settings.keepaliveIntervalMs));
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<'silent'>((resolve) => {
      timer = setTimeout(() => resolve('silent'), waitMs);
    });
    const verdict = await Promise.race([session.ended.then(() => 'answered' as const), link.lostSignal, silent]);
    clearTimeout(timer);
    if (verdict instanceof HostError) throw verdict;
    if (verdict === 'answered') return;
    const lost = new HostError('unreachable', this.host, `${this.#label()} stopped answering: a script timed out and the host did not acknowledge closing it within ${Math.round(waitMs / 1000)} s`);
    link.declareLost(lost);
    closeLink(link);
    throw link.lost ?? lost;
  }

  /** Opens a shell session for `become` (or the login user), making room under the session limit. */
  async #openSession(link: Link, become: string | undefined): Promise<PooledSession> {
    // Sessions of another identity sit idle holding a channel: give one back before opening more.
    if (link.sessions.length >= this.#limiter.max) {
      const idle = link.sessions.find((p) => !p.busy);
      if (idle) {
        idle.session.close();
        link.sessions.splice(link.sessions.indexOf(idle), 1);
      }
    }
    const markers = become !== undefined ? newBecomeMarkers() : undefined;
    const command = become !== undefined && markers ? becomeCommand(become, markers) : 'sh -s';
    const channel = await this.#openChannel(link, command);
    const session = new ShellSession(channelProcess(channel, link), {
      ...(become !== undefined &&
        markers && {
          become: { host: this.host, user: become, markers, ...(this.#settings.become.password && { password: this.#settings.become.password }) },
        }),
    });
    const pooled: PooledSession = { identity: become ?? '', session, busy: true };
    link.sessions.push(pooled);
    return pooled;
  }

  async #openChannel(link: Link, command: string): Promise<ClientChannel> {
    for (;;) {
      try {
        return await new Promise<ClientChannel>((resolve, reject) => {
          link.client.exec(command, (err, channel) => (err ? reject(err) : resolve(channel)));
        });
      } catch (e) {
        if (link.lost) throw link.lost;
        // The server allows fewer sessions than we assumed: shrink the limit and wait for a free one.
        if (this.#limiter.active > 1) {
          this.#limiter.max = Math.max(1, this.#limiter.active - 1);
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        throw new HostError('unreachable', this.host, `${this.#label()} refused a session: ${(e as Error).message}`);
      }
    }
  }

  #label(): string {
    const e = this.#link.endpoint;
    return `${this.host} (${e.address}:${e.port})`;
  }

  /**
   * Opens a fresh connection to the same address on `port` (through the same jump hosts),
   * proves a session works there, and requires the same host key as the current connection.
   * The new `[address]:port` is recorded in known_hosts (the key is already trusted).
   */
  async reconnect(target: { readonly port: number; readonly adopt: boolean }): Promise<Endpoint> {
    const current = this.#link;
    const settings = this.#settings;
    const link = await openLink(settings, target.port, async (t, key) => {
      if (t.port !== target.port || t.address !== settings.address) return verifyWithKnownHosts(settings, t, key, await readKnownHosts(settings, t));
      if (!key.equals(current.hostKey)) {
        return new HostError(
          'hostkey',
          this.host,
          `host key of ${t.label} (${fingerprint(key)}, ${keyTypeLabel(keyTypeOf(key) ?? '?')}) differs from the one ${this.host} presented on port ${current.endpoint.port} (${fingerprint(current.hostKey)}): refusing the new port`,
        );
      }
      const file = settings.knownHostsFiles[0];
      if (file !== undefined) await appendKnownHost(file, knownHostName(settings.address, target.port), key).catch(() => undefined);
      return undefined;
    });
    try {
      const probe = await new Promise<ClientChannel>((resolve, reject) => link.client.exec('true', (err, ch) => (err ? reject(err) : resolve(ch))));
      await new Promise<void>((resolve) => {
        probe.on('close', () => resolve());
        probe.resume();
        probe.stderr.resume();
      });
    } catch (e) {
      closeLink(link);
      throw new HostError('unreachable', this.host, `${this.host} (${settings.address}:${target.port}) accepted the connection but refused a session: ${(e as Error).message}`);
    }
    if (!target.adopt) {
      closeLink(link);
      return link.endpoint;
    }
    this.#link = link;
    closeLink(current);
    return link.endpoint;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    closeLink(this.#link);
  }
}

/** How long a closing connection may wait for the peer before its socket is destroyed. */
const CLOSE_GRACE_MS = 2000;

function pruneSessions(link: Link): void {
  for (let i = link.sessions.length - 1; i >= 0; i--) {
    const p = link.sessions[i] as PooledSession;
    if (!p.busy && !p.session.usable) link.sessions.splice(i, 1);
  }
}

function closeLink(link: Link): void {
  link.closing = true;
  for (const p of link.sessions.splice(0)) p.session.close();
  link.client.end();
  for (const hop of [...link.hops].reverse()) hop.end();
  // end() waits for the peer's acknowledgement. A host whose network died never sends it, and the
  // half-closed socket kept the process alive until TCP gave up (minutes): `sparkbook run` had
  // finished and written its report but did not exit. Unref'd, so a clean close waits for nothing.
  setTimeout(() => {
    for (const client of [link.client, ...link.hops]) destroySocket(client);
  }, CLOSE_GRACE_MS).unref();
}

/**
 * Destroys a client's socket. ssh2's Client.destroy() does nothing once end() has made the socket
 * unwritable, which is exactly the case here, so this reaches its socket (ssh2 is pinned).
 */
function destroySocket(client: SshClient): void {
  const sock = (client as unknown as { _sock?: { destroy(): void; destroyed?: boolean } })._sock;
  if (sock && !sock.destroyed) sock.destroy();
}

/** An exec channel seen as a process; `kill` signals the remote process group and closes the channel. */
function channelProcess(channel: ClientChannel, link: Link): RunningProcess {
  let exit: { code: number | null; signal: string | null } | undefined;
  channel.on('exit', (code: number | null, signal?: string) => {
    exit = { code: code ?? null, signal: signal ? (signal.startsWith('SIG') ? signal : `SIG${signal}`) : null };
  });
  const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    channel.on('close', () => resolve(exit ?? { code: null, signal: null }));
  });
  return {
    stdin: channel,
    stdout: channel,
    stderr: channel.stderr,
    ended,
    kill: () => {
      if (link.lost) return;
      sendSignal(channel, 'KILL');
      channel.close();
    },
  };
}

/** ssh2's internals that `signal` needs; see sendSignal. */
interface ChannelInternals {
  readonly outgoing?: { readonly id?: number; readonly state?: string };
  readonly _client?: { readonly _protocol?: { signal(id: number, name: string): void } };
}

/**
 * Sends a `signal` request (sshd delivers it to the session's process group). ssh2's
 * Channel.signal() only sends while the channel is writable, and a closing session's is not (its
 * stdin was ended so that the shell sees the end of its input). So this calls the protocol directly
 * (ssh2 is pinned; the unit test against a real sshd proves it still works).
 */
function sendSignal(channel: ClientChannel, name: string): void {
  const internals = channel as unknown as ChannelInternals;
  const id = internals.outgoing?.id;
  const protocol = internals._client?._protocol;
  // 'eof' is our own end of stdin: the channel is still open for requests.
  if (id === undefined || !['open', 'eof'].includes(internals.outgoing?.state ?? '') || !protocol) return;
  try {
    protocol.signal(id, name);
  } catch {
    // The transport is going away; close() below ends the channel anyway.
  }
}

type Verify = (target: Target, key: Buffer, known: KnownHosts) => Promise<HostError | undefined>;

async function readKnownHosts(settings: ConnectionSettings, target: Target): Promise<KnownHosts> {
  try {
    return await loadKnownHosts([...settings.knownHostsFiles, ...settings.globalKnownHostsFiles]);
  } catch (e) {
    // An unreadable known_hosts fails closed: we cannot tell a known host from an impostor.
    throw new HostError('hostkey', settings.host, `cannot read known_hosts for ${target.label}: ${(e as Error).message}`);
  }
}

function lookupNames(target: Target): string[] {
  return [...new Set(target.names.map((n) => knownHostName(n, target.port)))];
}

/** The known_hosts decision under the policy; accept-new records an unknown key. */
async function verifyWithKnownHosts(settings: ConnectionSettings, target: Target, key: Buffer, known: KnownHosts): Promise<HostError | undefined> {
  const decision = checkHostKey(known, lookupNames(target), key);
  const presented = `${fingerprint(key)} (${keyTypeLabel(keyTypeOf(key) ?? '?')})`;
  const fail = (message: string): HostError => new HostError('hostkey', settings.host, message);
  switch (decision.status) {
    case 'known':
      return undefined;
    case 'revoked':
      return fail(`host key for ${target.label} is REVOKED (${decision.entry.file}:${decision.entry.line}): ${presented}`);
    case 'changed': {
      const expected = decision.expected.map((e) => `${fingerprint(e.key)} (${keyTypeLabel(e.keyType)}) from ${e.file}:${e.line}`).join(', ');
      return fail(
        `host key for ${target.label} has CHANGED: expected ${expected}, presented ${presented}. ` +
          `Someone may be impersonating the host; if it was re-installed, remove the old entry (ssh-keygen -R '${knownHostName(target.address, target.port)}')`,
      );
    }
    case 'unknown': {
      if (settings.hostKeyPolicy !== 'accept-new') {
        return fail(`host key for ${target.label} is not known: ${presented}. Add it to known_hosts or use --host-key-policy accept-new`);
      }
      const file = settings.knownHostsFiles[0];
      if (file === undefined) return fail(`host key for ${target.label} is not known and there is no known_hosts file to record it in`);
      try {
        await appendKnownHost(file, knownHostName(target.address, target.port), key);
      } catch (e) {
        return fail(`cannot record the host key of ${target.label} in ${file}: ${(e as Error).message}`);
      }
      return undefined;
    }
  }
}

/** The targets of a chain: every jump hop, then the host itself on `port`. */
function targetsOf(settings: ConnectionSettings, port: number): Target[] {
  const hops: Target[] = settings.proxyJump.map((h) => ({
    label: h.name === h.address ? `jump host ${h.address}:${h.port}` : `jump host ${h.name} (${h.address}:${h.port})`,
    hostName: h.name,
    address: h.address,
    port: h.port,
    user: h.user,
    names: [h.address, h.name],
    identityFiles: h.identityFiles,
    identitiesOnly: h.identitiesOnly,
  }));
  const main: Target = {
    label: `${settings.host} (${settings.address}:${port})`,
    hostName: settings.host,
    address: settings.address,
    port,
    user: settings.user,
    names: [settings.address, ...settings.hostKeyAliases],
    identityFiles: settings.identityFiles,
    identitiesOnly: settings.identitiesOnly,
    ...(settings.password && { password: settings.password }),
  };
  return [...hops, main];
}

async function openLink(settings: ConnectionSettings, port: number, verify: Verify): Promise<Link> {
  const targets = targetsOf(settings, port);
  const hops: SshClient[] = [];
  let sock: Readable | undefined;
  try {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i] as Target;
      const known = await readKnownHosts(settings, target);
      const { client, key } = await connectOne(settings, target, sock, known, verify);
      if (i === targets.length - 1) {
        let markLost: (e: HostError) => void = () => undefined;
        const lostSignal = new Promise<HostError>((resolve) => (markLost = resolve));
        const link: Link = {
          client,
          hops,
          hostKey: key,
          endpoint: { transport: 'ssh', address: settings.address, port, user: settings.user },
          lost: undefined,
          lostSignal,
          declareLost: (error) => {
            if (link.lost) return;
            link.lost = error;
            markLost(error);
          },
          sessions: [],
          closing: false,
        };
        const onLost = (why: string): void => {
          if (link.lost || link.closing) return;
          link.lost = new HostError('unreachable', settings.host, `connection to ${target.label} was lost${why ? `: ${why}` : ''}`);
          markLost(link.lost);
        };
        client.on('error', (e: Error) => onLost(e.message));
        client.on('close', () => onLost(''));
        return link;
      }
      hops.push(client);
      const next = targets[i + 1] as Target;
      sock = await new Promise<Readable>((resolve, reject) => {
        client.forwardOut('127.0.0.1', 0, next.address, next.port, (err, stream) => {
          if (err) {
            reject(
              new HostError(
                'unreachable',
                settings.host,
                `${target.label} would not forward to ${next.address}:${next.port} (${err.message}); does it allow TCP forwarding (AllowTcpForwarding)?`,
              ),
            );
          } else resolve(stream);
        });
      });
    }
  } catch (e) {
    for (const h of hops.reverse()) h.end();
    throw e;
  }
  throw new HostError('unreachable', settings.host, 'no target to connect to');
}

interface LoadedKey {
  readonly file: string;
  readonly key: ParsedKey;
}

/** Reads identity files; missing ones are skipped, encrypted ones need a passphrase (env or prompt). */
async function loadKeys(settings: ConnectionSettings, files: readonly string[], tried: string[]): Promise<LoadedKey[]> {
  const keys: LoadedKey[] = [];
  for (const file of files) {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      continue;
    }
    let parsed = utils.parseKey(data);
    if (parsed instanceof Error && /encrypted|passphrase/i.test(parsed.message)) {
      const passphrase = settings.keyPassphrase ?? (await settings.askPassphrase?.(file));
      if (passphrase === undefined) {
        tried.push(`${file} (encrypted; set SPARKBOOK_KEY_PASSPHRASE)`);
        continue;
      }
      parsed = utils.parseKey(data, passphrase.reveal());
    }
    const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
    if (key === undefined || key instanceof Error) {
      tried.push(`${file} (unreadable: ${key instanceof Error ? key.message : 'no key'})`);
      continue;
    }
    keys.push({ file, key });
  }
  return keys;
}

async function connectOne(settings: ConnectionSettings, target: Target, sock: Readable | undefined, known: KnownHosts, verify: Verify): Promise<{ client: SshClient; key: Buffer }> {
  const tried: string[] = [];
  const keys = await loadKeys(settings, target.identityFiles, tried);
  const methods: AnyAuthMethod[] = [];
  if (settings.agentSocket !== undefined && !target.identitiesOnly) {
    methods.push({ type: 'agent', username: target.user, agent: settings.agentSocket });
    tried.push('ssh-agent');
  }
  for (const k of keys) {
    methods.push({ type: 'publickey', username: target.user, key: k.key });
    tried.push(k.file);
  }
  if (target.password) {
    methods.push({ type: 'password', username: target.user, password: target.password.reveal() });
    tried.push('password');
  }
  // Prefer the key types known_hosts has for this host, as OpenSSH does, so a known host is compared like for like.
  const knownTypes = entriesFor(known, lookupNames(target)).map((e) => e.keyType);
  const preferred = HOST_KEY_ALGORITHMS.filter((a) => knownTypes.some((t) => t === a || (t === 'ssh-rsa' && a.startsWith('rsa-sha2'))));
  const algorithms = [...preferred, ...HOST_KEY_ALGORITHMS.filter((a) => !preferred.includes(a))];

  const client = new Client();
  let rejection: HostError | undefined;
  let presented: Buffer | undefined;
  const config: ConnectConfig = {
    host: target.address,
    port: target.port,
    username: target.user,
    readyTimeout: settings.connectTimeoutMs,
    keepaliveInterval: settings.keepaliveIntervalMs,
    keepaliveCountMax: settings.keepaliveCountMax,
    algorithms: { serverHostKey: algorithms as NonNullable<NonNullable<ConnectConfig['algorithms']>['serverHostKey']> },
    // Always verify, before authentication: ssh2 accepts any key when no verifier is set.
    hostVerifier: (key: Buffer, done: (ok: boolean) => void) => {
      presented = Buffer.from(key);
      verify(target, presented, known).then(
        (err) => {
          rejection = err;
          done(err === undefined);
        },
        (e: unknown) => {
          rejection = e instanceof HostError ? e : new HostError('hostkey', settings.host, `cannot verify the host key of ${target.label}: ${String(e)}`);
          done(false);
        },
      );
    },
    authHandler: methods,
    ...(sock && { sock }),
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err: HostError | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(backstop);
      if (err) {
        client.end();
        reject(err);
      } else resolve({ client, key: presented as Buffer });
    };
    // ssh2's readyTimeout starts after DNS; this bounds the whole attempt.
    const backstop = setTimeout(() => settle(new HostError('unreachable', settings.host, `${target.label} did not complete the SSH handshake within ${settings.connectTimeoutMs} ms`)), settings.connectTimeoutMs + 2000);
    client.on('ready', () => {
      if (presented === undefined) settle(new HostError('hostkey', settings.host, `${target.label} completed the handshake without a verified host key`));
      else {
        // Scripts and their output are small, chatty packets: do not let Nagle hold them back.
        client.setNoDelay(true);
        settle(undefined);
      }
    });
    client.on('error', (e: Error & { level?: string }) => settle(rejection ?? classify(settings, target, e, tried)));
    client.on('close', () => settle(rejection ?? new HostError('unreachable', settings.host, `${target.label} closed the connection during the handshake`)));
    client.connect(config);
  });
}

function classify(settings: ConnectionSettings, target: Target, e: Error & { level?: string; code?: string }, tried: readonly string[]): HostError {
  const message = redactKnownSecrets(e.message);
  if (e.level === 'client-timeout') return new HostError('unreachable', settings.host, `${target.label} did not answer within ${settings.connectTimeoutMs} ms (connect timeout)`);
  if (e.level === 'client-authentication') {
    return new HostError('auth', settings.host, `authentication as ${target.user} to ${target.label} failed; tried: ${tried.length > 0 ? tried.join(', ') : 'nothing (no agent, no key file found, no password)'}`);
  }
  if (e.level === 'client-dns') return new HostError('unreachable', settings.host, `cannot resolve ${target.address} for ${target.label}: ${message}`);
  return new HostError('unreachable', settings.host, `cannot reach ${target.label}: ${message}`);
}
