// Gathers one host's facts: the one facts script over one channel, then the parse.
import type { Script } from '../shell/script.js';
import type { Facts } from './facts.js';
import type { FactGroup } from './groups.js';
import { parseFacts } from './parse-facts.js';
import { factsScript } from './script.js';

/**
 * The part of a host's connection that gathering uses, declared here so that facts stands
 * beneath runner/connection/ rather than importing it: every Connection is a FactsChannel.
 */
export interface FactsChannel {
  readonly endpoint: Facts['connection'];
  run(script: Script, options: { readonly becomeUser?: string; readonly timeoutMs: number }): Promise<{ readonly stdout: string }>;
}

export interface GatherOptions {
  /** Run the script as this user through sudo (root sees sshd -T, ufw rules, /etc/wireguard). */
  readonly becomeUser?: string;
  /** Give up on the script after this long; what it printed by then is still parsed. */
  readonly timeoutMs?: number;
  /** Only these groups (groups.ts); the facts of the others are empty. Default: all. */
  readonly groups?: ReadonlySet<FactGroup>;
}

/** Every command in the script has its own timeout (the longest 10 s); this bounds the whole. */
export const DEFAULT_FACTS_TIMEOUT_MS = 60_000;

/**
 * Runs the facts script once and parses its output. A non-zero exit or a timeout is not a
 * failure: the sections printed so far are parsed and the rest are null facts. Only an
 * unreachable host throws (the HostError of `conn.run`).
 */
export async function gatherFacts(conn: FactsChannel, options: GatherOptions = {}): Promise<Facts> {
  const result = await conn.run(factsScript(options.groups), {
    ...(options.becomeUser === undefined ? {} : { becomeUser: options.becomeUser }),
    timeoutMs: options.timeoutMs ?? DEFAULT_FACTS_TIMEOUT_MS,
  });
  const { transport, address, port, user } = conn.endpoint;
  return parseFacts(result.stdout, { transport, address, port, user });
}
