// Tests modules/index.ts and the rules every module's schema and source must follow.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { findModule, modules } from '../../../modules/index.js';
import { ROOT } from './fixtures.js';

interface SchemaNode {
  readonly type?: unknown;
  readonly additionalProperties?: unknown;
  readonly properties?: Record<string, { readonly description?: unknown }>;
  readonly examples?: unknown;
}

describe('module registry', () => {
  it('finds every module by its YAML key, and nothing else', () => {
    for (const m of modules) assert.equal(findModule(m.name), m);
    assert.equal(findModule('nope'), undefined);
    assert.equal(new Set(modules.map((m) => m.name)).size, modules.length);
  });

  it('holds the core modules', () => {
    for (const name of ['apt', 'assert', 'command', 'debug', 'file', 'line', 'service', 'sysctl']) assert.ok(findModule(name), name);
  });
});

describe('every module schema', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const m of modules) {
    describe(m.name, () => {
      const schema = m.schema as SchemaNode;
      it('is a closed object (additionalProperties: false)', () => {
        assert.equal(schema.type, 'object');
        assert.equal(schema.additionalProperties, false);
      });
      it('describes every property', () => {
        for (const [name, prop] of Object.entries(schema.properties ?? {})) {
          assert.ok(typeof prop.description === 'string' && prop.description.length > 10, `${m.name}.${name} lacks a description`);
        }
      });
      it('has examples that its own schema accepts', () => {
        assert.ok(Array.isArray(schema.examples) && schema.examples.length > 0);
        const validate = ajv.compile(m.schema as object);
        for (const example of schema.examples as unknown[]) assert.ok(validate(example), `${JSON.stringify(example)}: ${ajv.errorsText(validate.errors)}`);
      });
      it('has a one-line summary', () => {
        assert.ok(m.summary.length > 10 && !m.summary.includes('\n'));
      });
    });
  }
});

describe('module sources', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });

  it('never import node:fs, child_process, ssh2 or listr2 (all host I/O goes through scripts)', () => {
    const forbidden = /from\s+['"](node:)?(fs|fs\/promises|child_process|ssh2|listr2)['"]/;
    const offenders = files(join(ROOT, 'modules')).filter((f) => forbidden.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
