// Test-only filesystem helpers: node:fs plus mkfifo (Node has none), made with the mkfifo tool.
import { spawnSync } from 'node:child_process';
export { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';

export function mkfifoSync(path: string): void {
  const r = spawnSync('mkfifo', ['--', path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${String(r.stderr)}`);
}
