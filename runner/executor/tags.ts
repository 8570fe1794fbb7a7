// Ansible's tag rules: `always` runs unless skipped by name, `never` runs only when asked for,
// `--tags all` (the default) selects every untagged and tagged task.

export function isSelectedByTags(taskTags: readonly string[], only: readonly string[], skip: readonly string[]): boolean {
  const tags = new Set(taskTags);
  if (skip.some((t) => tags.has(t) || (t === 'all' && !tags.has('always')))) return false;
  if (tags.has('always') && !skip.includes('always')) return true;
  const wanted = only.length === 0 ? ['all'] : only;
  if (tags.has('never') && !wanted.some((t) => tags.has(t) && t !== 'never')) return false;
  return wanted.some((t) => {
    if (t === 'all') return true;
    if (t === 'tagged') return tags.size > 0;
    if (t === 'untagged') return tags.size === 0;
    return tags.has(t);
  });
}
