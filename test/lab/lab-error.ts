// The lab's one error class: a failed command, a timeout or a bad request while building or running test hosts.
import { SparkbookError } from '../../runner/errors.js';

export type LabErrorKind = 'usage' | 'command' | 'timeout' | 'state' | 'resource';

/** A lab operation failed; the message says what was being done and what the system answered. */
export class LabError extends SparkbookError {
  override name = 'LabError';
  constructor(
    override readonly kind: LabErrorKind,
    message: string,
  ) {
    super(kind, message);
  }
}
