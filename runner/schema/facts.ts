// The JSON Schema of Facts (runner/facts/facts.ts), checked in as schema/facts.schema.json for
// users who read `sparkbook facts --json`; a unit test keeps the two files and the parser in step.

const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const intOrNull = { type: ['integer', 'null'] } as const;
const bool = { type: 'boolean' } as const;
const strings = { type: 'array', items: str } as const;
const port = { type: 'integer', minimum: 0, maximum: 65535 } as const;

const address = {
  type: 'object',
  additionalProperties: false,
  required: ['family', 'address', 'prefix', 'scope', 'global', 'ula', 'temporary', 'deprecated'],
  properties: {
    family: { enum: ['inet', 'inet6'] },
    address: str,
    prefix: { type: 'integer', minimum: 0, maximum: 128 },
    scope: str,
    global: bool,
    ula: bool,
    temporary: bool,
    deprecated: bool,
  },
} as const;

const networkInterface = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'mac', 'up', 'mtu', 'linkType', 'addresses'],
  properties: {
    name: str,
    mac: strOrNull,
    up: bool,
    mtu: intOrNull,
    linkType: strOrNull,
    addresses: { type: 'array', items: address },
  },
} as const;

const unit = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['loadState', 'activeState', 'unitFileState', 'listen'],
  properties: { loadState: strOrNull, activeState: strOrNull, unitFileState: strOrNull, listen: strings },
} as const;

const ufwRule = {
  type: 'object',
  additionalProperties: false,
  required: ['to', 'action', 'direction', 'from', 'v6', 'comment'],
  properties: {
    to: str,
    action: { enum: ['ALLOW', 'DENY', 'REJECT', 'LIMIT'] },
    direction: { enum: ['IN', 'OUT', 'FWD'] },
    from: str,
    v6: bool,
    comment: strOrNull,
  },
} as const;

export const factsSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://sparkbook.dev/schema/facts.schema.json',
  title: 'sparkbook facts of one host',
  description: 'What `sparkbook facts --json` prints per host and what templates see as `facts`. A null is a fact the host could not answer (a missing tool, no permission).',
  type: 'object',
  additionalProperties: false,
  required: [
    'connection', 'hostname', 'fqdn', 'arch', 'dpkgArch', 'os', 'kernel', 'interfaces', 'defaultRoute', 'defaultRoute6',
    'sshd', 'sshUnits', 'listening', 'ufw', 'sysctl', 'wireguard', 'tailscale', 'initSystem', 'packageManager',
    'memoryMb', 'cpus', 'productName', 'isDgxSpark', 'gpus', 'user',
  ],
  properties: {
    connection: {
      type: 'object',
      additionalProperties: false,
      required: ['transport', 'address', 'port', 'user'],
      properties: { transport: { enum: ['local', 'ssh'] }, address: str, port, user: str },
    },
    hostname: strOrNull,
    fqdn: strOrNull,
    arch: { ...strOrNull, description: '`uname -m`: aarch64 on a DGX Spark.' },
    dpkgArch: { ...strOrNull, description: "dpkg's architecture: arm64 on a DGX Spark." },
    os: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'version', 'codename', 'pretty'],
      properties: { id: strOrNull, version: strOrNull, codename: strOrNull, pretty: strOrNull },
    },
    kernel: strOrNull,
    interfaces: { type: 'array', items: networkInterface },
    defaultRoute: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['interface', 'gateway', 'cidr', 'address'],
      properties: { interface: str, gateway: strOrNull, cidr: strOrNull, address: strOrNull },
    },
    defaultRoute6: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['interface', 'gateway'],
      properties: { interface: str, gateway: strOrNull },
    },
    sshd: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: [
        'ports', 'passwordAuthentication', 'permitRootLogin', 'pubkeyAuthentication', 'kbdInteractiveAuthentication',
        'listenAddresses', 'socketActivated', 'settings',
      ],
      properties: {
        ports: { type: 'array', items: port, minItems: 1 },
        passwordAuthentication: strOrNull,
        permitRootLogin: strOrNull,
        pubkeyAuthentication: strOrNull,
        kbdInteractiveAuthentication: strOrNull,
        listenAddresses: strings,
        socketActivated: bool,
        settings: { type: 'object', additionalProperties: strings },
      },
    },
    sshUnits: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['socket', 'service', 'generatorListen'],
      properties: { socket: unit, service: unit, generatorListen: { type: ['array', 'null'], items: str } },
    },
    listening: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['address', 'port', 'processes'],
        properties: { address: str, port, processes: strings },
      },
    },
    ufw: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['active', 'rules', 'source', 'logging', 'defaults', 'ruleTable'],
      properties: {
        active: bool,
        rules: strings,
        source: { enum: ['status', 'conf'] },
        logging: strOrNull,
        defaults: {
          type: ['object', 'null'],
          additionalProperties: false,
          required: ['incoming', 'outgoing', 'routed'],
          properties: { incoming: strOrNull, outgoing: strOrNull, routed: strOrNull },
        },
        ruleTable: { type: 'array', items: ufwRule },
      },
    },
    sysctl: {
      type: 'object',
      additionalProperties: false,
      required: ['ipv4Forward', 'ipv6Forward'],
      properties: { ipv4Forward: intOrNull, ipv6Forward: intOrNull },
    },
    wireguard: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['interfaces', 'configs', 'toolsInstalled'],
      properties: { interfaces: strings, configs: strings, toolsInstalled: bool },
    },
    tailscale: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['version', 'backendState'],
      properties: { version: strOrNull, backendState: strOrNull },
    },
    initSystem: strOrNull,
    packageManager: strOrNull,
    memoryMb: intOrNull,
    cpus: intOrNull,
    productName: strOrNull,
    isDgxSpark: { ...bool, description: 'DMI product name matches /DGX.?Spark/i, or nvidia-smi lists a GB10 GPU.' },
    gpus: strings,
    user: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'uid'],
      properties: { name: strOrNull, uid: intOrNull },
    },
  },
} as const;
