import { sql } from 'kysely';
import type { Db, Tx } from './pool.ts';

/**
 * Runs fn in one transaction with the organization and user set locally.
 * Row-level security policies read these settings, so a query that forgets
 * its org filter still sees only this org's rows.
 */
export async function withOrg<T>(db: Db, orgId: string, userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inContext(db, { orgId, userId }, fn);
}

/** A transaction on behalf of a user outside any org (sign-in, profile, the org switcher). */
export async function withUser<T>(db: Db, userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inContext(db, { orgId: null, userId }, fn);
}

/**
 * A back-office read across every org: the staff read policies (migration 0009) open SELECT on
 * tenant tables while app.staff_user_id names an active staff member with two-factor on. Writes
 * stay closed (no org is set), so a staff action goes through its module's service in withOrg().
 */
export async function withStaff<T>(db: Db, staffUserId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inContext(db, { orgId: null, userId: staffUserId, staffUserId }, fn);
}

async function inContext<T>(
  db: Db,
  ctx: { orgId: string | null; userId: string | null; staffUserId?: string },
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('app.org_id', ${ctx.orgId ?? ''}, true), set_config('app.user_id', ${ctx.userId ?? ''}, true), set_config('app.staff_user_id', ${ctx.staffUserId ?? ''}, true)`.execute(
      tx,
    );
    return fn(tx);
  });
}
