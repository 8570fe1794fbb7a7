// The `tailscale` module: join the tailnet with an auth key passed as a 0600 tmpfs file (never
// on argv) only when the node needs login, and adjust a joined node with `tailscale set`.
// Installing the package (apt source, signing key, apt) is left to file/apt tasks.
import { defineModule, type Params } from '../runner/module.js';
import { isSecret, Secret } from '../runner/shell/secret.js';
import { caseless } from './lib/patterns.js';
import { parseTailscaleProbe, tailscaleProbeScript, type TailscaleObserved } from './lib/tailscale-status.js';
import { planTailscale, type TailscaleWanted } from './lib/tailscale-plan.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  description:
    'Tailscale membership. `tailscale up` runs only when `tailscale status --json` says the node needs login; the auth key then ' +
    'travels in the script on stdin into a 0600 file on tmpfs, handed over as --auth-key=file:PATH and removed on every path. ' +
    'A joined node is adjusted with `tailscale set` (hostname, accept_routes, ssh); tags cannot be changed that way.',
  properties: {
    state: { type: 'string', enum: ['up', 'down'], description: 'up (default): joined and running; down: `tailscale down` (stays logged in).' },
    auth_key: {
      type: 'string',
      minLength: 1,
      description: 'Auth key (a secret, masked everywhere); read on the control machine, e.g. "{{ lookup(\'env\', \'TS_AUTHKEY\') }}". Used only to join.',
    },
    hostname: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,62}$', description: 'Name of the node in the tailnet.' },
    advertise_tags: {
      type: 'array',
      items: { type: 'string', pattern: '^tag:[A-Za-z0-9][A-Za-z0-9-]*$' },
      description: 'Tags the node asks for (tag:dgx-spark). An empty list is the same as none given: no --advertise-tags, and the tags of a joined node are not compared.',
    },
    accept_routes: { type: 'boolean', description: 'Accept subnet routes advertised by other nodes.' },
    ssh: { type: 'boolean', description: 'Run Tailscale SSH on the node.' },
    login_server: { type: 'string', pattern: '^https?://\\S+$', description: 'Control server URL (Headscale, a test server). Default: Tailscale.' },
    extra_args: {
      type: 'array',
      items: {
        type: 'string',
        // A flag, and never a credential: those travel only as auth_key (a file, not argv).
        pattern: `^--(?![\\s\\S]*(?:${caseless('auth')}-?${caseless('key')}|${caseless('client-secret')}|${caseless('id-token')}))`,
        patternErrorMessage: 'must be a --flag, and not a credential (the auth key goes in auth_key, never in extra_args)',
      },
      description: 'More `tailscale up` flags, used only when joining (never the auth key).',
    },
    timeout_s: { type: 'integer', minimum: 1, maximum: 3600, description: 'Seconds `tailscale up` waits for the Running state (default 120).' },
  },
  examples: [
    { auth_key: "{{ lookup('env', 'TS_AUTHKEY') }}", hostname: 'spark-01', advertise_tags: ['tag:dgx-spark'] },
    { state: 'up', hostname: 'spark-02', accept_routes: false },
  ],
} as const;

type TailscaleParams = Params<typeof schema>;

export function tailscaleWanted(p: TailscaleParams): TailscaleWanted {
  const raw: unknown = p.auth_key;
  const authKey = raw === undefined ? undefined : isSecret(raw) ? raw : new Secret(String(raw));
  return {
    state: p.state ?? 'up',
    authKey,
    hostname: p.hostname,
    // [] means "no tags wanted here", which a playbook's default cannot otherwise say (no omit).
    advertiseTags: p.advertise_tags !== undefined && p.advertise_tags.length > 0 ? p.advertise_tags : undefined,
    acceptRoutes: p.accept_routes,
    ssh: p.ssh,
    loginServer: p.login_server,
    extraArgs: p.extra_args,
    timeoutS: p.timeout_s ?? 120,
  };
}

export const tailscale = defineModule<typeof schema, TailscaleObserved>({
  name: 'tailscale',
  summary: 'Join a node to a tailnet (auth key by tmpfs file, never on argv) and keep its settings with tailscale set.',
  schema,
  secretParams: ['auth_key'],
  probe() {
    return { script: tailscaleProbeScript(), parse: (r) => parseTailscaleProbe(r.stdout) };
  },
  plan(params, observed) {
    return planTailscale(tailscaleWanted(params), observed);
  },
  message(_params, observed) {
    if (!observed.installed) return 'tailscale is not installed';
    return `tailscale ${observed.backendState ?? 'not answering'}${observed.hostName === null ? '' : ` as ${observed.hostName}`}`;
  },
});
