// An optional field of a spec is absent, not present with undefined: tests compare specs deeply
// and `'x' in spec` must mean something. `defined` drops the undefined fields of a literal, so a
// spec is written as one object instead of a `...(x !== undefined ? { x } : {})` per field.

export type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** `fields` without the ones that are undefined. */
export function defined<T extends object>(fields: T): Defined<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out as Defined<T>;
}
