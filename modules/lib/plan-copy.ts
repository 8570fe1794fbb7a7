// What `copy` and `template` share: a whole-file content written to `dest` with planFile (the
// one atomic write), plus Ansible's extras: a `dest/` directory gets the source's basename,
// force: false leaves an existing file alone, backup and validate go to the write.
import { posix } from 'node:path';
import { TaskError } from '../../runner/errors.js';
import type { Change, ControllerFile, PlanContext, Probe, Text } from '../../runner/module.js';
import { Secret, holdsKnownSecret, isSecret } from '../../runner/shell/secret.js';
import type { ModeInput } from './mode.js';
import { planFile } from './plan-file.js';
import { SMALL_CONTENT_BYTES, fileProbe, type ObservedFile } from './probe-file.js';

/** The params of WRITE_PROPERTIES (modules/lib/copy-params.ts), plus the `src` dest may be named after. */
export interface CopyParams {
  readonly dest: string;
  readonly src?: string;
  readonly mode?: ModeInput;
  readonly owner?: string;
  readonly group?: string;
  readonly force?: boolean;
  readonly backup?: boolean;
  readonly validate?: string;
}

/** `dest`, or dest + the basename of `src` when dest ends with `/` (Ansible's directory dest). */
export function destinationPath(dest: string, src: string | undefined): string {
  if (!dest.endsWith('/')) return dest;
  if (src === undefined) throw new TaskError('module', `dest '${dest}' is a directory: give a file name (content has no name of its own)`);
  return dest + posix.basename(src);
}

/** The controller file of `param`, read by the engine (rule 12 of Module); absent is a bug in the engine. */
export function controllerFile(context: PlanContext | undefined, param: string): ControllerFile {
  const file = context?.files?.get(param);
  if (file === undefined) throw new TaskError('module', `the engine did not read the ${param} file (rule 12 of Module)`);
  return file;
}

/** Text that holds a known secret (a vault value) becomes a Secret: no diff shown, mode 0600 when new. */
export function secretAware(text: Text): Text {
  return !isSecret(text) && holdsKnownSecret(text) ? new Secret(text) : text;
}

/** The probe of the destination; a secret's old value is never brought back over the wire (its sha256 is enough). */
export function copyProbe(params: CopyParams, content: unknown): Probe<ObservedFile> {
  return fileProbe(destinationPath(params.dest, params.src), isSecret(content) ? 0 : SMALL_CONTENT_BYTES);
}

/** The changes that make the destination hold `content`, or [] when it does (or exists and force is false). */
export function planCopy(params: CopyParams, content: Text, observed: ObservedFile): Change[] {
  const path = destinationPath(params.dest, params.src);
  if (params.force === false && observed.exists) return [];
  return planFile(
    {
      path,
      state: 'file',
      content: secretAware(content),
      mode: params.mode,
      owner: params.owner,
      group: params.group,
      ...(params.validate !== undefined ? { validate: params.validate } : {}),
      ...(params.backup === true ? { backup: true } : {}),
    },
    observed,
  );
}
