// Canonical JSON for reports and event lines: keys sorted at every depth, so two runs that saw
// the same things write the same bytes.

/** A JSON value as written by the reporters. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const CIRCULAR = '[Circular]';

/**
 * Turns any value into plain JSON data with sorted keys: honours `toJSON` (so a Secret becomes
 * its mask), drops `undefined`, functions and symbols in objects as JSON.stringify does, turns
 * them into null in arrays, writes bigints as strings and cycles as "[Circular]". Every string,
 * key or value, goes through `mapString` (the reporters pass `redact`).
 */
export function canonicalize(value: unknown, mapString: (text: string) => string = (t) => t): JsonValue {
  const seen = new Set<object>();
  const walk = (input: unknown): JsonValue | undefined => {
    let v = input;
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: () => unknown }).toJSON();
    }
    switch (typeof v) {
      case 'string':
        return mapString(v);
      case 'number':
        return Number.isFinite(v) ? v : null;
      case 'boolean':
        return v;
      case 'bigint':
        return mapString(v.toString());
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      default:
        break;
    }
    if (v === null) return null;
    const obj = v as object;
    if (seen.has(obj)) return CIRCULAR;
    seen.add(obj);
    try {
      if (Array.isArray(obj)) return obj.map((element) => walk(element) ?? null);
      const out: { [key: string]: JsonValue } = {};
      const entries = Object.entries(obj)
        .map(([key, element]) => [mapString(key), element] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [key, element] of entries) {
        const mapped = walk(element);
        // A key named __proto__ must become an own property, not the prototype.
        if (mapped !== undefined) Object.defineProperty(out, key, { value: mapped, enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      seen.delete(obj);
    }
  };
  return walk(value) ?? null;
}

/** JSON text with keys sorted recursively; `indent` as in JSON.stringify. */
export function stableStringify(value: unknown, indent?: number, mapString?: (text: string) => string): string {
  return JSON.stringify(canonicalize(value, mapString), null, indent);
}
