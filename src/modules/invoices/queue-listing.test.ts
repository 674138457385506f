import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildApproval, buildInvoice, buildVendor } from '../../testing/factories.ts';
import { numbers, queueOrg } from './queue-test-helpers.ts';

const t = useTestApp();

describe('approval queue: what it lists', () => {
  it("lists only the org's own invoices; another org's invoices never appear", async () => {
    const a = await queueOrg(t);
    const b = await queueOrg(t);
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
    const { owner, orgId, memberId, member } = await queueOrg(t);
    const v = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, v.id, { status: 'submitted', submittedBy: memberId });
    const page = await member.agent.get(`/o/${owner.slug}/invoices`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /row\/approve/);
    assert.doesNotMatch(page.body, /Waiting for me/);
  });

  it('filters by status, vendor, category, amount, due date and text, with counts per status', async () => {
    const { owner, orgId, memberId } = await queueOrg(t);
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
    const { owner, orgId, ownerId, memberId } = await queueOrg(t);
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
    await buildApproval(t, orgId, done.id, ownerId);
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

  it('marks overdue invoices; an empty filter form shows everything', async () => {
    const { owner, orgId, memberId } = await queueOrg(t);
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
});
