// The Activity page's filters: an owner or admin finds an entry by who, what, which record, from
// where and when; the filters keep the "Older entries" pages; a bad value answers 400; and no
// filter ever shows another org's entry, whatever actor, record or request id of it is guessed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildOrg, type BuiltOrg } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';

const t = useTestApp();

let a: BuiltOrg<'admin' | 'approver' | 'member'>;
let b: BuiltOrg;
const invoiceA = randomUUID();
const invoiceB = randomUUID();
const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
const day = (daysAgo: number) => ago(daysAgo).toISOString().slice(0, 10);

/** The seeded entries a page shows, by their request ids (the "From" column). */
const shown = (body: string) => [...body.matchAll(/request (req-[a-z0-9-]+)</g)].map((m) => m[1]!).sort();

async function entry(org: { orgId: string }, actor: string, action: string, request: string, more = {}) {
  await t.owner
    .insertInto('audit_log')
    .values({ org_id: org.orgId, actor_user_id: actor, action, request_id: request, ip: '198.51.100.9', ...more })
    .execute();
}

async function page(url: string, agent = a.owner.agent) {
  const res = await agent.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.body;
}

describe('filtering the Activity page', () => {
  before(async () => {
    a = await buildOrg(t, { name: 'Filter Org A', roles: ['admin', 'approver', 'member'] });
    b = await buildOrg(t, { name: 'Filter Org B' });
    const invoice = (id: string) => ({ target_type: 'invoice', target_id: id });
    await entry(a, a.people.approver.id, 'invoice.approved', 'req-a-approved', invoice(invoiceA));
    await entry(a, a.owner.id, 'invoice.created', 'req-a-created', { ...invoice(invoiceA), created_at: ago(9) });
    await entry(a, a.owner.id, 'vendor.created', 'req-a-vendor', { ip: '203.0.113.50' });
    const member = { target_type: 'user', target_id: a.people.member.id };
    await entry(a, a.owner.id, 'member.role_changed', 'req-a-member', member);
    await entry(b, b.owner.id, 'invoice.approved', 'req-b-approved', invoice(invoiceB));
    await entry(b, b.owner.id, 'payout.cancelled', 'req-b-payout');
  });

  it('by who, what (exact or a prefix), which record, IP, request id and when', async () => {
    const base = `/o/${a.slug}/activity`;
    const approver = encodeURIComponent(a.people.approver.email);
    assert.deepEqual(shown(await page(`${base}?actor=${approver}`)), ['req-a-approved']);
    assert.deepEqual(shown(await page(`${base}?action=invoice.approved`)), ['req-a-approved']);
    assert.deepEqual(shown(await page(`${base}?action=invoice.`)), ['req-a-approved', 'req-a-created']);
    assert.deepEqual(shown(await page(`${base}?target_type=invoice&target=${invoiceA}`)), [
      'req-a-approved',
      'req-a-created',
    ]);
    assert.deepEqual(shown(await page(`${base}?ip=203.0.113.50`)), ['req-a-vendor']);
    assert.deepEqual(shown(await page(`${base}?request=req-a-vendor`)), ['req-a-vendor']);
    assert.deepEqual(shown(await page(`${base}?action=invoice.&when_from=${day(2)}&when_to=${day(0)}`)), [
      'req-a-approved',
    ]);
    assert.match(await page(`${base}?action=nothing.like_this`), /No entries match these filters/);
  });

  it("shows each entry's IP and request id, and links its record to the record's page", async () => {
    const body = await page(`/o/${a.slug}/activity?action=invoice.approved`, a.people.admin.agent);
    assert.ok(body.includes(`href="/o/${a.slug}/invoices/${invoiceA}"`));
    assert.match(body, /198\.51\.100\.9/);
    assert.match(body, /request req-a-approved/);
    const member = await page(`/o/${a.slug}/activity?action=member.`);
    assert.ok(member.includes(`href="/o/${a.slug}/members#member-${a.people.member.id}"`));
  });

  it("no filter shows another org's entry: its actor, record, request id or action guessed", async () => {
    const base = `/o/${a.slug}/activity`;
    for (const query of [
      `actor=${encodeURIComponent(b.owner.email)}`,
      `target=${invoiceB}`,
      `target_type=invoice&target=${invoiceB}`,
      'request=req-b-approved',
      'action=payout.cancelled',
      'action=payout.',
    ]) {
      const body = await page(`${base}?${query}`);
      assert.deepEqual(shown(body), [], query);
      const results = body.slice(body.indexOf('</form>', body.indexOf('activity-filters')));
      assert.match(results, /No entries match these filters/, query);
      assert.doesNotMatch(results, /req-b-|payout\.cancelled/, query);
      assert.ok(!results.includes(invoiceB), query);
    }
  });

  it('the older pages keep the filters', async () => {
    await sql`insert into audit_log (org_id, actor_user_id, action, request_id)
      select ${a.orgId}::uuid, ${a.owner.id}::uuid, 'invoice.rejected', 'req-bulk-' || g
        from generate_series(1, 60) g`.execute(t.owner);
    const first = await page(`/o/${a.slug}/activity?action=invoice.rejected`);
    assert.equal(shown(first).length, 50);
    const older = /<a href="([^"]+)">Older entries/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    assert.match(older ?? '', /action=invoice\.rejected&before=\d+/);
    const second = await page(older!);
    assert.equal(shown(second).length, 10);
    assert.equal(new Set([...shown(first), ...shown(second)]).size, 60);
    assert.doesNotMatch(second, /Older entries/);
  });

  it('a bad filter answers 400 with what is wrong; a member may not filter at all (403), another org 404', async () => {
    for (const [query, message] of [
      ['ip=not-an-ip', /ip: Use an IP address/],
      ['when_from=2026-02-30', /when_from: That is not a date on the calendar/],
      ['when_from=2026-03-05&when_to=2026-03-01', /The range ends before it starts/],
      ['actor=a%00b', /NUL character/],
      ['before=abc', /before: not an entry number/],
    ] as const) {
      const res = await a.owner.agent.get(`/o/${a.slug}/activity?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.match(res.body, message, query);
    }
    assert.equal((await a.people.member.agent.get(`/o/${a.slug}/activity?action=invoice.`)).statusCode, 403);
    assert.equal((await b.owner.agent.get(`/o/${a.slug}/activity?action=invoice.`)).statusCode, 404);
  });
});
