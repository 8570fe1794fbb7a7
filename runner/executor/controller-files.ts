// Rule 12 of Module: the engine, not the module, reads the controller files a task names (the
// template and copy `src`), renders templates with the host's variables, and hands the text to
// probe and plan. A file holding a known secret (a vault value rendered into it) becomes a
// Secret: its diff is never shown and a new file gets mode 0600.
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { TaskError, type SourceLocation } from '../errors.js';
import { findControllerFile, isControllerDirectory, notFoundMessage } from '../load/controller-files.js';
import type { TaskSpec } from '../load/types.js';
import { MAX_CONTROLLER_FILE_BYTES, type AnyModule, type ControllerFile } from '../module.js';
import { Secret, holdsKnownSecret } from '../shell/secret.js';
import { renderTemplateFile, type Scope } from '../template/index.js';

/** The variables Ansible's template module adds while it renders (ansible_managed with its default text). */
function templateVariables(found: string, params: Record<string, unknown>): Record<string, unknown> {
  const full = path.resolve(found);
  return {
    template_path: found,
    template_fullpath: full,
    template_basename: path.basename(found),
    template_host: hostname(),
    ...(typeof params.dest === 'string' ? { template_destpath: params.dest } : {}),
    ansible_managed: 'Ansible managed',
  };
}

/**
 * Each file's text as last read, with the stat it was read at. One task renders its file for every
 * host and loop item, twice (the probe prefetch, then the run): the file is read again only when
 * its stat says it changed since (inode, size, mtime, ctime: a file rewritten with the same size
 * within one kernel clock tick of its last read would be missed on kernels with coarse timestamps).
 */
const texts = new Map<string, { readonly stamp: string; readonly text: string }>();

/** The UTF-8 text of the controller file `found` (named by `param`), at most MAX_CONTROLLER_FILE_BYTES. */
export function controllerFileText(found: string, param: string, where: SourceLocation | undefined): string {
  const stat = statSync(found, { bigint: true });
  if (stat.size > MAX_CONTROLLER_FILE_BYTES) {
    throw new TaskError('module', `${param} ${found} is ${stat.size} bytes, more than the ${MAX_CONTROLLER_FILE_BYTES} a task may send`, where);
  }
  const stamp = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  const known = texts.get(found);
  if (known?.stamp === stamp) return known.text;
  const bytes = readFileSync(found);
  let text: string;
  try {
    if (bytes.includes(0)) throw new Error('NUL byte');
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TaskError('module', `${param} ${found} is not UTF-8 text: binary files cannot be sent yet`, where);
  }
  texts.set(found, { stamp, text });
  return text;
}

/** The controller files of a task's params, keyed by param name. */
export function readControllerFiles(module: AnyModule, task: TaskSpec, params: Record<string, unknown>, scope: Scope): Map<string, ControllerFile> {
  const files = new Map<string, ControllerFile>();
  for (const [param, spec] of Object.entries(module.controllerFiles ?? {})) {
    const src = params[param];
    if (typeof src !== 'string') continue;
    const result = findControllerFile(src, spec.under, task.baseDirs);
    if (!('found' in result)) {
      throw new TaskError('module', notFoundMessage(param, src, result.looked, isControllerDirectory(src, spec.under, task.baseDirs)), task.paramWhere[param]);
    }
    const text = controllerFileText(result.found, param, task.paramWhere[param]);
    const content = spec.render ? renderTemplateFile(text, { ...scope, ...templateVariables(result.found, params) }, result.found) : text;
    files.set(param, { path: result.found, content: holdsKnownSecret(content) ? new Secret(content) : content });
  }
  return files;
}
