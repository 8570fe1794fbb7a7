// Tests modules/fail.ts: plan cases from fixtures.
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { describeFixtures } from './fixtures.js';

describeFixtures(findModule('fail') as AnyModule);
