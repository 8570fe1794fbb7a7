// The `stat` module (Ansible's ansible.builtin.stat): reads one path and registers what it saw
// under `stat` (`result.stat.exists`); it never changes anything.
import { defineModule } from '../runner/module.js';
import { sh } from '../runner/shell/script.js';
import { parseSections, parseTagged, section } from './lib/parse.js';
import { MISSING_FILE, parseObservedFile, statScript, type ObservedFile } from './lib/probe-file.js';
import { safePath } from './lib/write-file.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'The path to read (a symlink is reported as a link, not followed).' },
    get_checksum: { type: 'boolean', default: true, description: "Register the SHA-1 of a regular file's bytes as stat.checksum (as Ansible does)." },
    checksum_algorithm: {
      type: 'string',
      enum: ['sha1', 'sha256'],
      default: 'sha1',
      description: 'The hash of stat.checksum: sha1 (Ansible\'s default) or sha256.',
    },
  },
  examples: [{ path: '/etc/wireguard/wg0.conf' }, { path: '/usr/bin/nvidia-smi', get_checksum: false }],
} as const;

/** What stat saw: the path's state, its checksum and a link's resolved target. */
export interface ObservedStat {
  readonly file: ObservedFile;
  readonly checksum: string | null;
  readonly source: string | null;
}

export const stat = defineModule<typeof schema, ObservedStat>({
  name: 'stat',
  aliases: ['ansible.builtin.stat'],
  summary: 'Read a path (exists, type, mode, owner, size, checksum) into the registered result; changes nothing.',
  schema,
  probe(params) {
    // Each hash reads the whole file: the stat's own sha256 is the checksum when sha256 is asked
    // for, and is left out otherwise (sha1, or no checksum at all), so no file is read twice.
    const algorithm = params.get_checksum === false ? null : (params.checksum_algorithm ?? 'sha1');
    const checksum = algorithm !== 'sha1' ? sh`` : sh`
if [ ! -L "$p" ] && [ -f "$p" ] && [ -r "$p" ]; then printf 'checksum '; sha1sum < "$p" || echo; fi`;
    const body = sh`${statScript(params.path, 0, { sha256: algorithm === 'sha256' })}
(
p=${safePath(params.path)}
if [ -L "$p" ]; then printf 'source %s\\n' "$(readlink -f -- "$p" | base64 -w0)"; fi${checksum}
)`;
    return {
      script: section('stat', body),
      parse: (result): ObservedStat => {
        const lines = parseSections(result.stdout).get('stat');
        if (lines === undefined) return { file: MISSING_FILE, checksum: null, source: null };
        const tags = parseTagged(lines);
        const sum = tags.get('checksum')?.split(' ')[0];
        const source = tags.get('source');
        const file = parseObservedFile(lines);
        return {
          file,
          checksum: algorithm === 'sha256' ? file.sha256 : sum !== undefined && /^[0-9a-f]{40}$/.test(sum) ? sum : null,
          source: source === undefined || source === '' ? null : Buffer.from(source, 'base64').toString('utf8').replace(/\n$/, ''),
        };
      },
    };
  },
  plan: () => [],
  register(params, observed) {
    const f = observed.file;
    if (!f.exists) return { stat: { exists: false } };
    return {
      stat: {
        exists: true,
        path: params.path,
        isdir: f.type === 'directory',
        isreg: f.type === 'file',
        islnk: f.type === 'link',
        mode: f.mode,
        uid: f.uid,
        gid: f.gid,
        pw_name: f.owner,
        gr_name: f.group,
        size: f.size,
        ...(f.type === 'file' && params.get_checksum !== false ? { checksum: observed.checksum } : {}),
        ...(f.type === 'link' ? { lnk_target: f.linkTarget, lnk_source: observed.source } : {}),
      },
    };
  },
});
