// The template language's public surface (DESIGN.md §2, docs/templates.md). The rest of the engine
// enters runner/template/ through this file alone, so no file behind it has to hand on its neighbours' names.
export {
  MAX_RENDER_DEPTH,
  conditionValue,
  evaluateCondition,
  evaluateExpression,
  isTemplated,
  parseExpression,
  parseTemplate,
  parseTemplateFile,
  referencedVariables,
  renderDeep,
  renderString,
  renderTemplateFile,
  unguardedVariables,
  type Scope,
} from './render.js';
export { resolveVariables, type VariableLocator } from './variables.js';
export type { Expression, Node, Template } from './parser.js';
export { FILTERS, FUNCTIONS, TESTS } from './filters.js';
export { FORBIDDEN_KEYS, TemplateFault } from './values.js';
export { compileRegex } from './regex.js';
export { locate as locateOffset } from './location.js';
