// Where a host goes after a failure, by Ansible's block rules, over the flat task list the loader
// makes (each task carries its enclosing blocks, TaskSpec.blocks). A failure in a block's tasks
// goes to its rescue (the failure is rescued: the host goes on), else to its always (after
// which the failure goes on outward); a failure in rescue goes to always; a failure in always,
// or outside any block, fails the host. Pure: the executor runs the tasks, this says which next.
import type { BlockFrame, BlockPart, TaskSpec } from '../load/types.js';

/** Where to go on: the index of the next task, and the block whose rescue it is, if it is one. */
export interface Recovery {
  readonly next: number;
  readonly rescuedBy?: number;
}

/**
 * Blocks whose failure was not rescued and whose `always` is running: block id → the frames
 * outside it, where the failure goes on once the host leaves the block.
 */
export type Failing = Map<number, readonly BlockFrame[]>;

const framesOf = (task: TaskSpec | undefined): readonly BlockFrame[] => task?.blocks ?? [];

function firstIn(tasks: readonly TaskSpec[], after: number, id: number, part: BlockPart): number {
  for (let j = after + 1; j < tasks.length; j++) if (framesOf(tasks[j]).some((f) => f.id === id && f.part === part)) return j;
  return -1;
}

/**
 * The task at `at` failed (or the host left a failing block just after `at`, with `frames`
 * the frames outside that block): where the host goes on, or undefined when the failure fails
 * the host. Records in `failing` the block whose always it enters without a rescue.
 */
export function recover(tasks: readonly TaskSpec[], at: number, frames: readonly BlockFrame[], failing: Failing): Recovery | undefined {
  // A new failure inside a failing block replaces that block's pending one.
  for (const f of frames) failing.delete(f.id);
  for (let k = frames.length - 1; k >= 0; k--) {
    const frame = frames[k] as BlockFrame;
    if (frame.part === 'block') {
      const rescue = firstIn(tasks, at, frame.id, 'rescue');
      if (rescue >= 0) return { next: rescue, rescuedBy: frame.id };
    }
    if (frame.part !== 'always') {
      const always = firstIn(tasks, at, frame.id, 'always');
      if (always >= 0) {
        failing.set(frame.id, frames.slice(0, k));
        return { next: always };
      }
    }
  }
  return undefined;
}

/**
 * Before the task at `next` runs (or at the end, `next` = tasks.length): a failing block the host
 * has now left passes its failure on outward. Returns where to go on (the last rescue entered,
 * if any), or undefined when the failure fails the host.
 */
export function leaveFailingBlocks(tasks: readonly TaskSpec[], next: number, failing: Failing): Recovery | undefined {
  let at: Recovery = { next };
  for (;;) {
    const inside = new Set(framesOf(tasks[at.next]).map((f) => f.id));
    // Innermost first: the failing block with the most frames outside it.
    const left = [...failing].filter(([id]) => !inside.has(id)).sort((a, b) => b[1].length - a[1].length)[0];
    if (left === undefined) return at;
    const [id, outer] = left;
    failing.delete(id);
    const recovery = recover(tasks, at.next - 1, outer, failing);
    if (recovery === undefined) return undefined;
    at = recovery;
  }
}

/**
 * A rescue is run only when its block failed: reached in order (the block went well), its tasks
 * are passed over. `rescuing` holds the blocks whose rescue was entered by a failure.
 */
export function skipUnenteredRescues(tasks: readonly TaskSpec[], next: number, rescuing: ReadonlySet<number>): number {
  let at = next;
  for (;;) {
    const frame = framesOf(tasks[at]).find((f) => f.part === 'rescue' && !rescuing.has(f.id));
    if (frame === undefined) return at;
    while (framesOf(tasks[at]).some((f) => f.id === frame.id && f.part === 'rescue')) at++;
  }
}
