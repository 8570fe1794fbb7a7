// iproute2's -j output: a JSON array of objects, or nothing sparkbook can use.

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The array `ip -j …` printed; null when the text is not a JSON array (an old iproute2, an error). */
export function parseJsonArray(text: string): unknown[] | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  return Array.isArray(data) ? data : null;
}
