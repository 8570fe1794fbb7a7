// Tests modules/timezone.ts: plan cases from fixtures, and the commands its changes run.
import { strict as assert } from 'node:assert';
import { findModule } from '../../../modules/index.js';
import { planTimezone } from '../../../modules/lib/host-identity.js';
import type { AnyModule } from '../../../runner/module.js';
import { describeFixtures } from './fixtures.js';

const timezone = findModule('timezone') as AnyModule;

describeFixtures(timezone);

describe('timezone module', () => {
  it('answers to community.general.timezone', () => assert.equal(findModule('community.general.timezone'), timezone));

  it('uses timedatectl when it answers, else links /etc/localtime into zoneinfo', () => {
    const o = { zone: 'Etc/UTC', known: true, etcTimezone: null };
    assert.match(String(planTimezone('Europe/Berlin', { ...o, timedatectl: true })[0]?.script), /^timedatectl set-timezone -- Europe\/Berlin/);
    assert.match(String(planTimezone('Europe/Berlin', { ...o, timedatectl: false })[0]?.script), /^ln -sfn -- \/usr\/share\/zoneinfo\/Europe\/Berlin \/etc\/localtime/);
  });
});
