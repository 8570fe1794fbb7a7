// Ansible's text modules take Python regular expressions and Python's match.expand() templates
// (`\1`, `\g<name>`). Content copied from Ansible docs uses them, so they are translated to
// JavaScript: the pattern by the template language's translator (runner/template/regex.ts, the
// one regex_search and regex_replace use), with the module's own errors, which name the param.
import { TaskError } from '../../runner/errors.js';
import { compileRegex } from '../../runner/template/regex.js';
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

const TEMPLATE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/**
 * Python's match.expand(template): `\1`…`\99`, `\g<1>`, `\g<name>`, the escapes `\n \t \\ …`;
 * an unmatched group expands to '' (Python 3.5+). An unknown group is an error, as in Python.
 */
export function expandTemplate(template: string, match: RegExpExecArray, param: string): string {
  const group = (ref: string): string => {
    const value = /^\d+$/.test(ref) ? match[Number(ref)] : match.groups?.[ref];
    if (/^\d+$/.test(ref) ? Number(ref) >= match.length : !(match.groups !== undefined && ref in match.groups)) {
      throw new TaskError('module', `${param}: the template refers to group ${ref}, which the regexp does not have`);
    }
    return value ?? '';
  };
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c !== '\\' || i + 1 >= template.length) {
      out += c;
      continue;
    }
    const next = template[i + 1] as string;
    const digits = /^\d{1,2}/.exec(template.slice(i + 1));
    if (digits) {
      out += group(digits[0]);
      i += digits[0].length;
    } else if (next === 'g' && template[i + 2] === '<') {
      const end = template.indexOf('>', i + 3);
      if (end < 0) throw new TaskError('module', `${param}: unterminated \\g< in ${JSON.stringify(template)}`);
      out += group(template.slice(i + 3, end));
      i = end;
    } else if (next in TEMPLATE_ESCAPES) {
      out += TEMPLATE_ESCAPES[next];
      i++;
    } else {
      // Python keeps an unknown escape of a non-letter as it is (`\.` is `\.`).
      out += c + next;
      i++;
    }
  }
  return out;
}
