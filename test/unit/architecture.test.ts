// The import boundaries of DESIGN.md §3–4, checked on the sources: the engine knows modules
// only through their registry, the executor never draws or prints, nothing imports the CLI edge.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { REPO_ROOT } from '../support/run-cli.js';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(REPO_ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(REPO_ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

/** Every module specifier a file imports (static and dynamic), resolved to a repo path when relative. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
  return specs.map((s) => (s.startsWith('.') ? relative(REPO_ROOT, resolve(join(REPO_ROOT, dirname(file)), s)).replace(/\.js$/, '.ts') : s));
}

describe('architecture', () => {
  const runner = sources('runner');
  it('finds the engine sources', () => assert.ok(runner.length > 40));

  it('lets runner/ reach modules/ only through the registry, modules/index.ts', () => {
    const bad = runner.flatMap((f) => importsOf(f).filter((i) => i.startsWith('modules/') && i !== 'modules/index.ts').map((i) => `${f} → ${i}`));
    assert.deepEqual(bad, []);
  });

  it('keeps listr2 and stdout out of runner/executor/', () => {
    const files = sources('runner/executor');
    const bad = files.filter((f) => importsOf(f).includes('listr2') || /process\.(stdout|stderr)|console\./.test(readFileSync(join(REPO_ROOT, f), 'utf8')));
    assert.deepEqual(bad, []);
  });

  it('lets nothing import runner/cli.ts', () => {
    const all = [...runner, ...sources('modules'), ...sources('test')];
    const bad = all.filter((f) => importsOf(f).includes('runner/cli.ts'));
    assert.deepEqual(bad, []);
  });

  it('never uses eval or new Function in the engine or modules', () => {
    const bad = [...runner, ...sources('modules')].filter((f) => /\beval\(|new Function\(/.test(readFileSync(join(REPO_ROOT, f), 'utf8')));
    assert.deepEqual(bad, []);
  });

  it('detects a forbidden import when there is one (the check can fire)', () => {
    const fake = "import { x } from '../../modules/lib/plan-file.js';";
    const specs = [...fake.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
    assert.deepEqual(specs, ['../../modules/lib/plan-file.js']);
  });
});
