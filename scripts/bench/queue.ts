// The approval queue page at 100,000 invoices in one org: default view, filters, text search,
// a later keyset page, and the query plan of the page query.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Db } from '../../src/core/db/pool.ts';
import { withAdminClient } from '../../src/core/db/roles.ts';
import { withOrg, withUser } from '../../src/core/db/tenancy.ts';
import { createUser } from '../../src/modules/accounts/service.ts';
import { generateInvoices } from '../../src/modules/demo/invoices.ts';
import { queueQuery } from '../../src/modules/invoices/queue-queries.ts';
import { addMember } from '../../src/modules/orgs/service.ts';
import type { Agent } from '../../src/testing/harness.ts';
import { report } from './report.ts';

/** Seeds the org with the queue's invoices and measures its pages; returns the org and its owner. */
export async function benchQueue(db: Db, ownerUrl: string, agent: Agent, dashboard: string) {
  const INVOICES = Number(process.env.BENCH_INVOICES ?? 100_000);
  const slug = dashboard.replace(/^\/o\//, '');
  const ownerId = (
    await db.selectFrom('users').select('id').where('email', '=', 'bench@example.test').executeTakeFirstOrThrow()
  ).id;
  const org = await withUser(db, ownerId, (tx) =>
    tx.selectFrom('organizations').select(['id', 'name', 'slug']).where('slug', '=', slug).executeTakeFirstOrThrow(),
  );
  const submitterId = await createUser(db, {
    email: 'submitter@example.test',
    name: 'Sam Submitter',
    password: 'bench password 123',
  });
  const payerId = await createUser(db, {
    email: 'payer@example.test',
    name: 'Pat Payer',
    password: 'bench password 123',
  });
  await addMember(db, { userId: ownerId }, org.id, submitterId, 'member');
  await addMember(db, { userId: ownerId }, org.id, payerId, 'accountant');
  let start = performance.now();
  await withOrg(db, org.id, ownerId, (tx) =>
    generateInvoices(tx, { orgId: org.id, count: INVOICES, submitterId, approverId: ownerId, payerId }),
  );
  // What autovacuum would have done by now on a real server: statistics and the visibility map
  // (index-only scans need it). VACUUM needs the table owner, so it runs as the admin.
  await withAdminClient(ownerUrl, (c) => c.query('vacuum analyze'));
  process.stdout.write(
    `seeded ${INVOICES.toLocaleString('en-GB')} invoices in ${((performance.now() - start) / 1000).toFixed(1)} s\n`,
  );
  const vendorId = (
    await withOrg(db, org.id, ownerId, (tx) =>
      tx.selectFrom('vendors').select('id').where('org_id', '=', org.id).limit(1).executeTakeFirstOrThrow(),
    )
  ).id;
  const first = await agent.get(`${dashboard}/invoices`);
  const nextPage = /href="([^"]+after=[^"]+)">Next/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
  const queueUrls: [string, string][] = [
    ['queue: all, by due date', `${dashboard}/invoices`],
    ['queue: waiting for me', `${dashboard}/invoices?status=submitted&mine=1`],
    ['queue: vendor + amount range', `${dashboard}/invoices?vendor=${vendorId}&min=100&max=2000`],
    ['queue: text search "licence"', `${dashboard}/invoices?q=licence&sort=-amount`],
    ['queue: a later keyset page', nextPage ?? `${dashboard}/invoices`],
    ['dashboard at this volume', dashboard],
  ];
  for (const [name, url] of queueUrls) {
    for (let i = 0; i < 20; i++) await agent.get(url);
    const n = 300;
    const lat: number[] = [];
    start = performance.now();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await agent.get(url);
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode}`);
      lat.push(performance.now() - t0);
    }
    report(name, n, performance.now() - start, lat);
  }
  const plan = await withOrg(db, org.id, ownerId, (tx) =>
    queueQuery(tx, org.id, { status: 'submitted' }, { sort: 'due', limit: 51, approver: null }).explain(
      'text',
      sql`analyze, buffers off, costs off`,
    ),
  );
  process.stdout.write(
    `plan of the page query (status filter, due-date order):\n${plan.map((r) => `  ${String(r['QUERY PLAN'])}`).join('\n')}\n`,
  );

  return { org, ownerId };
}
