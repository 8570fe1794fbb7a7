// `run --list-hosts` and `run --list-tasks`: what a run would touch, printed in ansible-playbook's
// layout, from the loaded inputs alone (no host is contacted). Unlike Ansible, --list-tasks
// applies --start-at-task (Ansible lists every task) and --limit: a play none of whose hosts the
// limit keeps says so instead of listing tasks it would not run.
import { selectHosts } from '../inventory/index.js';
import type { Inventory } from '../inventory/types.js';
import type { PlaybookSpec, PlaySpec } from '../load/types.js';
import { runnableTasksByPlay } from '../executor/selection.js';
import type { ExecutorOptions } from '../executor/options.js';

type ListOptions = Pick<ExecutorOptions, 'limit' | 'tags' | 'skipTags' | 'startAtTask'>;

const tagList = (tags: readonly string[]): string => `[${[...new Set(tags)].sort().join(', ')}]`;

function playHeader(play: PlaySpec, index: number): string {
  return `  play #${index + 1} (${play.hosts}): ${play.name}\tTAGS: ${tagList(play.tags)}`;
}

function playHosts(play: PlaySpec, inventory: Inventory, options: ListOptions): string[] {
  return selectHosts(inventory, play.hosts, play.where).filter((h) => !options.limit || options.limit.has(h));
}

export function renderHostList(playbook: PlaybookSpec, inventory: Inventory, options: ListOptions): string {
  const out = ['', `playbook: ${playbook.file}`];
  playbook.plays.forEach((play, i) => {
    const hosts = playHosts(play, inventory, options);
    out.push('', playHeader(play, i), `    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`));
  });
  return out.join('\n') + '\n';
}

export function renderTaskList(playbook: PlaybookSpec, inventory: Inventory, options: ListOptions): string {
  const out = ['', `playbook: ${playbook.file}`];
  const runnable = runnableTasksByPlay(playbook, options);
  playbook.plays.forEach((play, i) => {
    out.push('', playHeader(play, i));
    if (playHosts(play, inventory, options).length === 0) {
      out.push('    (no host selected: the play is skipped)');
      return;
    }
    const tasks = runnable[i] ?? [];
    out.push('    tasks:', ...tasks.map((t) => `      ${t.name}\tTAGS: ${tagList([...t.tags, ...play.tags])}`));
  });
  return out.join('\n') + '\n';
}
