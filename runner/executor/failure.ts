// How an error caught while running a task becomes a result: its text (located, secrets masked)
// and its kind. The executor's one place for this, so every result names its failure the same way.
import { SparkbookError, formatLocated, isFailureKind, type FailureKind } from '../errors.js';
import { redactKnownSecrets } from '../shell/secret.js';

/** The error's message for a result: `FILE:LINE:COL: message` where it has a location, secrets masked. */
export function errorText(error: unknown): string {
  if (error instanceof SparkbookError) return redactKnownSecrets(formatLocated(error.message, error.where));
  return redactKnownSecrets(error instanceof Error ? error.message : String(error));
}

/** The error's kind; anything not raised on purpose is a bug (`internal`). */
export function failureKindOf(error: unknown): FailureKind {
  return error instanceof SparkbookError && isFailureKind(error.kind) ? error.kind : 'internal';
}
