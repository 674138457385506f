// The dev mailbox shows every message, but the outbox is behind row-level security (a mail of an
// org is visible only in that org's context, migration 0018) and the runtime role has no way
// around it. Outside production only, the mailbox reads the no-org context and then each org's in
// turn: every row it shows was read through the same wall as a request of that org.
import { sql } from 'kysely';
import type { Db, Tx } from '../db/pool.ts';
import { withOrg, withUser } from '../db/tenancy.ts';

async function orgIds(db: Db): Promise<string[]> {
  return (await sql<{ id: string }>`select id from all_org_ids() as id`.execute(db)).rows.map((r) => r.id);
}

/** fn's rows from the no-org context and from every org's, each row once. */
export async function inEveryContext<R extends { id: string }>(db: Db, fn: (tx: Tx) => Promise<R[]>): Promise<R[]> {
  const seen = new Map<string, R>();
  const contexts = [null, ...(await orgIds(db))];
  for (const orgId of contexts) {
    const rows = orgId ? await withOrg(db, orgId, null, fn) : await withUser(db, null, fn);
    for (const r of rows) if (!seen.has(r.id)) seen.set(r.id, r);
  }
  return [...seen.values()];
}
