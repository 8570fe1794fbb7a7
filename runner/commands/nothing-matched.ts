// Selections that select nothing: a play's `hosts:` term, a `--limit` term, a `--tags` or
// `--skip-tags` tag, a `--start-at-task` name. A run that silently does nothing is the worst
// answer to a typo, so each is a warning (and, with --strict, an error: exit 2, nothing contacted).
import { formatLocated, InputError, InputErrors } from '../errors.js';
import { unmatchedTerms } from '../inventory/index.js';
import type { Inventory } from '../inventory/types.js';
import type { PlaybookSpec, TaskSpec } from '../load/types.js';
import { didYouMean } from '../schema/validate.js';

/** Tags with a meaning of their own (runner/executor/tags.ts): never "unknown". */
const SPECIAL_TAGS = new Set(['all', 'tagged', 'untagged', 'always', 'never']);

export interface Selection {
  /** `--limit`, already expanded (`@file` read). */
  readonly limitTerms?: readonly string[];
  readonly tags?: readonly string[];
  readonly skipTags?: readonly string[];
  readonly startAtTask?: string;
}

/** One selection that matched nothing, as an InputError (kind `limit` or `usage`) so --strict can throw it as is. */
export type Unmatched = InputError;

const hint = (name: string, candidates: Iterable<string>): string => {
  const near = didYouMean(name, candidates);
  return near === undefined ? '' : ` (did you mean '${near}'?)`;
};

/** Every task of a play a selection can name: tasks, then handlers. */
function playTasks(playbook: PlaybookSpec): TaskSpec[] {
  return playbook.plays.flatMap((p) => [...p.tasks, ...p.handlers]);
}

/** Names a host pattern term may mean: hosts and groups. */
function patternNames(inventory: Inventory): string[] {
  return [...inventory.hosts.keys(), ...inventory.groups.keys()];
}

/** A term as a name to compare (`!spark-01` → `spark-01`). */
const bare = (term: string): string => term.replace(/^[&!]/, '');

/** What matched nothing, in the order a reader meets it; a malformed hosts pattern throws (kind `limit`). */
export function findUnmatched(playbooks: readonly PlaybookSpec[], inventory: Inventory, selection: Selection): Unmatched[] {
  const out: Unmatched[] = [];
  const names = patternNames(inventory);
  for (const playbook of playbooks) {
    for (const play of playbook.plays) {
      for (const term of unmatchedTerms(inventory, play.hosts, play.where)) {
        out.push(new InputError('limit', `play '${play.name}': hosts pattern '${term}' matches no host in the inventory${hint(bare(term), names)}`, play.where));
      }
    }
  }
  if (selection.limitTerms !== undefined) {
    for (const term of unmatchedTerms(inventory, selection.limitTerms)) {
      out.push(new InputError('limit', `--limit: '${term}' matches no host${hint(bare(term), names)}`));
    }
  }
  const tasks = playbooks.flatMap(playTasks);
  const known = new Set<string>(playbooks.flatMap((pb) => pb.plays.flatMap((p) => p.tags)));
  for (const t of tasks) for (const tag of t.tags) known.add(tag);
  for (const [flag, list] of [['--tags', selection.tags], ['--skip-tags', selection.skipTags]] as const) {
    for (const tag of list ?? []) {
      if (SPECIAL_TAGS.has(tag) || known.has(tag)) continue;
      out.push(new InputError('usage', `${flag}: no task has the tag '${tag}'${hint(tag, known)}`));
    }
  }
  if (selection.startAtTask !== undefined && !tasks.some((t) => t.name === selection.startAtTask)) {
    out.push(new InputError('usage', `--start-at-task: no task is named '${selection.startAtTask}'${hint(selection.startAtTask, new Set(tasks.map((t) => t.name)))}`));
  }
  return out;
}

/**
 * Warns of each unmatched selection on stderr, or under `strict` throws them all as one input
 * error (exit 2) — before any host is contacted. A string `strict` says why it is strict.
 */
export function reportUnmatched(unmatched: readonly Unmatched[], strict: boolean | string, stderr: NodeJS.WritableStream): void {
  if (unmatched.length === 0) return;
  const why = typeof strict === 'string' ? strict : '--strict';
  if (strict !== false) throw new InputErrors(unmatched.map((u) => new InputError(u.kind, `${u.message} (an error with ${why})`, u.where)));
  for (const u of unmatched) stderr.write(`warning: ${formatLocated(u.message, u.where)}\n`);
}
