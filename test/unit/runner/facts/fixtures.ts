// Test helpers: the repository root and the recorded fact outputs under test/fixtures/facts/.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/test/unit/runner/facts/. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');

export function factsFixturePath(...parts: string[]): string {
  return resolve(ROOT, 'test/fixtures/facts', ...parts);
}

/** One recorded case: `{source, output: lines, expected, ...extra}`. */
export interface ParserCase {
  readonly name: string;
  readonly source: string;
  /** The recorded output, lines joined back with newlines. */
  readonly output: string;
  readonly expected: unknown;
  readonly extra: Readonly<Record<string, unknown>>;
}

function joinLines(v: unknown): unknown {
  return Array.isArray(v) && v.every((l) => typeof l === 'string') ? v.join('\n') : v;
}

/** Every case of one parser, in file-name order; `extra` lists of lines are joined too. */
export function parserCases(parser: string): ParserCase[] {
  const dir = factsFixturePath(parser);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as Record<string, unknown>;
      const { source, output, expected, ...rest } = data;
      if (typeof source !== 'string' || source === '') throw new Error(`${parser}/${file}: a fixture needs a "source" note`);
      const extra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rest)) extra[k] = joinLines(v);
      return { name: file.replace(/\.json$/, '').replace(/-/g, ' '), source, output: String(joinLines(output)), expected, extra };
    });
}

/** A string field of a case's extra data (e.g. the `link` text beside an `ip -o addr` case). */
export function extraText(c: ParserCase, key: string): string {
  const v = c.extra[key];
  if (typeof v !== 'string') throw new Error(`fixture "${c.name}" has no text field "${key}"`);
  return v;
}
