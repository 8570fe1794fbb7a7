// The schema of a file's mode, owner and group, shared by the modules that set them (file, copy,
// template, line, blockinfile). Each module spreads a fragment and adds its own description:
// `{ ...MODE_PARAM, description: '…' }` keeps the `as const` literal types FromSchema reads.
import { MODE_NUMBER_MAXIMUM, MODE_STRING_MESSAGE, MODE_STRING_PATTERN } from './mode.js';
import { OWNER_PATTERN } from './patterns.js';

/** A mode: octal or symbolic text, or a number read by its digits as octal (modules/lib/mode.ts). */
export const MODE_PARAM = {
  type: ['string', 'integer'],
  pattern: MODE_STRING_PATTERN,
  patternErrorMessage: MODE_STRING_MESSAGE,
  minimum: 0,
  maximum: MODE_NUMBER_MAXIMUM,
} as const;

/** An owner or group: a name or a numeric id. */
export const OWNER_PARAM = { type: 'string', pattern: OWNER_PATTERN } as const;
