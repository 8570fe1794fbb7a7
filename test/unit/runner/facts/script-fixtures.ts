// Test helpers: the recorded whole-script outputs (test/fixtures/facts/script/) and their expected Facts.
import { readFileSync, readdirSync } from 'node:fs';
import type { Facts } from '../../../../runner/facts/facts.js';
import { factsFixturePath } from './fixtures.js';

export interface ScriptFixture {
  readonly name: string;
  readonly source: string;
  readonly stdout: string;
  readonly connection: Facts['connection'];
  readonly expected: Facts;
}

export function scriptFixtures(): ScriptFixture[] {
  return readdirSync(factsFixturePath('script'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(factsFixturePath('script', file), 'utf8')) as {
        source: string;
        output: string;
        connection: Facts['connection'];
        expected: Facts;
      };
      return {
        name: file.replace(/\.json$/, ''),
        source: data.source,
        stdout: readFileSync(factsFixturePath('script', data.output), 'utf8'),
        connection: data.connection,
        expected: data.expected,
      };
    });
}

export function scriptFixture(name: string): ScriptFixture {
  const found = scriptFixtures().find((f) => f.name === name);
  if (found === undefined) throw new Error(`no facts script fixture ${name}`);
  return found;
}
