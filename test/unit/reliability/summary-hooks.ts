// Mocha root hook (loaded with --require): prints the reliability figures that the tests of this
// run (and, through SPARKBOOK_FIGURES, earlier mocha runs of the same `npm test`) recorded.
import { renderSummary } from '../../support/figures.js';

export const mochaHooks = {
  afterAll(): void {
    process.stdout.write(`\n${renderSummary()}\n`);
  },
};
