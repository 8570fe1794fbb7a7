// A string of a playbook is rendered once per host and per loop item, and the loader parsed it
// already to check its syntax: its tree is kept, so each distinct text is parsed once per run.
// A tree depends on the text and the parse options only (the location goes into errors, which
// are never kept), and nothing writes to a tree, so one tree serves every render.
/** Trees by key, bounded by the total length of their source texts; the oldest goes first. */
export class ParseCache<T> {
  readonly #entries = new Map<string, T>();
  #chars = 0;

  /** `maxChars`: about 25 bytes of tree are kept per character of source. */
  constructor(readonly maxChars: number) {}

  /** The tree for `key`, made by `parse` on a miss (a parse that throws keeps nothing). */
  get(key: string, parse: () => T): T {
    const hit = this.#entries.get(key);
    if (hit !== undefined) return hit;
    const value = parse();
    if (key.length > this.maxChars) return value;
    this.#entries.set(key, value);
    this.#chars += key.length;
    for (const oldest of this.#entries.keys()) {
      if (this.#chars <= this.maxChars) break;
      this.#entries.delete(oldest);
      this.#chars -= oldest.length;
    }
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}
