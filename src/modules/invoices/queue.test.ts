import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signUp, useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildVendor } from '../../testing/factories.ts';

const t = useTestApp();

async function setup() {
  const owner = await signUp(t.app, { org: 'Queue Org' });
  const orgId = (
    await t.owner.selectFrom('organizations').select('id').where('slug', '=', owner.slug).executeTakeFirstOrThrow()
  ).id;
  const ownerId = (
    await t.owner.selectFrom('users').select('id').where('email', '=', owner.email).executeTakeFirstOrThrow()
  ).id;
  const member = await signUp(t.app);
  const memberId = (
    await t.owner.selectFrom('users').select('id').where('email', '=', member.email).executeTakeFirstOrThrow()
  ).id;
  await t.owner.insertInto('memberships').values({ org_id: orgId, user_id: memberId, role: 'member' }).execute();
  return { owner, orgId, ownerId, member, memberId };
}

const numbers = (body: string) => [...body.matchAll(/class="strong-link">([^<]+)</g)].map((m) => m[1] ?? '');

describe('approval queue', () => {
  it("lists only the org's own invoices; another org's invoices never appear", async () => {
    const a = await setup();
    const b = await setup();
    const va = await buildVendor(t, a.orgId, { name: 'Alpha Paper' });
    const vb = await buildVendor(t, b.orgId, { name: 'Beta Secret Vendor' });
    await buildInvoice(t, a.orgId, va.id, { number: 'A-1', status: 'submitted', submittedBy: a.memberId });
    await buildInvoice(t, b.orgId, vb.id, { number: 'B-SECRET-1', status: 'submitted', submittedBy: b.memberId });
    const page = await a.owner.agent.get(`/o/${a.owner.slug}/invoices`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(numbers(page.body), ['A-1']);
    assert.doesNotMatch(page.body, /B-SECRET-1|Beta Secret Vendor/);
    // Guessing B's vendor id as a filter shows nothing of B either.
    const guessed = await a.owner.agent.get(`/o/${a.owner.slug}/invoices?vendor=${vb.id}`);
    assert.deepEqual(numbers(guessed.body), []);
  });

  it('a viewer sees the queue without approve buttons; a member cannot approve either', async () => {
    const { owner, orgId, memberId, member } = await setup();
    const v = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, v.id, { status: 'submitted', submittedBy: memberId });
    const page = await member.agent.get(`/o/${owner.slug}/invoices`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /row\/approve/);
    assert.doesNotMatch(page.body, /Waiting for me/);
  });

  it('filters by status, vendor, category, amount, due date and text, with counts per status', async () => {
    const { owner, orgId, memberId } = await setup();
    const acme = await buildVendor(t, orgId, { name: 'Acme Rockets' });
    const globex = await buildVendor(t, orgId, { name: 'Globex' });
    await buildInvoice(t, orgId, acme.id, {
      number: 'R-1',
      status: 'submitted',
      submittedBy: memberId,
      amountMinor: 50_000,
      category: 'hardware',
      dueDate: '2026-12-10',
      description: 'rocket fuel',
    });
    await buildInvoice(t, orgId, acme.id, {
      number: 'R-2',
      status: 'approved',
      submittedBy: memberId,
      amountMinor: 250_000,
      category: 'hardware',
      dueDate: '2026-12-20',
    });
    await buildInvoice(t, orgId, globex.id, {
      number: 'G-1',
      status: 'submitted',
      submittedBy: memberId,
      amountMinor: 9_900,
      category: 'software',
      dueDate: '2027-01-05',
    });
    await buildInvoice(t, orgId, globex.id, { number: 'G-2', amountMinor: 100, category: 'software' });
    const get = async (qs: string) => numbers((await owner.agent.get(`/o/${owner.slug}/invoices?${qs}`)).body);
    assert.deepEqual(await get('status=submitted'), ['R-1', 'G-1']);
    assert.deepEqual(await get(`vendor=${acme.id}`), ['R-1', 'R-2']);
    assert.deepEqual(await get('category=software&sort=-amount'), ['G-1', 'G-2']);
    assert.deepEqual(await get('min=500&max=2500'), ['R-1', 'R-2']);
    assert.deepEqual(await get('min=500.01'), ['R-2']);
    assert.deepEqual(await get('due_from=2026-12-15&due_to=2026-12-31'), ['R-2']);
    assert.deepEqual(await get('q=fuel'), ['R-1']);
    assert.deepEqual(await get('q=globex'), ['G-2', 'G-1']);
    assert.deepEqual(await get('q=100%25'), [], 'a % in the search is text, not a wildcard');
    const page = await owner.agent.get(`/o/${owner.slug}/invoices?vendor=${acme.id}`);
    assert.match(page.body, /Awaiting approval <span class="tab-count">1</);
    assert.match(page.body, /Approved <span class="tab-count">1</);
    assert.match(page.body, /All <span class="tab-count">2</);
  });

  it('“waiting for me” leaves out what I submitted, already approved, or may not approve', async () => {
    const { owner, orgId, ownerId, memberId } = await setup();
    const v = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, v.id, { number: 'MINE', status: 'submitted', submittedBy: ownerId });
    await buildInvoice(t, orgId, v.id, {
      number: 'OK',
      status: 'submitted',
      submittedBy: memberId,
      amountMinor: 10_000,
    });
    const done = await buildInvoice(t, orgId, v.id, {
      number: 'DONE',
      status: 'submitted',
      submittedBy: memberId,
      approvalsRequired: 2,
    });
    await t.owner
      .insertInto('invoice_approvals')
      .values({ org_id: orgId, invoice_id: done.id, approver_id: ownerId })
      .execute();
    await buildInvoice(t, orgId, v.id, {
      number: 'BIG',
      status: 'submitted',
      submittedBy: memberId,
      amountMinor: 900_000,
    });
    await buildInvoice(t, orgId, v.id, {
      number: 'YEN',
      status: 'submitted',
      submittedBy: memberId,
      amountMinor: 4_000,
      currency: 'JPY',
    });
    await t.owner
      .updateTable('memberships')
      .set({ approval_limit_minor: '500000' })
      .where('org_id', '=', orgId)
      .where('user_id', '=', ownerId)
      .execute();
    const page = await owner.agent.get(`/o/${owner.slug}/invoices?mine=1`);
    assert.deepEqual(numbers(page.body).sort(), ['OK', 'YEN']);
    const all = await owner.agent.get(`/o/${owner.slug}/invoices?status=submitted`);
    const approveButtons = [...all.body.matchAll(/invoices\/([0-9a-f-]+)\/row\/approve" hx-post/g)].length;
    assert.equal(approveButtons, 2, 'approve buttons only on the rows I may approve');
  });

  it('keyset pagination walks every invoice once, in order, with ties on the sort value', async () => {
    const { owner, orgId, memberId } = await setup();
    const v = await buildVendor(t, orgId);
    for (let i = 0; i < 120; i++) {
      await buildInvoice(t, orgId, v.id, {
        number: `P-${String(i).padStart(3, '0')}`,
        amountMinor: 1000 + (i % 7) * 100,
        status: 'submitted',
        submittedBy: memberId,
      });
    }
    for (const sort of ['-amount', 'due', 'created']) {
      const seen: string[] = [];
      let url: string | null = `/o/${owner.slug}/invoices?sort=${sort}`;
      let pages = 0;
      while (url) {
        const res = await owner.agent.get(url);
        seen.push(...numbers(res.body));
        const next = /href="([^"]+after=[^"]+)">Next/.exec(res.body)?.[1];
        url = next ? next.replace(/&amp;/g, '&') : null;
        pages += 1;
      }
      assert.equal(pages, 3, sort);
      assert.equal(seen.length, 120, sort);
      assert.equal(new Set(seen).size, 120, `${sort}: no invoice twice`);
    }
  });

  it('marks overdue invoices; an empty filter form shows everything', async () => {
    const { owner, orgId, memberId } = await setup();
    const v = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, v.id, {
      number: 'LATE',
      status: 'submitted',
      submittedBy: memberId,
      issueDate: '2025-01-01',
      dueDate: '2025-02-01',
    });
    const page = await owner.agent.get(`/o/${owner.slug}/invoices`);
    assert.match(page.body, /row-overdue/);
    assert.match(page.body, /overdue/);
    // The filter form sends every field, empty ones as empty strings: no filter.
    const empty = await owner.agent.get(
      `/o/${owner.slug}/invoices?status=&vendor=&category=&min=&max=&due_from=&due_to=&q=&sort=&after=`,
    );
    assert.equal(empty.statusCode, 200);
    assert.deepEqual(numbers(empty.body), ['LATE']);
  });

  it('a filter it cannot read is refused with 400 naming it, never a 500', async () => {
    const { owner } = await setup();
    const bad = await owner.agent.get(`/o/${owner.slug}/invoices?min=lots&due_from=2026-02-31&status=bogus`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /min: Enter an amount like 1000/);
    assert.match(bad.body, /due_from: That date does not exist/);
    assert.match(bad.body, /status: /);
    // PostgreSQL has no year 0: refused here rather than by the database.
    const yearZero = await owner.agent.get(`/o/${owner.slug}/invoices?due_to=0000-01-01`);
    assert.equal(yearZero.statusCode, 400);
    assert.match(yearZero.body, /due_to: That date does not exist/);
    const vendor = await owner.agent.get(`/o/${owner.slug}/invoices?vendor=not-an-id`);
    assert.equal(vendor.statusCode, 400);
    assert.match(vendor.body, /vendor: /);
  });

  it('a NUL character in the text search is refused with 400', async () => {
    const { owner } = await setup();
    const res = await owner.agent.get(`/o/${owner.slug}/invoices?q=abc%00def`);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /NUL character/);
  });

  it('a forged page cursor is refused with 400 and a clear message, never a 500 from PostgreSQL', async () => {
    const { owner, orgId, memberId } = await setup();
    const v = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, v.id, { number: 'ONLY', status: 'submitted', submittedBy: memberId });
    // The queue's cursor is base64url(JSON [sort value, invoice id]).
    const cursor = (value: unknown, id: unknown = '00000000-0000-4000-8000-000000000000') =>
      Buffer.from(JSON.stringify([value, id])).toString('base64url');
    const forged: [string, string][] = [
      ['due', cursor('2026-02-30')],
      ['-due', cursor('0000-01-01')],
      ['created', cursor('2026-01-05 10:11:12.123456+99:99')],
      ['-created', cursor('2026-01-05 25:00:00+00')],
      ['created', cursor('2026-02-30 10:11:12+00')],
      ['amount', cursor("1'; drop table invoices; --")],
      ['amount', cursor('100', 'not-an-id')],
      ['due', cursor('100')],
      ['due', 'garbage!'],
      ['due', Buffer.from('{"a":1}').toString('base64url')],
    ];
    for (const [sort, after] of forged) {
      const res = await owner.agent.get(`/o/${owner.slug}/invoices?sort=${sort}&after=${after}`);
      assert.equal(res.statusCode, 400, `${sort} ${Buffer.from(after, 'base64url').toString()}`);
      assert.match(res.body, /after: this page link was changed or belongs to another sort order/);
    }
    // Real cursors of each kind still work.
    for (const [sort, after] of [
      ['due', cursor('2026-02-28')],
      ['created', cursor('2026-01-05 10:11:12.123456+00')],
      ['-created', cursor('2026-01-05 10:11:12+05:30')],
      ['-amount', cursor('999999999999999999')],
    ]) {
      const res = await owner.agent.get(`/o/${owner.slug}/invoices?sort=${sort}&after=${after}`);
      assert.equal(res.statusCode, 200, `${sort} ${after}`);
    }
  });

  it('approving from a row re-renders just that row (htmx); a lost race shows why in the row', async () => {
    const { owner, orgId, memberId } = await setup();
    const v = await buildVendor(t, orgId);
    const inv = await buildInvoice(t, orgId, v.id, {
      number: 'ROW-1',
      status: 'submitted',
      submittedBy: memberId,
    });
    await owner.agent.get(`/o/${owner.slug}/invoices`);
    const res = await owner.agent.post(
      `/o/${owner.slug}/invoices/${inv.id}/row/approve`,
      {},
      { headers: { 'hx-request': 'true' } },
    );
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^<tr id="invoice-/, 'a row, not a page');
    assert.doesNotMatch(res.body, /<html/);
    assert.match(res.body, />Approved</);
    const again = await owner.agent.post(
      `/o/${owner.slug}/invoices/${inv.id}/row/approve`,
      {},
      { headers: { 'hx-request': 'true' } },
    );
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /row-notice-error/);
    // Without htmx the form still works: back to the queue with a message.
    const rejected = await buildInvoice(t, orgId, v.id, {
      number: 'ROW-2',
      status: 'submitted',
      submittedBy: memberId,
    });
    const plain = await owner.agent.post(`/o/${owner.slug}/invoices/${rejected.id}/row/reject`, {
      reason: 'Wrong amount',
    });
    assert.equal(plain.statusCode, 303);
    const status = await t.owner
      .selectFrom('invoices')
      .select(['status', 'rejection_reason'])
      .where('id', '=', rejected.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(status, { status: 'rejected', rejection_reason: 'Wrong amount' });
  });

  it('bulk approval decides each invoice on its own and reports each result', async () => {
    const { owner, orgId, ownerId, memberId, member } = await setup();
    const v = await buildVendor(t, orgId);
    const ok = await buildInvoice(t, orgId, v.id, {
      number: 'BULK-OK',
      status: 'submitted',
      submittedBy: memberId,
    });
    const own = await buildInvoice(t, orgId, v.id, {
      number: 'BULK-OWN',
      status: 'submitted',
      submittedBy: ownerId,
    });
    const draft = await buildInvoice(t, orgId, v.id, { number: 'BULK-DRAFT' });
    await owner.agent.get(`/o/${owner.slug}/invoices`);
    const body = new URLSearchParams([
      ['_csrf', owner.agent.csrf!],
      ['invoice', ok.id],
      ['invoice', own.id],
      ['invoice', draft.id],
    ]).toString();
    const res = await owner.agent.request({
      method: 'POST',
      url: `/o/${owner.slug}/invoices/bulk-approve`,
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /1 of 3 approved/);
    assert.match(res.body, /BULK-OWN[\s\S]*not approved/);
    const statuses = await t.owner
      .selectFrom('invoices')
      .select(['number', 'status'])
      .where('org_id', '=', orgId)
      .orderBy('number')
      .execute();
    assert.deepEqual(statuses, [
      { number: 'BULK-DRAFT', status: 'draft' },
      { number: 'BULK-OK', status: 'approved' },
      { number: 'BULK-OWN', status: 'submitted' },
    ]);
    // A member may not bulk-approve at all.
    await member.agent.get(`/o/${owner.slug}/invoices`);
    assert.equal(
      (await member.agent.post(`/o/${owner.slug}/invoices/bulk-approve`, { invoice: ok.id })).statusCode,
      403,
    );
  });
});
