// Early checks of the few connection vars whose wrong values would only surface as a confusing SSH failure.
import { InputError, type SourceLocation } from '../errors.js';

const PORT_VARS = new Set(['ansible_port', 'ansible_ssh_port']);
const HOST_VARS = new Set(['ansible_host', 'ansible_ssh_host']);

/** Templated values (`{{ … }}`) are left to the executor; literal ones must make sense now. */
export function checkInventoryVar(key: string, value: unknown, where: SourceLocation): void {
  if (typeof value === 'string' && value.includes('{{')) return;
  if (PORT_VARS.has(key)) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^[0-9]+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      throw new InputError('inventory', `${key} must be a port number from 1 to 65535, got ${show(value)}`, where);
    }
  } else if (HOST_VARS.has(key)) {
    // eslint-disable-next-line no-control-regex
    if (typeof value !== 'string' || value.trim() === '' || /[\s\u0000-\u001f\u007f]/u.test(value)) {
      throw new InputError('inventory', `${key} must be a host name or address, got ${show(value)}`, where);
    }
  }
}

function show(v: unknown): string {
  return v === null ? 'nothing' : JSON.stringify(v) ?? String(v);
}
