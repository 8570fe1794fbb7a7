// Test helpers: build an inventory from inline YAML or INI text, and find the repo's fixtures.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InventoryBuilder } from '../../../../runner/inventory/builder.js';
import { parseIniInventory } from '../../../../runner/inventory/ini-inventory.js';
import type { Inventory } from '../../../../runner/inventory/types.js';
import { parseYamlInventory } from '../../../../runner/inventory/yaml-inventory.js';

/** The repository root, from dist/test/unit/runner/inventory/. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');

export function fixture(...parts: string[]): string {
  return resolve(ROOT, 'test/fixtures', ...parts);
}

export function yamlInventory(text: string, file = 'inline.yml'): Inventory {
  const b = new InventoryBuilder();
  parseYamlInventory(text, file, b);
  return b.build(file);
}

export function iniInventory(text: string, file = 'inline.ini'): Inventory {
  const b = new InventoryBuilder();
  parseIniInventory(text, file, b);
  return b.build(file);
}

/** Runs `fn` and returns the error it throws, failing when it does not throw. */
export function thrown(fn: () => unknown): Error & { kind?: string; where?: { file: string; line: number; col: number } } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}
