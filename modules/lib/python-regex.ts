// Ansible's text modules take Python regular expressions and Python's match.expand() templates
// (`\1`, `\g<name>`). Content copied from Ansible docs uses them, so they are translated to
// JavaScript: the pattern by the template language's translator (runner/template/regex.ts, the
// one regex_search and regex_replace use), with the module's own errors, which name the param.
import { TaskError } from '../../runner/errors.js';
import { compileRegex, expandReplacement } from '../../runner/template/regex.js';
import { TemplateFault } from '../../runner/template/values.js';

/** A Python `re` pattern as a JavaScript RegExp (the template language's translator); `param` names the param in errors. */
export function pythonRegex(source: string, param: string): RegExp {
  try {
    return compileRegex(source, {});
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
