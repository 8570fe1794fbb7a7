// The import boundaries of DESIGN.md §3–4 and docs/architecture.md as ONE table of rules checked on
// the sources, with a self-test that plants a violation of every entry to prove that each can fire.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../support/run-cli.js';

/**
 * The floors from the top (docs/architecture.md). A room imports only rooms of lower floors, so
 * data flows one way and no two folders can come to depend on each other. Rooms of one floor may
 * import each other only while that keeps them on one floor: the sheet is the guide, not this rule.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['runner/cli.ts'],
  ['runner/commands/'],
  ['runner/report/'],
  ['runner/executor/'],
  ['runner/load/'],
  ['modules/', 'runner/schema/'],
  ['runner/module.ts'],
  ['runner/connection/'],
  ['runner/facts/', 'runner/template/', 'runner/inventory/'],
  ['runner/shell/', 'runner/text/', 'runner/vault/', 'runner/errors.ts'],
];

/**
 * One rule: the files of `folder` (a folder ending in '/', one file, or '' for every source) must
 * not contain anything `forbidden` names. An entry is a key of CONSTRUCTS (a piece of code), a
 * repo path (a file, or a folder ending in '/'), or else a package name, which also covers its
 * subpaths ('fs' covers 'fs/promises'). `except` lists imports let through all the same: the door.
 */
interface Rule {
  readonly folder: string;
  readonly forbidden: readonly string[];
  readonly except?: readonly string[];
  readonly why: string;
}

/** Code that a rule can forbid, found in the syntax tree (so never in a comment or a string). */
const CONSTRUCTS: Readonly<Record<string, { readonly finds: (node: ts.Node) => boolean; readonly planted: string }>> = {
  'console.*': { finds: (n) => memberOf(n, 'console'), planted: "console.log('hello');" },
  'process.stdout': { finds: (n) => memberNamed(n, 'process', 'stdout'), planted: "process.stdout.write('hello');" },
  'process.stderr': { finds: (n) => memberNamed(n, 'process', 'stderr'), planted: "const { stderr } = process;\nstderr.write('hello');" },
  'eval()': { finds: (n) => globalReference(n, 'eval'), planted: "export const x = (0, eval)('1 + 1');" },
  'new Function()': {
    finds: (n) => (ts.isNewExpression(n) || ts.isCallExpression(n)) && globalReference(n.expression, 'Function'),
    planted: "export const f = new Function('return 1');",
  },
};

const NEVER_RUN_AS_JAVASCRIPT = ['eval()', 'new Function()', 'node:vm', 'vm'];

const RULES: readonly Rule[] = [
  {
    folder: 'modules/',
    forbidden: ['node:fs', 'node:fs/promises', 'fs', 'node:child_process', 'child_process', 'ssh2', 'listr2'],
    why: 'a module builds scripts and plans; the engine alone touches files, processes, ssh and the terminal',
  },
  {
    folder: 'runner/executor/',
    forbidden: ['runner/report/', 'listr2', 'process.stdout', 'process.stderr', 'console.*', 'node:process', 'process', 'node:console', 'console'],
    why: 'the executor emits events; only reporters draw or print them',
  },
  {
    folder: 'runner/',
    forbidden: ['modules/'],
    except: ['modules/index.ts'],
    why: 'the engine knows modules only through the registry, never one by name',
  },
  { folder: '', forbidden: ['runner/cli.ts'], why: 'runner/cli.ts is the process edge: it exits, so nothing may import it' },
  { folder: 'runner/', forbidden: NEVER_RUN_AS_JAVASCRIPT, why: 'templates and playbook text are interpreted by our own evaluator, never run as JavaScript' },
  { folder: 'modules/', forbidden: NEVER_RUN_AS_JAVASCRIPT, why: 'templates and playbook text are interpreted by our own evaluator, never run as JavaScript' },
  ...FLOORS.flatMap((rooms, i) =>
    i === 0
      ? []
      : rooms.map((room): Rule => ({ folder: room, forbidden: FLOORS.slice(0, i).flat(), why: `floor ${FLOORS.length - i} never imports a higher floor` })),
  ),
];

interface Source {
  readonly file: string;
  readonly text: string;
}

function inFolder(file: string, folder: string): boolean {
  return folder === '' || file === folder || (folder.endsWith('/') && file.startsWith(folder));
}

function isRepoPath(entry: string): boolean {
  return FLOORS.flat().some((room) => entry.startsWith(room.split('/')[0] + '/'));
}

function importMatches(imported: string, entry: string): boolean {
  if (isRepoPath(entry)) return inFolder(imported, entry);
  return imported === entry || imported.startsWith(`${entry}/`);
}

/** `a.b` or `globalThis.a.b` (and the destructuring `const { b } = a`). */
function memberNamed(node: ts.Node, object: string, member: string): boolean {
  if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && globalReference(node.expression, object)) {
    const name = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteral(node.argumentExpression) ? node.argumentExpression.text : '';
    return name === member;
  }
  if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent) && ts.isVariableDeclaration(node.parent.parent)) {
    const init = node.parent.parent.initializer;
    const name = node.propertyName ?? node.name;
    return init !== undefined && globalReference(init, object) && ts.isIdentifier(name) && name.text === member;
  }
  return false;
}

/** Any use of a member of the global `object`: `console.log`, `console['error']`, `const { log } = console`. */
function memberOf(node: ts.Node, object: string): boolean {
  if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && globalReference(node.expression, object)) return true;
  if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) return globalReference(node.initializer, object);
  return false;
}

/** `name` read as a value, or `globalThis.name`: not a property called so, nor a key or a declaration. */
function globalReference(node: ts.Node, name: string): boolean {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  if (ts.isPropertyAccessExpression(node)) return node.name.text === name && ts.isIdentifier(node.expression) && node.expression.text === 'globalThis';
  if (!ts.isIdentifier(node) || node.text !== name) return false;
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent)) return false;
  return true;
}

/** Every module a source imports, re-exports or loads (`import()`, `require()`, `import('x').T`), relative ones as repo paths. */
function importsOf(source: Source): string[] {
  const found: string[] = [];
  const add = (spec: ts.Node | undefined): void => {
    if (spec === undefined || !ts.isStringLiteralLike(spec)) return;
    const text = spec.text;
    found.push(text.startsWith('.') ? posix.join(posix.dirname(source.file), text).replace(/\.js$/, '.ts') : text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || globalReference(node.expression, 'require'))) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(parse(source));
  return found;
}

// Every rule reads every source: each is parsed once, not once per rule.
const parsed = new WeakMap<Source, ts.SourceFile>();

function parse(source: Source): ts.SourceFile {
  let tree = parsed.get(source);
  if (tree === undefined) parsed.set(source, (tree = ts.createSourceFile(source.file, source.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)));
  return tree;
}

/** What `source` does against `rule`, one line each; [] when it keeps the rule or is outside its folder. */
function violations(rule: Rule, source: Source): string[] {
  if (!inFolder(source.file, rule.folder)) return [];
  const out: string[] = [];
  for (const imported of importsOf(source)) {
    if (rule.except?.includes(imported)) continue;
    for (const entry of rule.forbidden) {
      if (!(entry in CONSTRUCTS) && importMatches(imported, entry)) out.push(`${source.file} imports ${imported} (${entry})`);
    }
  }
  const constructs = rule.forbidden.filter((entry) => entry in CONSTRUCTS);
  if (constructs.length > 0) {
    const tree = parse(source);
    const visit = (node: ts.Node): void => {
      for (const entry of constructs) {
        if (CONSTRUCTS[entry]?.finds(node)) out.push(`${source.file}:${tree.getLineAndCharacterOfPosition(node.getStart(tree)).line + 1} uses ${entry}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  return out;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(REPO_ROOT, dir))) {
    const rel = posix.join(dir, name);
    if (statSync(join(REPO_ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

/** A source in `rule.folder` that does what `entry` forbids, for the self-test; never written to disk. */
function planted(rule: Rule, entry: string): Source {
  const file = rule.folder === '' ? 'test/planted.ts' : rule.folder.endsWith('/') ? `${rule.folder}planted.ts` : rule.folder;
  const construct = CONSTRUCTS[entry];
  if (construct) return { file, text: `// planted\n${construct.planted}\n` };
  return { file, text: `import planted from '${specifierFor(file, entry)}';\nexport default planted;\n` };
}

function specifierFor(file: string, target: string): string {
  if (!isRepoPath(target)) return target;
  const path = target.endsWith('/') ? `${target}planted-target.ts` : target;
  const rel = posix.relative(posix.dirname(file), path).replace(/\.ts$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

describe('architecture', () => {
  const tree: Source[] = ['runner', 'modules', 'test', 'bench']
    .flatMap(sources)
    .map((file) => ({ file, text: readFileSync(join(REPO_ROOT, file), 'utf8') }));

  it('finds the engine and module sources', () => {
    assert.ok(tree.filter((s) => s.file.startsWith('runner/')).length > 40);
    assert.ok(tree.filter((s) => s.file.startsWith('modules/')).length > 20);
  });

  it('places every source of runner/ and modules/ on a floor', () => {
    const rooms = FLOORS.flat();
    const homeless = tree.filter((s) => /^(runner|modules)\//.test(s.file) && !rooms.some((room) => inFolder(s.file, room)));
    assert.deepEqual(homeless.map((s) => s.file), []);
  });

  for (const rule of RULES) {
    it(`${rule.folder || 'every source'}: ${rule.why}`, () => {
      assert.deepEqual(tree.flatMap((source) => violations(rule, source)), []);
    });
  }

  describe('each rule can fire (a planted violation of every entry, in memory)', () => {
    for (const rule of RULES) {
      it(`${rule.folder || 'every source'} (${rule.why})`, () => {
        assert.ok(rule.forbidden.length > 0);
        for (const entry of rule.forbidden) {
          const source = planted(rule, entry);
          const found = violations(rule, source);
          assert.ok(found.length > 0 && found.every((line) => line.startsWith(source.file)), `${entry} went unreported in:\n${source.text}`);
        }
        for (const door of rule.except ?? []) {
          assert.deepEqual(violations(rule, planted(rule, door)), [], `the door ${door} was reported`);
        }
      });
    }
  });

  it('reads imports of every form, and none from comments or strings', () => {
    const source: Source = {
      file: 'runner/executor/x.ts',
      text: [
        "import type { A } from '../report/a.js';",
        "export * from '../report/b.js';",
        "const c = await import('../report/c.js');",
        "type D = import('../report/d.js').D;",
        "import '../report/e.js';",
        "// import { f } from '../report/f.js';",
        "const g = \"from '../report/g.js'\";",
      ].join('\n'),
    };
    assert.deepEqual(importsOf(source), ['runner/report/a.ts', 'runner/report/b.ts', 'runner/report/c.ts', 'runner/report/d.ts', 'runner/report/e.ts']);
  });

  it('tells code from names that only look like it', () => {
    const rule: Rule = { folder: 'runner/', forbidden: ['console.*', 'process.stdout', 'eval()', 'new Function()'], why: 'test' };
    const innocent = [
      "const options = { eval: true, stdout: '' };",
      'export function f(fn: Function, p: { console: string }): string { return p.console + String(fn); }',
      "// console.log('commented'); process.stdout.write(''); eval('')",
      "const text = \"console.log('a string')\";",
      'const evaluate = (x: { eval(): void }) => x.eval();',
    ].join('\n');
    assert.deepEqual(violations(rule, { file: 'runner/x.ts', text: innocent }), []);
  });
});
