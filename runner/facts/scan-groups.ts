// Facts come in groups, and a play gathers only the groups something in it can read: its
// templates and expressions (tasks, handlers, vars), the host's inventory and extra vars, and
// the modules it uses (Module.factGroups). `sudo`, `sshd -T`, `systemctl`, `ufw` (Python) and
// `nvidia-smi` are the costly part of the facts script on a host; most plays read none of them.
// The scan is conservative: `facts` anywhere not followed by `.name` (facts['ufw'], `facts |
// tojson`, a bare `facts`) means every group. Ansible's names (ansible.ts) are scanned the same
// way: `ansible_facts` read as a whole, or `hostvars` read in a way we cannot follow, is every group.
import { ANSIBLE_FACT_ALIASES } from './ansible.js';
import { FACT_FIELD_GROUP, type FactGroup } from './groups.js';

const FACTS_REFERENCE = /(?<![\w.])facts\b(?:\s*\.\s*([A-Za-z_]\w*))?/g;

// Ansible's names (ansible.ts): `ansible_facts.name` / `ansible_facts['name']`, `ansible_name`,
// and `hostvars[…].ansible_name`. Each group matches one read; group 1 is the attribute, if any.
const ANSIBLE_FACTS_REFERENCE = /(?<![\w.])ansible_facts\b(?:\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*(?:'(\w+)'|"(\w+)")\s*\]))?/g;
const ANSIBLE_NAME_REFERENCE = /(?<![\w.'"])ansible_(?!facts\b)(\w+)/g;
const HOSTVARS_REFERENCE = /(?<![\w.])hostvars\b/g;
const HOSTVARS_READ = /(?<![\w.])hostvars\s*\[[^\[\]]*\]\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*(?:'(\w+)'|"(\w+)")\s*\])/g;

/**
 * `ansible_*` names that are no facts: Ansible's connection variables and magic variables. Any
 * other `ansible_x` not in ANSIBLE_FACT_ALIASES may be an interface's dict (`ansible_enP7s7`).
 */
const ANSIBLE_NOT_FACTS = /^(host|port|user|password|connection|ssh_\w+|become\w*|python_interpreter|shell_\w+|check_mode|diff_mode|forks|version|play_hosts|play_hosts_all|play_batch|play_name|playbook_python|run_tags|skip_tags|limit|inventory_sources|config_file|verbosity|loop_var|index_var|parent_role_names|role_names|dependent_role_names)$/;

/** The group that reading `name` of ansible_facts needs. */
function ansibleFactGroup(name: string): FactGroup {
  // An unknown name may be an interface's dict (`enP7s7`): the network group has those.
  return ANSIBLE_FACT_ALIASES[name]?.group ?? 'network';
}

/** Adds to `into` the groups that Ansible names in `text` read; false when it can read any fact. */
function scanAnsibleText(text: string, into: Set<FactGroup>): boolean {
  for (const m of text.matchAll(ANSIBLE_FACTS_REFERENCE)) {
    const field = m[1] ?? m[2] ?? m[3];
    if (field === undefined) return false;
    into.add(ansibleFactGroup(field));
  }
  for (const m of text.matchAll(ANSIBLE_NAME_REFERENCE)) {
    const name = m[1] ?? '';
    if (!ANSIBLE_NOT_FACTS.test(name)) into.add(ansibleFactGroup(name));
  }
  // hostvars[h].x reads host h's vars; what it reads of facts is scanned as above, except a
  // `facts` or `ansible_facts` read as a whole there (ALL) and any hostvars read we cannot follow.
  const reads = [...text.matchAll(HOSTVARS_READ)];
  if (reads.length < [...text.matchAll(HOSTVARS_REFERENCE)].length) return false;
  for (const m of reads) {
    const field = m[1] ?? m[2] ?? m[3] ?? '';
    if (field === 'facts' || field === 'ansible_facts') return false;
    if (field.startsWith('ansible_') && !ANSIBLE_NOT_FACTS.test(field.slice(8))) into.add(ansibleFactGroup(field.slice(8)));
  }
  return true;
}

/** Adds to `into` the groups that `text` can read; returns false when it can read any fact. */
function scanText(text: string, into: Set<FactGroup>): boolean {
  if (!text.includes('facts') && !text.includes('ansible_') && !text.includes('hostvars')) return true;
  if (!scanAnsibleText(text, into)) return false;
  for (const m of text.matchAll(FACTS_REFERENCE)) {
    const field = m[1];
    if (field === undefined) return false;
    const group = (FACT_FIELD_GROUP as Readonly<Record<string, FactGroup>>)[field];
    // `facts.connection` is always known; a field no group fills is undefined whatever is gathered.
    if (group !== undefined) into.add(group);
  }
  return true;
}

/**
 * The groups any string inside `value` (deeply: lists, mappings, their keys) can read, added to
 * `into`. Returns false as soon as some string can read any fact: the caller gathers them all.
 */
export function scanForFactGroups(value: unknown, into: Set<FactGroup>): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!scanText(v, into)) return false;
    } else if (Array.isArray(v)) {
      stack.push(...(v as unknown[]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (!scanText(k, into)) return false;
        stack.push(x);
      }
    }
  }
  return true;
}
