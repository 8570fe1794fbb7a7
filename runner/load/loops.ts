// Ansible's loop keywords: `loop:` and the older `with_<lookup>:` forms users still write. Each
// becomes TaskSpec.loop (the value as written) with the lookup that turns it into items
// (TaskSpec.loopStyle), applied by the executor once the value is rendered on a host.
import type { LoopStyle } from './types.js';

/** The loop keys of a task and the lookup each means; `loop` is the list as it is. */
export const LOOP_KEYS: Readonly<Record<string, LoopStyle>> = {
  loop: 'list',
  with_items: 'items',
  with_list: 'list',
  with_dict: 'dict',
  with_fileglob: 'fileglob',
  with_together: 'together',
};

/** The loop keys a task carries, in the order written. */
export function loopKeysOf(task: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(task).filter((k) => k in LOOP_KEYS);
}
