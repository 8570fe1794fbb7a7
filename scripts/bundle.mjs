// Bundles the built CLI (dist/runner/cli.js) and everything it imports into ONE file,
// dist/sparkbook.js: Node then reads and compiles one module instead of ~400, which takes about
// 100 ms off every run (docs/decisions.md). ssh2 stays outside: it loads native bindings.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/runner/cli.js'],
  outfile: 'dist/sparkbook.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['ssh2'],
  // CommonJS dependencies (ajv, yaml) call require() for Node's own modules.
  banner: { js: "import { createRequire as __sparkbookRequire } from 'node:module'; const require = __sparkbookRequire(import.meta.url);" },
  logLevel: 'warning',
});
