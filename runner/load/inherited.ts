// What a play, its blocks, imports and roles pass down to the tasks inside them, and the chain
// of files an import went through, and where a task list stands: shared by the playbook loader
// and the roles loader.
import type { Locator } from '../schema/locator.js';
import type { BlockFrame, IncludeLoop, LocatedExpression, LocatedValue, RoleScope } from './types.js';

/** A file on the import chain: its real path (for cycles) and its name as shown. */
export interface ChainLink {
  readonly real: string;
  readonly shown: string;
}

/**
 * Where a task list being converted stands: its file's locator, the file's name as shown (imports
 * are relative to it), the import chain that led there (the file included) and whether the list
 * holds handlers.
 */
export interface TaskListSource {
  readonly at: Locator;
  readonly shown: string;
  readonly chain: readonly ChainLink[];
  readonly handler: boolean;
}

/** What blocks, imports, roles and the play pass down to the tasks inside them. */
export interface Inherited {
  readonly when: readonly LocatedExpression[];
  readonly tags: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly ignoreErrors?: boolean;
  readonly noLog?: boolean;
  /** The enclosing blocks, outermost first (TaskSpec.blocks). */
  readonly blocks?: readonly BlockFrame[];
  readonly environment?: readonly LocatedValue[];
  readonly checkMode?: boolean;
  /** Where a relative `src` is looked up: a role's directory first, then the playbook's (TaskSpec.baseDirs). */
  readonly baseDirs: readonly string[];
  /** The role the tasks come from: their names are shown as `ROLE : name`, as Ansible does. */
  readonly role?: RoleScope;
  /** The loop of the include_tasks the tasks come from, when only a host can render it. */
  readonly includeLoop?: IncludeLoop;
}
