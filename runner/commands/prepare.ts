// What run, validate and facts share: load and check every input BEFORE any host is contacted.
import { InputError, InputErrors } from '../errors.js';
import { loadInventory, expandLimit, selectHosts } from '../inventory/index.js';
import type { Inventory } from '../inventory/types.js';
import type { PlaybookSpec } from '../load/types.js';
import { loadPlaybook, type PlayDefaults } from '../load/playbook.js';
import { checkUndefinedVariables } from '../load/semantics.js';
import { parseExtraVars } from './extra-vars.js';
import { findUnmatched, type Selection, type Unmatched } from './nothing-matched.js';

/** Names every host has without the inventory declaring them. */
const MAGIC_NAMES = [
  'facts', 'inventory_hostname', 'inventory_hostname_short', 'group_names', 'groups',
  'play_hosts', 'ansible_play_hosts', 'ansible_check_mode', 'result', 'omit', 'hostvars',
];

export interface PreparedInputs {
  readonly playbooks: readonly PlaybookSpec[];
  readonly inventory: Inventory;
  readonly extraVars: Record<string, unknown>;
  readonly limit?: ReadonlySet<string>;
  readonly warnings: readonly string[];
  /** Selections that matched nothing (nothing-matched.ts): warnings, or errors under --strict. */
  readonly unmatched: readonly Unmatched[];
}

export async function prepareInputs(input: {
  readonly playbookFiles: readonly string[];
  readonly inventoryPath: string | undefined;
  readonly extraVars: readonly string[];
  readonly limit: string | undefined;
  /** Passwords for `!vault` values and vaulted files (see vault-password.ts). */
  readonly vaultPasswords?: readonly string[];
  /** --tags, --skip-tags, --start-at-task: checked against the playbooks' tasks. */
  readonly selection?: Omit<Selection, 'limitTerms'>;
  /** What plays that do not say get (-b, --become-user, ansible.cfg). */
  readonly playDefaults?: PlayDefaults;
  /** Where roles are looked for after roles/ next to the playbook (see roles-path.ts). */
  readonly rolesPath?: readonly string[];
}): Promise<PreparedInputs> {
  const vault = { vaultPasswords: input.vaultPasswords ?? [] };
  const errors: InputError[] = [];
  const collect = (error: unknown): void => {
    if (error instanceof InputErrors) errors.push(...error.errors);
    else if (error instanceof InputError) errors.push(error);
    else throw error;
  };

  let inventory: Inventory | undefined;
  try {
    inventory = await loadInventory(input.inventoryPath, vault);
  } catch (error) {
    collect(error);
  }
  let extraVars: Record<string, unknown> = {};
  try {
    extraVars = await parseExtraVars(input.extraVars, vault);
  } catch (error) {
    collect(error);
  }
  const playbooks: PlaybookSpec[] = [];
  for (const file of input.playbookFiles) {
    try {
      playbooks.push(await loadPlaybook(file, { ...vault, rolesPath: input.rolesPath ?? [], ...(input.playDefaults ? { playDefaults: input.playDefaults } : {}) }));
    } catch (error) {
      collect(error);
    }
  }

  const warnings: string[] = [];
  let limit: Set<string> | undefined;
  let unmatched: Unmatched[] = [];
  if (inventory) {
    for (const w of inventory.warnings) warnings.push(w.where ? `${w.where.file}:${w.where.line}:${w.where.col}: ${w.message}` : w.message);
    let limitTerms: string[] | undefined;
    if (input.limit !== undefined) {
      try {
        const terms = await expandLimit(input.limit);
        limit = new Set(selectHosts(inventory, terms));
        limitTerms = terms;
        if (limit.size === 0) errors.push(new InputError('limit', `--limit '${input.limit}' matches no host in the inventory`));
      } catch (error) {
        collect(error);
      }
    }
    try {
      unmatched = findUnmatched(playbooks, inventory, { ...input.selection, ...(limitTerms ? { limitTerms } : {}) });
    } catch (error) {
      collect(error);
    }
    // Variables every host may know: inventory vars of any host or group, extra vars, magic names.
    const known = new Set<string>(MAGIC_NAMES);
    for (const host of inventory.hosts.values()) for (const k of Object.keys(host.vars)) known.add(k);
    for (const group of inventory.groups.values()) for (const k of Object.keys(group.vars)) known.add(k);
    for (const k of Object.keys(extraVars)) known.add(k);
    for (const playbook of playbooks) {
      try {
        checkUndefinedVariables(playbook, known);
      } catch (error) {
        collect(error);
      }
    }
  }
  if (errors.length > 0) throw new InputErrors(errors);
  return { playbooks, inventory: inventory!, extraVars, ...(limit ? { limit } : {}), warnings, unmatched };
}
