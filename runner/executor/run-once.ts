// `run_once`: within a batch, the first host to reach the task runs it; the others wait for that
// run and take its result as theirs (registered, set_fact variables, status), as Ansible copies
// a run_once result to every host of the batch. Hosts move through a play on their own, so "first"
// is the first to arrive (usually the first in inventory order: forks start hosts in order).
import type { TaskSpec } from '../load/types.js';

export interface OnceResult<R> {
  readonly host: string;
  readonly run: R;
}

export class RunOnce<R> {
  private readonly runs = new Map<TaskSpec, Promise<OnceResult<R>>>();

  /** The run of `task` in this batch: `run()` on the first host to ask, the same promise for the rest. */
  get(task: TaskSpec, host: string, run: () => Promise<R>): { readonly leader: boolean; readonly result: Promise<OnceResult<R>> } {
    const existing = this.runs.get(task);
    if (existing) return { leader: false, result: existing };
    const result = run().then((r) => ({ host, run: r }));
    this.runs.set(task, result);
    return { leader: true, result };
  }
}
