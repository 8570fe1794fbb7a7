// Walks the strings inside loaded YAML values, and names their places as JSON pointers.

/** A string found inside a value, with its path from the value's root. */
export interface FoundString {
  readonly text: string;
  readonly rel: readonly (string | number)[];
}

/** Every string inside `value` (keys are not visited), in document order; shared objects once. */
export function stringsIn(value: unknown, base: readonly (string | number)[] = []): FoundString[] {
  const out: FoundString[] = [];
  const stack: { v: unknown; rel: readonly (string | number)[] }[] = [{ v: value, rel: base }];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const { v, rel } = stack.pop() as { v: unknown; rel: readonly (string | number)[] };
    if (typeof v === 'string') out.push({ text: v, rel });
    else if (typeof v === 'object' && v !== null && !seen.has(v)) {
      seen.add(v);
      if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], rel: [...rel, i] });
      else for (const k of Object.keys(v).reverse()) stack.push({ v: (v as Record<string, unknown>)[k], rel: [...rel, k] });
    }
  }
  return out;
}

/** A JSON pointer for a path: ['rules', 0, 'from'] → '/rules/0/from'. */
export function pointer(rel: readonly (string | number)[]): string {
  return rel.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
