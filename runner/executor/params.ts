// Checks a module's params after templating against its schema (the loader checked the raw
// YAML; templates can still produce a wrong type), and wraps secret params in Secret.
import { Ajv, type ValidateFunction } from 'ajv';
import type { AnyModule } from '../module.js';
import { Secret } from '../shell/secret.js';

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });
const compiled = new WeakMap<AnyModule, ValidateFunction>();

function validatorOf(module: AnyModule): ValidateFunction {
  let validate = compiled.get(module);
  if (!validate) {
    validate = ajv.compile(module.schema as object);
    compiled.set(module, validate);
  }
  return validate;
}

/** Returns the params ready for the module, or a message saying what is wrong. */
export function prepareParams(module: AnyModule, rendered: Record<string, unknown>): { params: Record<string, unknown> } | { error: string } {
  const copy: Record<string, unknown> = structuredClone(rendered);
  const validate = validatorOf(module);
  // Secrets are checked as the strings they are, then wrapped.
  if (!validate(copy)) {
    const first = validate.errors?.[0];
    const path = first?.instancePath ? first.instancePath.slice(1).replace(/\//g, '.') : '';
    const what = first?.keyword === 'additionalProperties'
      ? `unknown parameter '${String((first.params as { additionalProperty?: string }).additionalProperty)}'`
      : `${path ? `'${path}' ` : ''}${first?.message ?? 'is invalid'}`;
    return { error: `invalid parameters for module '${module.name}' after templating: ${what}` };
  }
  for (const name of module.secretParams ?? []) {
    const value = copy[name];
    if (typeof value === 'string') copy[name] = new Secret(value);
  }
  return { params: copy };
}
