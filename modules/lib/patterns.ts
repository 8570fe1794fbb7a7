// Schema patterns shared by modules: values that reach a command line must never read as an option.

/** A user or group: a name or a numeric id (chown's own syntax, never `user:group`). */
export const OWNER_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]*[$]?$';
