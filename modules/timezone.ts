// The `timezone` module (community.general.timezone): the host's time zone.
import { defineModule } from '../runner/module.js';
import { parseTimezoneProbe, planTimezone, timezoneProbeScript, type ObservedTimezone } from './lib/host-identity.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      // A tz database name: Area/City segments, never `..` nor an option.
      pattern: '^[A-Za-z0-9_+][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+][A-Za-z0-9_+-]*)*$',
      patternErrorMessage: "must be a tz database name such as 'Etc/UTC' or 'America/Los_Angeles'",
      description: 'The zone (Etc/UTC, Europe/Berlin): timedatectl set-timezone, else /etc/localtime linked into /usr/share/zoneinfo; /etc/timezone kept in step.',
    },
  },
  examples: [{ name: 'Etc/UTC' }, { name: 'America/Los_Angeles' }],
} as const;

export const timezone = defineModule<typeof schema, ObservedTimezone>({
  name: 'timezone',
  aliases: ['community.general.timezone'],
  summary: "Set the host's time zone with timedatectl (or /etc/localtime), like community.general.timezone.",
  schema,
  probe(params) {
    return { script: timezoneProbeScript(params.name), parse: (r) => parseTimezoneProbe(r.stdout) };
  },
  plan(params, observed) {
    return planTimezone(params.name, observed);
  },
});
