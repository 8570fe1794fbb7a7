// Test helpers for the loader: the repo root, fixture paths, small fake modules, and error capture.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, InputErrors } from '../../../../runner/errors.js';
import type { AnyModule } from '../../../../runner/module.js';

/** The repository root, from dist/test/unit/runner/load/. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');

export function fixture(...parts: string[]): string {
  return resolve(ROOT, 'test/fixtures', ...parts);
}

/** A module with only a schema: enough for loading and validation, never run. */
export function fakeModule(name: string, schema: object, extra: Partial<AnyModule> = {}): AnyModule {
  return {
    name,
    summary: `fake ${name}`,
    schema,
    probe: () => {
      throw new Error('fake module: not runnable');
    },
    plan: () => [],
    ...extra,
  } as AnyModule;
}

/** `copy` and `ping`: a tiny registry independent of modules/index.ts. */
export const FAKE_MODULES: readonly AnyModule[] = [
  fakeModule('copy', {
    type: 'object',
    additionalProperties: false,
    required: ['dest'],
    properties: {
      dest: { type: 'string', minLength: 1 },
      content: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      backup: { type: 'boolean' },
      state: { type: 'string', enum: ['present', 'absent'] },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      rules: {
        type: 'array',
        items: { type: 'object', additionalProperties: false, required: ['port'], properties: { port: { type: 'integer' }, from: { type: 'string' } } },
      },
    },
  }),
  fakeModule('ping', { type: 'object', additionalProperties: false, properties: {} }),
  fakeModule('check', { type: 'object', additionalProperties: false, required: ['that'], properties: { that: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } } }, { expressionParams: ['that'] }),
];

/** The InputErrors a promise rejects with; fails when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<readonly InputError[]> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof InputErrors) return e.errors;
    throw e;
  }
  throw new Error('expected InputErrors, the promise resolved');
}

/** The InputErrors a function throws. */
export function thrownErrors(fn: () => unknown): readonly InputError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputErrors) return e.errors;
    if (e instanceof InputError) return [e];
    throw e;
  }
  throw new Error('expected InputErrors, nothing was thrown');
}

/** Writes `files` (relative path → text) under a new temporary directory and returns it. */
export async function writeTree(files: Readonly<Record<string, string | Uint8Array>>): Promise<string> {
  const { mkdtemp, mkdir, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'sparkbook-load-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}
