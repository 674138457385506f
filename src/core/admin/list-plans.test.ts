// The back-office's searches narrow through their indexes under row-level security, as staff read
// them: the plans PostgreSQL picks for the audit log's filters on a table of 60,000 entries. Under
// RLS the planner may not use a column's statistics through an operator that is not leakproof
// (`like`), guesses that 0.5% of the rows match, and then sorts the whole table instead of walking
// the sort's index (seen at 500,000 entries: 1.7 s for "invoice." against 50 ms now). A prefix is a
// range of pattern comparisons, and a person is their user id, so each plan reads through an index
// and reads at most a quarter of the table (the entries it needs, or the index's first page).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { withStaff } from '../db/tenancy.ts';
import { buildOrg, type BuiltOrg } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';
import { staffPerson, type StaffPerson } from '../../testing/staff.ts';
import { auditLogList } from '../audit/admin.tsx';
import { startsWith } from './list-read.ts';

const t = useTestApp();
let org: BuiltOrg;
let other: BuiltOrg;
let staff: StaffPerson;

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
};
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** The statements the list runs for `query` (its page and its count), each with the plan PostgreSQL ran. */
async function plansOf(query: Record<string, string>): Promise<PlanNode[][]> {
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  const logged = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: t.pool }),
    log: (e) => {
      if (e.level === 'query' && /audit_log/.test(e.query.sql)) statements.push(e.query);
    },
  });
  const params = auditLogList.schema.parse(query);
  await withStaff(logged, staff.id, (tx) => auditLogList.read(tx, params, { zone: 'UTC' }));
  assert.equal(statements.length, 2, 'the page and its count');
  // EXPLAIN each with its parameters, as the staff member reads (the same settings withStaff makes).
  const client = await t.pool.connect();
  try {
    await client.query('begin');
    await client.query("select set_config('app.staff_user_id', $1, true), set_config('app.user_id', $1, true)", [
      staff.id,
    ]);
    const plans: PlanNode[][] = [];
    for (const s of statements) {
      const res = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `explain (analyze, format json) ${s.sql}`,
        s.parameters as unknown[],
      );
      plans.push(nodes(res.rows[0]!['QUERY PLAN'][0].Plan));
    }
    await client.query('rollback');
    return plans;
  } finally {
    client.release();
  }
}

describe('back-office search plans under row-level security', () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Plans Holdings' });
    staff = await staffPerson(t, 'support');
    other = await buildOrg(t, { name: 'Other Plans' });
    // 400 people acted (and the staff member 3 times), in two orgs, over 60,000 seconds; written
    // 2,000 at a time, as requests would (the chain's head row is updated once per entry).
    for (let from = 1; from <= 60000; from += 2000)
      await sql`insert into audit_log (org_id, actor_user_id, action, target_type, target_id, ip, request_id, created_at, changes)
      select case when g % 2 = 0 then ${org.orgId}::uuid else ${other.orgId}::uuid end, case when g % 20000 = 0 then ${staff.id}::uuid else md5((g % 400)::text)::uuid end,
             (array['invoice.approved', 'invoice.created', 'vendor.updated', 'org.updated', 'export.created'])[1 + g % 5],
             'invoice', g::text, ('10.0.' || (g % 200) || '.' || (g % 250))::inet, md5(g::text),
             now() - make_interval(secs => g), '{}'
        from generate_series(${from}::int, ${from + 1999}::int) g`.execute(t.owner);
    await sql`analyze audit_log`.execute(t.owner);
  });

  for (const [what, query] of [
    ['an action prefix that 40% of the entries match', { action: 'invoice.' }],
    ['a rare person (3 entries in 60,000)', { actor: 'placeholder' }],
    ['an org and an action prefix', { org: 'placeholder', action: 'export.' }],
    ['a search for a whole email', { q: 'placeholder' }],
  ] as const)
    it(`${what}: an index of audit_log narrows it, never a scan of the table`, async () => {
      const q: Record<string, string> = { ...query };
      if (q.actor) q.actor = staff.email;
      if (q.org) q.org = org.slug;
      if (q.q) q.q = staff.email;
      const [page, count] = await plansOf(q);
      for (const [name, plan] of [
        ['page', page!],
        ['count', count!],
      ] as const) {
        const scans = plan.filter((n) => n['Relation Name'] === 'audit_log');
        assert.deepEqual(
          scans.filter((n) => n['Node Type'] === 'Seq Scan'),
          [],
          `the ${name} reads audit_log through an index`,
        );
        const read = scans.reduce(
          (sum, n) =>
            sum +
            (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) *
              n['Actual Loops'],
          0,
        );
        assert.ok(read <= 0.25 * 60000, `the ${name} read ${read} of 60,000 entries`);
      }
    });

  it('a prefix range holds exactly the strings that start with it, whatever their characters', async () => {
    const words = ['zü', 'zürich', 'züz', 'zv', 'zu', 'zü%', 'z_', 'a\u{10FFFF}b', 'a\u{10FFFF}'];
    for (const prefix of ['zü', 'z_', 'zü%', 'a\u{10FFFF}']) {
      const r = await sql<{
        w: string;
      }>`select w from unnest(${words}::text[]) as w where ${startsWith(sql.ref('w'), prefix)} order by w`.execute(
        t.db,
      );
      assert.deepEqual(
        r.rows.map((x) => x.w),
        words.filter((w) => w.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
        prefix,
      );
    }
  });
});
