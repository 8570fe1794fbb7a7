// Mocha root hooks for the e2e suite: destroy the shared lab once, after every test file has run.
// Wire with `--require dist/test/lab/mocha-hooks.js` (or "require" in .mocharc.json).
import { markRootHookInstalled, releaseSharedLab } from './api.js';

markRootHookInstalled();

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000);
    await releaseSharedLab();
  },
};
