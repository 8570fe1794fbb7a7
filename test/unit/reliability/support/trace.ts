// Records, in this process, every TCP connect and every child process started while a piece of
// code runs: the proof that `validate` contacted nothing and ran nothing.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

export interface Trace {
  readonly connects: string[];
  readonly spawns: string[];
  stop(): void;
}

/** Starts tracing; call stop() to restore the originals (always, in a finally). */
export function startTrace(): Trace {
  const connects: string[] = [];
  const spawns: string[] = [];
  const connect = net.Socket.prototype.connect;
  const spawn = childProcess.spawn;
  const execFile = childProcess.execFile;
  const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown };
  proto.connect = function traced(this: net.Socket, ...args: unknown[]) {
    connects.push(JSON.stringify(args[0] ?? null));
    return (connect as (...a: unknown[]) => unknown).apply(this, args);
  };
  const cp = childProcess as unknown as Record<string, unknown>;
  cp['spawn'] = function traced(...args: unknown[]) {
    spawns.push(String(args[0]));
    return (spawn as (...a: unknown[]) => unknown)(...args);
  };
  cp['execFile'] = function traced(...args: unknown[]) {
    spawns.push(String(args[0]));
    return (execFile as (...a: unknown[]) => unknown)(...args);
  };
  // ESM `import { spawn } from 'node:child_process'` bindings follow the CommonJS object only after this.
  syncBuiltinESMExports();
  return {
    connects,
    spawns,
    stop() {
      proto.connect = connect as unknown as (...args: unknown[]) => unknown;
      cp['spawn'] = spawn;
      cp['execFile'] = execFile;
      syncBuiltinESMExports();
    },
  };
}
