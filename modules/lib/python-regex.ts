// Ansible's text modules take Python regular expressions and Python's match.expand() templates
// (`\1`, `\g<name>`). Content copied from Ansible docs uses them, so they are translated to
// JavaScript: the pattern by the template language's translator (runner/template/regex.ts, the
// one regex_search and regex_replace use), with the module's own errors, which name the param.
import { TaskError } from '../../runner/errors.js';
import { compileRegex, expandReplacement } from '../../runner/template/regex.js';
import { TemplateFault } from '../../runner/template/values.js';

/** Leading global flags `(?i)`, `(?s)`, `(?m)` (Python allows them only at the start since 3.11). */
const LEADING_FLAGS = /^\(\?([aiLmsux]+)\)/;

/**
 * A Python `re` pattern as a JavaScript RegExp: `(?P<n>…)` → `(?<n>…)`, `(?P=n)` → `\k<n>`,
 * `\A`/`\Z` → start/end of the whole string, leading `(?i)`/`(?m)`/`(?s)` → flags (`(?a)`, `(?u)`
 * accepted: JavaScript's classes are ASCII anyway). `param` names the param in errors.
 */
export function pythonRegex(source: string, param: string): RegExp {
  let body = source;
  let flags = '';
  const lead = LEADING_FLAGS.exec(body);
  if (lead) {
    for (const f of lead[1] as string) {
      if (f === 'i' || f === 'm' || f === 's') flags += flags.includes(f) ? '' : f;
      else if (f !== 'u' && f !== 'a') throw new TaskError('module', `${param}: the Python flag (?${f}) is not supported`);
    }
    body = body.slice(lead[0].length);
  }
  try {
    return compileRegex(body, {}, flags);
  } catch (e) {
    if (e instanceof TemplateFault) throw new TaskError('module', `${param}: ${e.message}`);
    throw e;
  }
}

/**
 * Python's match.expand(template) (`\1`, `\g<name>`, `\n`…) by the template language's
 * expander, the one regex_replace uses; its errors name the param.
 */
export function expandTemplate(template: string, match: RegExpExecArray, param: string): string {
  try {
    return expandReplacement(template, match);
  } catch (e) {
    if (e instanceof TemplateFault) throw new TaskError('module', `${param}: ${e.message}`);
    throw e;
  }
}
