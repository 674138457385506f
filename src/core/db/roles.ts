import pg from 'pg';
import { quoteIdent, withCredentials } from './pool.ts';

/** The group role every runtime login belongs to; migrations grant to it. */
export const RUNTIME_GROUP = 'ledgerworks_runtime';
export const OWNER_ROLE = 'ledgerworks_owner';
export const APP_ROLE = 'ledgerworks_app';

export type RolePasswords = { owner: string; app: string };

/** Development passwords: the embedded server listens on loopback only. */
export const DEV_ROLE_PASSWORDS: RolePasswords = { owner: 'ledgerworks-owner-dev', app: 'ledgerworks-app-dev' };

/**
 * Creates the owner and runtime roles (idempotent) using a connection that may
 * create roles. The runtime login cannot bypass row-level security and owns nothing.
 */
export async function ensureRoles(admin: pg.ClientBase, passwords: RolePasswords): Promise<void> {
  const existing = await admin.query<{ rolname: string }>('select rolname from pg_roles where rolname = any($1)', [
    [RUNTIME_GROUP, OWNER_ROLE, APP_ROLE],
  ]);
  const has = new Set(existing.rows.map((r) => r.rolname));
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  if (!has.has(RUNTIME_GROUP)) await admin.query(`create role ${RUNTIME_GROUP} nologin nobypassrls`);
  if (!has.has(OWNER_ROLE)) await admin.query(`create role ${OWNER_ROLE} login password ${lit(passwords.owner)}`);
  if (!has.has(APP_ROLE)) {
    await admin.query(
      `create role ${APP_ROLE} login nobypassrls nocreatedb nocreaterole password ${lit(passwords.app)} in role ${RUNTIME_GROUP}`,
    );
  }
}

export async function ensureDatabase(admin: pg.ClientBase, name: string): Promise<boolean> {
  const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (found.rowCount) return false;
  await admin.query(`create database ${quoteIdent(name)} owner ${OWNER_ROLE}`);
  return true;
}

/** Connection strings of the two roles on the server that `adminUrl` reaches. */
export function roleUrls(
  adminUrl: string,
  database: string,
  passwords: RolePasswords,
): { ownerUrl: string; appUrl: string } {
  return {
    ownerUrl: withCredentials(adminUrl, { user: OWNER_ROLE, password: passwords.owner, database }),
    appUrl: withCredentials(adminUrl, { user: APP_ROLE, password: passwords.app, database }),
  };
}

export async function withAdminClient<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Refuses a runtime connection that would make row-level security meaningless. */
export async function runtimeRoleProblem(client: pg.ClientBase): Promise<string | null> {
  const r = await client.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean; owned: string }>(
    `select r.rolname, r.rolsuper, r.rolbypassrls,
            (select count(*) from pg_class c where c.relowner = r.oid and c.relnamespace = 'public'::regnamespace) as owned
       from pg_roles r where r.rolname = current_user`,
  );
  const row = r.rows[0];
  if (!row) return 'cannot read the current role';
  if (row.rolsuper) return `the runtime role ${row.rolname} is a superuser, which bypasses row-level security`;
  if (row.rolbypassrls) return `the runtime role ${row.rolname} has BYPASSRLS`;
  if (Number(row.owned) > 0)
    return `the runtime role ${row.rolname} owns tables; table owners bypass row-level security`;
  return null;
}
