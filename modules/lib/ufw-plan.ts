// The ufw planner: observed state + wanted state → changes, in the one order that cannot cut
// the operator off: IPv6 switch, the connected-port guard, rules, defaults, logging, deletes,
// and `enable` last.
import { TaskError } from '../../runner/errors.js';
import type { Change } from '../../runner/module.js';
import type { Facts } from '../../runner/facts/facts.js';
import { sh } from '../../runner/shell/script.js';
import { planLine } from './plan-line.js';
import type { UfwLogLevel, UfwObserved, UfwPolicy } from './ufw-observe.js';
import { UFW_DEFAULTS_FILE } from './ufw-observe.js';
import { allowsTcpPortFromAnywhere, canonicalRule, ruleArgs, ruleText, type UfwRule, type UfwRuleSpec } from './ufw-rules.js';

export interface UfwWanted {
  readonly state?: 'enabled' | 'disabled';
  readonly defaults?: { readonly incoming?: UfwPolicy; readonly outgoing?: UfwPolicy; readonly routed?: UfwPolicy };
  readonly logging?: UfwLogLevel | 'on';
  /** Ensure IPV6=yes (default true), so every rule covers IPv6 too. */
  readonly ipv6?: boolean;
  readonly rules: readonly (UfwRuleSpec & { readonly delete?: boolean })[];
}

/** The comment of the rule the lockout guard adds. */
export const GUARD_COMMENT = 'sparkbook: the SSH port sparkbook is connected on';

/** The allow rule that keeps the connected SSH port open (v4 and v6). */
export function guardRule(port: number): UfwRule {
  return canonicalRule({ rule: 'allow', port, proto: 'tcp', comment: GUARD_COMMENT });
}

function ruleChange(action: '+' | '-' | '~', rule: UfwRule, note = ''): Change {
  const text = ruleText(rule);
  const args = ruleArgs(rule, action === '-');
  const summary = `${action === '-' ? `delete ${text}` : text}${rule.comment !== null && action !== '-' ? ` (${rule.comment})` : ''}${note}`;
  return { action, target: text, summary, script: sh`ufw ${args}` };
}

function policyChange(direction: 'incoming' | 'outgoing' | 'routed', from: UfwPolicy | null, to: UfwPolicy): Change {
  return {
    action: '~',
    target: `ufw default ${direction}`,
    summary: `ufw default ${direction}: ${from ?? 'unset'} → ${to}`,
    script: sh`ufw default ${to} ${direction}`,
  };
}

/**
 * The changes that make `observed` into `wanted`. Throws a TaskError when ufw is missing.
 *
 * Lockout guard (cannot be turned off): when this plan enables ufw, or ufw stays active while
 * rules are deleted or incoming traffic is denied by default, and sparkbook is connected over
 * SSH, an `allow <port>/tcp` for the connected port is added first unless an identical allow
 * (or `limit`, or the OpenSSH profile on port 22) is already there or wanted.
 */
export function planUfw(wanted: UfwWanted, observed: UfwObserved, facts: Facts): Change[] {
  if (!observed.installed) {
    throw new TaskError('precondition', 'ufw is not installed on this host: install it first (apt: { name: ufw })');
  }
  const changes: Change[] = [];
  const willBeActive = wanted.state === 'enabled' || (wanted.state === undefined && observed.active);
  const enabling = willBeActive && (!observed.active || !observed.enabledAtBoot);

  if (wanted.ipv6 !== false) {
    const edits = planLine(UFW_DEFAULTS_FILE, observed.defaultsFile, { line: 'IPV6=yes', regexp: '^\\s*IPV6=', state: 'present' }, { create: true, mode: '0644' });
    changes.push(...edits);
    if (edits.length > 0 && observed.active && willBeActive) {
      changes.push({ action: '!', target: 'ufw reload', summary: 'ufw reload (IPv6 rules)', script: sh`ufw reload` });
    }
  }

  const present = new Map(observed.rules.map((r) => [r.identity, r.comment]));
  const adds: UfwRule[] = [];
  const deletes: UfwRule[] = [];
  const updates: UfwRule[] = [];
  const seen = new Set<string>();
  for (const spec of wanted.rules) {
    const rule = canonicalRule(spec);
    if (seen.has(rule.identity)) continue;
    seen.add(rule.identity);
    if (spec.delete === true) {
      if (present.has(rule.identity)) deletes.push(rule);
    } else if (!present.has(rule.identity)) adds.push(rule);
    else if (rule.comment !== null && present.get(rule.identity) !== rule.comment) updates.push(rule);
  }

  const incoming = wanted.defaults?.incoming;
  const denyingIncoming = incoming !== undefined && incoming !== 'allow' && incoming !== observed.defaults.incoming;
  const needsGuard = facts.connection.transport === 'ssh' && willBeActive && (enabling || deletes.length > 0 || denyingIncoming);
  if (needsGuard) {
    const port = facts.connection.port;
    const kept = [...observed.rules.map((r) => r.identity).filter((id) => !deletes.some((d) => d.identity === id)), ...adds.map((r) => r.identity)];
    if (!kept.some((id) => allowsTcpPortFromAnywhere(id, port))) {
      const guard = guardRule(port);
      // The guard wins over a task that asked to delete the very same rule.
      const i = deletes.findIndex((d) => d.identity === guard.identity);
      if (i >= 0) deletes.splice(i, 1);
      if (!present.has(guard.identity)) changes.push(ruleChange('+', guard, ' [lockout guard]'));
    }
  }

  for (const rule of adds) changes.push(ruleChange('+', rule));
  for (const rule of updates) changes.push(ruleChange('~', rule, ' [comment]'));

  for (const direction of ['incoming', 'outgoing', 'routed'] as const) {
    const want = wanted.defaults?.[direction];
    if (want !== undefined && want !== observed.defaults[direction]) changes.push(policyChange(direction, observed.defaults[direction], want));
  }

  const level = wanted.logging;
  if (level !== undefined) {
    const have = observed.logging;
    const same = level === 'on' ? have !== null && have !== 'off' : have === level;
    if (!same) {
      changes.push({ action: '~', target: 'ufw logging', summary: `ufw logging: ${have ?? 'unset'} → ${level}`, script: sh`ufw logging ${level}` });
    }
  }

  for (const rule of deletes) changes.push(ruleChange('-', rule));

  if (wanted.state === 'enabled' && enabling) {
    changes.push({ action: '!', target: 'ufw enable', summary: 'ufw enable', script: sh`ufw --force enable` });
  } else if (wanted.state === 'disabled' && (observed.active || observed.enabledAtBoot)) {
    const disable: Change = { action: '!', target: 'ufw disable', summary: 'ufw disable', script: sh`ufw disable` };
    // On a firewall that is on, a delete or a stricter incoming policy ahead of the disable would
    // close the SSH port until the disable ran, and for good if the run stopped in between.
    if (observed.active && (deletes.length > 0 || denyingIncoming)) changes.unshift(disable);
    else changes.push(disable);
  }
  return changes;
}
