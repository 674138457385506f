import { sql, type SelectQueryBuilder } from 'kysely';

/** How many rows a query matches (PostgreSQL's count(*) is a bigint, read as text). */
export async function countRows<DB, TB extends keyof DB>(query: SelectQueryBuilder<DB, TB, object>): Promise<number> {
  // The selection's type cannot be worked out for any DB; it is one text column, n.
  const r = await query
    .select(sql<string>`count(*)`.as('n'))
    .$castTo<{ n: string }>()
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
