// Exit codes of DESIGN.md §1, shared by every command.
export const EXIT = {
  /** Success. */
  ok: 0,
  /** An internal error: a bug in sparkbook. */
  internal: 1,
  /** Invalid input (usage, playbook, inventory, vars): nothing was contacted. */
  input: 2,
  /** A host failed or was unreachable. */
  hostFailed: 4,
  /** Only with --check --detailed-exitcode: success, and changes are pending. */
  pending: 8,
} as const;
