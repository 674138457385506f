import pg from 'pg';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { addDbTime } from '../observability/request-context.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DbOrTx = Db | Tx;

type Logger = { error: (obj: object, msg: string) => void };

// A calendar date stays the string PostgreSQL sends ('2026-11-23'): parsed into a Date it would
// become a midnight in this process's time zone and could shift a day when shown elsewhere.
const DATE_OID = 1082;
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format: 'text' | 'binary' = 'text') =>
    oid === DATE_OID
      ? (v: string) => v
      : (pg.types.getTypeParser(oid, format) as (v: string) => unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * A pool whose idle-client errors are logged rather than crashing the process
 * (pg emits 'error' on the pool and on each client when the server goes away).
 */
export function createPool(
  connectionString: string,
  max: number,
  logger: Logger,
  applicationName = 'ledgerworks',
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: applicationName,
    idleTimeoutMillis: 30_000,
    types: typeParsers,
  });
  pool.on('error', (err) => logger.error({ err }, 'idle database client failed'));
  pool.on('connect', (client) => {
    client.on('error', (err) => logger.error({ err }, 'database client failed'));
  });
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log(event) {
      addDbTime(event.queryDurationMillis);
    },
  });
}

/** Replaces user, password and database of a connection string. */
export function withCredentials(url: string, parts: { user?: string; password?: string; database?: string }): string {
  const u = new URL(url);
  if (parts.user !== undefined) u.username = encodeURIComponent(parts.user);
  if (parts.password !== undefined) u.password = encodeURIComponent(parts.password);
  if (parts.database !== undefined) u.pathname = `/${encodeURIComponent(parts.database)}`;
  return u.toString();
}

/** Quotes a SQL identifier (database or role name) for DDL that cannot take parameters. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
