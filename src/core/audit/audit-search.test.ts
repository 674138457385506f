// The audit log across orgs (/staff/audit-log): each question staff ask is one filtered request,
// a bad filter answers 400 (never 500), and its CSV holds exactly the filtered rows, is audited,
// and is 404 for anyone who is not staff.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { buildOrg, type BuiltOrg } from '../../testing/factories.ts';
import { Agent, useTestApp } from '../../testing/harness.ts';
import { staffPerson, type StaffPerson } from '../../testing/staff.ts';

const t = useTestApp();

let support: StaffPerson;
let impersonator: StaffPerson;
let northwind: BuiltOrg<'approver'>;
let other: BuiltOrg;
const payoutId = randomUUID();
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

const count = (body: string) => /id="list-count">([\d,+]+) record/.exec(body)?.[1];
/** The seeded entries a page shows, by their request ids (each seeded entry has its own). */
const shown = (body: string) => [...body.matchAll(/>(req-seed-[a-z0-9-]+)</g)].map((m) => m[1]).sort();

async function get(url: string) {
  const res = await support.agent.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.body;
}

async function entry(values: {
  org: { orgId: string };
  actor: string;
  action: string;
  request: string;
  target?: { type: string; id: string };
  ip?: string;
  impersonator?: string;
  at?: Date;
}) {
  await t.owner
    .insertInto('audit_log')
    .values({
      org_id: values.org.orgId,
      actor_user_id: values.actor,
      impersonator_user_id: values.impersonator ?? null,
      action: values.action,
      target_type: values.target?.type ?? null,
      target_id: values.target?.id ?? null,
      request_id: values.request,
      ip: values.ip ?? '198.51.100.1',
      created_at: values.at ?? new Date(),
    })
    .execute();
}

describe('searching the audit log across orgs', () => {
  before(async () => {
    support = await staffPerson(t, 'support');
    impersonator = await staffPerson(t, 'support');
    northwind = await buildOrg(t, { name: 'Northwind Traders', roles: ['approver'] });
    other = await buildOrg(t, { name: 'Contoso Other' });
    const nw = northwind.owner.id;
    const payout = { type: 'payout', id: payoutId };
    await entry({ org: northwind, actor: nw, action: 'org.billing_email_changed', request: 'req-seed-bill-nw' });
    await entry({ org: other, actor: other.owner.id, action: 'org.billing_email_changed', request: 'req-seed-bill-o' });
    await entry({ org: northwind, actor: nw, action: 'payout.created', target: payout, request: 'req-seed-p-new' });
    const approver = northwind.people.approver.id;
    await entry({
      org: northwind,
      actor: approver,
      action: 'payout.approved',
      target: payout,
      request: 'req-seed-p-ok',
    });
    const otherPayout = { type: 'payout', id: randomUUID() };
    await entry({
      org: other,
      actor: other.owner.id,
      action: 'payout.approved',
      target: otherPayout,
      request: 'req-seed-p2',
    });
    await entry({ org: northwind, actor: nw, action: 'export.created', request: 'req-seed-exp-1', at: ago(3) });
    await entry({
      org: other,
      actor: other.owner.id,
      action: 'export.downloaded',
      request: 'req-seed-exp-2',
      at: ago(5),
    });
    await entry({ org: northwind, actor: nw, action: 'export.created', request: 'req-seed-exp-old', at: ago(20) });
    await entry({
      org: northwind,
      actor: nw,
      action: 'vendor.created',
      request: 'req-seed-imp',
      ip: '203.0.113.7',
      impersonator: impersonator.id,
    });
  });

  it('"who changed the billing email of Northwind" is one search: the org and the action', async () => {
    const body = await get(`/staff/audit-log?org=${northwind.slug}&action=org.billing_email_changed`);
    assert.equal(count(body), '1');
    assert.deepEqual(shown(body), ['req-seed-bill-nw']);
    assert.ok(body.includes(northwind.owner.email));
  });

  it('"who approved payout P" is one search: the target id and the action (or the target alone: its history)', async () => {
    const approved = await get(`/staff/audit-log?target=${payoutId}&action=payout.approved`);
    assert.deepEqual(shown(approved), ['req-seed-p-ok']);
    assert.ok(approved.includes(northwind.people.approver.email));
    const history = await get(`/staff/audit-log?target_type=payout&target=${payoutId}`);
    assert.deepEqual(shown(history), ['req-seed-p-new', 'req-seed-p-ok']);
    assert.deepEqual(shown(await get('/staff/audit-log?action=payout.approved')), ['req-seed-p-ok', 'req-seed-p2']);
  });

  it('"who exported data last week" is one search: the action prefix and the dates', async () => {
    const body = await get(`/staff/audit-log?action=export.&when_from=${day(7)}&when_to=${day(0)}`);
    assert.deepEqual(shown(body), ['req-seed-exp-1', 'req-seed-exp-2']);
    assert.deepEqual(shown(await get(`/staff/audit-log?action=export*&when_to=${day(10)}`)), ['req-seed-exp-old']);
    // Without the mark, an action is matched whole: "export" is no action.
    assert.equal(count(await get('/staff/audit-log?action=export')), '0');
  });

  it('by actor, impersonator, IP and request id, each exact', async () => {
    const actor = await get(`/staff/audit-log?actor=${encodeURIComponent(other.owner.email.toUpperCase())}`);
    assert.deepEqual(shown(actor), ['req-seed-bill-o', 'req-seed-exp-2', 'req-seed-p2']);
    assert.deepEqual(shown(await get(`/staff/audit-log?impersonator=${impersonator.email}`)), ['req-seed-imp']);
    assert.deepEqual(shown(await get('/staff/audit-log?ip=203.0.113.7')), ['req-seed-imp']);
    assert.deepEqual(shown(await get('/staff/audit-log?request=req-seed-p2')), ['req-seed-p2']);
    assert.equal(count(await get('/staff/audit-log?actor=nobody%40example.test')), '0');
  });

  it('a bad filter value answers 400 saying what is wrong, never a 500', async () => {
    for (const [url, message] of [
      ['/staff/audit-log?ip=300.1.2.3', /ip: Use an IP address/],
      ['/staff/audit-log?ip=%27%3B%20drop%20table', /ip: Use an IP address/],
      ['/staff/audit-log?when_from=2026-02-30', /when_from: That is not a date on the calendar/],
      ['/staff/audit-log?when_from=yesterday', /when_from: Use a date like/],
      ['/staff/audit-log?when_from=2026-03-02&when_to=2026-03-01', /The range ends before it starts/],
      [`/staff/audit-log?target=${'x'.repeat(201)}`, /target: Enter at most 200 characters/],
      ['/staff/audit-log?actor=a%00b', /NUL character/],
      ['/staff/audit-log.csv?action=export.%00', /NUL character/],
      ['/staff/audit-log.csv?ip=nope', /ip: Use an IP address/],
    ] as const) {
      const res = await support.agent.get(url);
      assert.equal(res.statusCode, 400, url);
      assert.match(res.body, message, url);
    }
  });

  it('the page offers the CSV of the view it shows, and says how many rows it holds at most', async () => {
    const body = await get(`/staff/audit-log?org=${northwind.slug}&action=export.`);
    assert.ok(body.includes(`href="/staff/audit-log.csv?org=${northwind.slug}&amp;action=export."`));
    assert.match(body, /up to 100,000/);
  });

  it('the CSV holds exactly the filtered rows, and the download is audited with its filters', async () => {
    const query = `action=export.&when_from=${day(7)}&when_to=${day(0)}`;
    const res = await support.agent.get(`/staff/audit-log.csv?${query}`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="audit-log-\d{4}-\d\d-\d\d\.csv"/);
    const rows = parse<Record<string, string>>(res.body, { columns: true });
    assert.deepEqual(rows.map((r) => r.request_id).sort(), ['req-seed-exp-1', 'req-seed-exp-2']);
    assert.deepEqual(rows.map((r) => r.org).sort(), [northwind.slug, other.slug].sort());
    const audit = await t.owner
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'staff.exported')
      .where('actor_user_id', '=', support.id)
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.org_id, null, 'rows of every org: the entry belongs to none');
    assert.deepEqual(audit[0]!.changes, {
      list: 'audit-log',
      filters: { action: 'export.', when_from: day(7), when_to: day(0) },
      search: null,
      sort: 'newest',
      rows: 2,
    });
  });

  it("a CSV filtered to one org is recorded in that org's log, where its owners see it", async () => {
    const res = await support.agent.get(`/staff/audit-log.csv?org=${other.slug}`);
    assert.equal(res.statusCode, 200);
    const audit = await t.owner
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'staff.exported')
      .where('org_id', '=', other.orgId)
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_user_id, support.id);
    const activity = await other.owner.agent.get(`/o/${other.slug}/activity?action=staff.exported`);
    assert.match(activity.body, /staff\.exported/);
  });

  it('the CSV streams every row in batches, newest first, each once', async () => {
    await sql`insert into audit_log (org_id, action, request_id, created_at)
      select ${other.orgId}::uuid, 'bulk.seeded', 'bulk-' || g, now() - g * interval '1 second'
        from generate_series(1, 4500) g`.execute(t.owner);
    const res = await support.agent.get('/staff/audit-log.csv?action=bulk.seeded');
    const rows = parse<Record<string, string>>(res.body, { columns: true });
    assert.equal(rows.length, 4500);
    assert.equal(new Set(rows.map((r) => r.id)).size, 4500);
    assert.deepEqual(
      rows.slice(0, 3).map((r) => r.request_id),
      ['bulk-1', 'bulk-2', 'bulk-3'],
    );
    assert.equal(rows.at(-1)?.request_id, 'bulk-4500');
  });

  it('the CSV is 404 for a customer and for someone signed out, and neither is recorded', async () => {
    const customer = await staffPerson(t, null);
    assert.equal((await customer.agent.get('/staff/audit-log.csv')).statusCode, 404);
    assert.equal((await northwind.owner.agent.get('/staff/audit-log.csv')).statusCode, 404);
    assert.equal((await new Agent(t.app).get('/staff/audit-log.csv?action=export.')).statusCode, 404);
    const recorded = await t.owner
      .selectFrom('audit_log')
      .select('actor_user_id')
      .where('action', '=', 'staff.exported')
      .where('actor_user_id', 'in', [customer.id, northwind.owner.id])
      .execute();
    assert.deepEqual(recorded, []);
  });
});
