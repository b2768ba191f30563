import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';

/**
 * What a server's pid file, found in its data directory at start, points at.
 *
 * - `absent`: no pid file.
 * - `stale`: no such process any more, or the pid was reused by another program.
 * - `orphaned`: the server outlived the run that started it (that run was killed with SIGKILL).
 * - `owned`: the server's parent is a live Node process: another run is using this data directory.
 */
export type PidFileState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'stale' }
  | { readonly kind: 'orphaned'; readonly pid: number }
  | { readonly kind: 'owned'; readonly pid: number; readonly ownerPid: number };

/**
 * Reads the pid on the first line of `pidFile` (the format of both `postmaster.pid` and redis' pidfile)
 * and tells whether that process is a live `processName` (with `argument` on its command line, when given:
 * a reused pid may well be another PostgreSQL's) and who owns it. Uses Linux `/proc`; where
 * there is none, a live pid counts as orphaned so that a stale file never leads to a second server
 * on the same data directory.
 *
 * @example inspectPidFile('.data/dev/postgres/postmaster.pid', 'postgres')
 */
export function inspectPidFile(pidFile: string, processName: string, argument?: string): PidFileState {
  if (!existsSync(pidFile)) return { kind: 'absent' };
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  if (!Number.isInteger(pid) || pid <= 0) return { kind: 'stale' };
  if (!existsSync('/proc/self')) return isAlive(pid) ? { kind: 'orphaned', pid } : { kind: 'stale' };
  const status = readProc(pid, 'status') ?? '';
  // A zombie (dead, not yet reaped by an init that is slow to reap) has a comm but is no server.
  if (readProc(pid, 'comm')?.trim() !== processName || /^State:\s*Z/m.test(status)) return { kind: 'stale' };
  if (argument !== undefined && !readProc(pid, 'cmdline')?.split('\0').includes(argument)) return { kind: 'stale' };
  // A killed run's server is re-parented to init or a subreaper; a live run is its Node parent.
  const ownerPid = Number(/^PPid:\s*(\d+)$/m.exec(status)?.[1]);
  return isNode(ownerPid) ? { kind: 'owned', pid, ownerPid } : { kind: 'orphaned', pid };
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function isNode(pid: number): boolean {
  try {
    return realpathSync(`/proc/${pid}/exe`) === realpathSync(process.execPath);
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A server about to start on a data directory, as {@link clearLeftoverServer} needs to know it. */
export interface LeftoverServer {
  /** Its pid file. */
  readonly pidFile: string;
  /** Its process name in /proc (`postgres`, `redis-server`), and an argument its command line must hold. */
  readonly processName: string;
  readonly argument?: string;
  /** For messages, e.g. `PostgreSQL in .data/dev/postgres`. */
  readonly label: string;
  /** Stops a server a killed run left behind, and whatever it leaves in the way of a new one. */
  stopOrphan(pid: number): Promise<void>;
}

/**
 * Makes way for a server to start: removes a stale pid file, stops a server an earlier (killed) run left
 * running, and refuses while another live run uses the data directory.
 */
export async function clearLeftoverServer(server: LeftoverServer, log: (line: string) => void): Promise<void> {
  const leftover = inspectPidFile(server.pidFile, server.processName, server.argument);
  switch (leftover.kind) {
    case 'absent':
      return;
    case 'stale':
      log(`removing stale ${server.pidFile}`);
      rmSync(server.pidFile, { force: true });
      return;
    case 'orphaned':
      log(`stopping ${server.label} (pid ${leftover.pid}), left running by a previous run`);
      await server.stopOrphan(leftover.pid);
      return;
    case 'owned':
      throw new Error(
        `${server.label} (pid ${leftover.pid}) belongs to running process ${leftover.ownerPid}; ` +
          'stop that run or use another data directory',
      );
  }
}
