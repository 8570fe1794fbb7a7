// Which tasks of each play run: --tags/--skip-tags, and --start-at-task, which starts in the first
// play that has the task (the plays before it run none of their tasks) and is spent there, as in
// Ansible. The run and `--list-tasks` both read this, so the listing is what runs.
import type { PlaybookSpec, PlaySpec, TaskSpec } from '../load/types.js';
import type { ExecutorOptions } from './options.js';
import { isSelectedByTags } from './tags.js';

type Selection = Pick<ExecutorOptions, 'tags' | 'skipTags' | 'startAtTask'>;

/** The tasks of `play` from the task named `startAt` (all without one), selected by tags. */
export function runnableTasks(play: PlaySpec, startAt: string | undefined, options: Pick<ExecutorOptions, 'tags' | 'skipTags'>): readonly TaskSpec[] {
  const from = startAt === undefined ? 0 : play.tasks.findIndex((t) => t.name === startAt);
  if (from < 0) return [];
  return play.tasks.slice(from).filter((t) => isSelectedByTags([...play.tags, ...t.tags], options.tags, options.skipTags));
}

/** Each play's runnable tasks, in play order, with --start-at-task carried to the first play that has it. */
export function runnableTasksByPlay(playbook: PlaybookSpec, options: Selection): readonly (readonly TaskSpec[])[] {
  let startAt = options.startAtTask;
  return playbook.plays.map((play) => {
    const from = startAt;
    if (from !== undefined && play.tasks.some((t) => t.name === from)) startAt = undefined;
    return runnableTasks(play, from, options);
  });
}
