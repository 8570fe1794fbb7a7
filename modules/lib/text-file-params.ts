// The params `line` and `blockinfile` share (both edit one text file in place, as Ansible's
// lineinfile and blockinfile): the file under Ansible's four names for it, and its owner and group.
import { OWNER_PARAM } from './file-attribute-params.js';

const PATH_NAME = "Ansible's other name for path (give one of path, dest, destfile, name).";

/** The file to edit: `path`, or one of Ansible's names for it. Spread first into `properties`. */
export const TEXT_FILE_PATH_PROPERTIES = {
  path: { type: 'string', minLength: 1, description: 'The text file to edit.' },
  dest: { type: 'string', minLength: 1, description: PATH_NAME },
  destfile: { type: 'string', minLength: 1, description: PATH_NAME },
  name: { type: 'string', minLength: 1, description: PATH_NAME },
} as const;

/** Exactly one of the names of the file is given. */
export const TEXT_FILE_PATH_ONE_OF = [{ required: ['path'] }, { required: ['dest'] }, { required: ['destfile'] }, { required: ['name'] }] as const;

/** Who owns the edited (or created) file. */
export const TEXT_FILE_OWNER_PROPERTIES = {
  owner: { ...OWNER_PARAM, description: 'Owner of the file (user name or uid).' },
  group: { ...OWNER_PARAM, description: 'Group of the file (group name or gid).' },
} as const;

/** The file, under whichever of its names the task gave (the schema lets exactly one through). */
export function textFilePath(p: { readonly path?: string; readonly dest?: string; readonly destfile?: string; readonly name?: string }): string {
  return p.path ?? p.dest ?? p.destfile ?? p.name ?? '';
}
