// What e2e tests hand the CLI when it runs against a lab: the fleet workload, `run` options, edited
// copies of the lab's inventory and known_hosts, and extra-vars files.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { LabInfo } from '../lab/api.js';

export const FLEET_PLAYBOOK = 'test/fixtures/e2e/fleet.yml';
/** Tasks of fleet.yml on a host, counting the facts task. */
export const FLEET_TASKS = 7;
/** Its tasks that change a fresh host (all but the assert and the facts task). */
export const FLEET_CHANGING_TASKS = 5;

/** The common `run` options against a lab: inventory, the lab's known_hosts, plain output. */
export function runArgs(lab: LabInfo, inventory: string): string[] {
  return ['-i', inventory, '--known-hosts', lab.knownHosts, '--output', 'plain'];
}

/** Where the lab serves its Tailscale stand-in repository (test/lab/build-repo.sh). */
export function standinRepo(lab: LabInfo): string {
  return `${lab.repoBase}/tailscale-standin/stable/debian`;
}

interface HostVars {
  [key: string]: unknown;
}

function labHostsOf(doc: unknown): Record<string, HostVars> {
  const hosts = (doc as { all?: { children?: { lab?: { children?: { containers?: { hosts?: Record<string, HostVars> } } } } } })
    .all?.children?.lab?.children?.containers?.hosts;
  assert.ok(hosts, 'the lab inventory has no all.children.lab.children.containers.hosts');
  return hosts;
}

/**
 * A copy of the lab inventory with some hosts' ansible_port changed (after an SSH port move,
 * the inventory must say where sshd now is) and, optionally, without become passwords.
 */
export function labInventory(
  lab: LabInfo,
  dir: string,
  opts: { ports?: Readonly<Record<string, number>>; withoutBecomePassword?: boolean; name?: string } = {},
): string {
  const doc = parse(readFileSync(lab.inventoryYaml, 'utf8')) as unknown;
  const hosts = labHostsOf(doc);
  for (const [name, port] of Object.entries(opts.ports ?? {})) {
    const h = hosts[name];
    assert.ok(h, `no host ${name} in the lab inventory`);
    h['ansible_port'] = port;
  }
  if (opts.withoutBecomePassword) for (const h of Object.values(hosts)) delete h['ansible_become_password'];
  const file = join(dir, opts.name ?? `inventory-${Object.values(opts.ports ?? {}).join('-') || 'lab'}.yml`);
  writeFileSync(file, stringify(doc), { mode: 0o600 });
  return file;
}

/** Writes extra vars to a YAML file and returns the `-e @FILE` argument. */
export function varsFile(dir: string, name: string, vars: Readonly<Record<string, unknown>>): string {
  const file = join(dir, name);
  writeFileSync(file, stringify(vars), { mode: 0o600 });
  return `@${file}`;
}

/** The lines of a lab's known_hosts that name `address` (as `ADDR,` or `[ADDR]:PORT`). */
export function knownHostsLinesFor(text: string, address: string): string[] {
  return text.split('\n').filter((l) => l.split(/\s+/)[0]?.split(',').some((n) => n === address || n.startsWith(`[${address}]:`)));
}

/** A copy of known_hosts without `address`'s entries. */
export function withoutHost(text: string, address: string): string {
  const drop = new Set(knownHostsLinesFor(text, address));
  return text.split('\n').filter((l) => !drop.has(l)).join('\n');
}

/** A copy of known_hosts where `address` is listed with `impostor`'s keys (as after a re-install). */
export function withChangedKey(text: string, address: string, impostor: string): string {
  const names = (knownHostsLinesFor(text, address)[0] ?? '').split(/\s+/)[0];
  assert.ok(names, `no known_hosts entry for ${address}`);
  const forged = knownHostsLinesFor(text, impostor).map((l) => `${names} ${l.split(/\s+/).slice(1).join(' ')}`);
  assert.ok(forged.length > 0, `no known_hosts entry for ${impostor}`);
  return `${withoutHost(text, address).trimEnd()}\n${forged.join('\n')}\n`;
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
