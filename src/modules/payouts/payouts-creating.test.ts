import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildOrg, orgAudit } from '../../testing/factories.ts';
import { PAYOUT_TEAM, act, createPayout, payoutIdFrom, payoutHelpers } from './test-helpers.ts';

const t = useTestApp();

const { payout, payoutState, invoiceStates, approvedInvoices } = payoutHelpers(t);

/**
 * The accountant's payout of `count` approved invoices of `amountMinor` each, in an org whose
 * approval threshold is 100,000 (minor units of its default currency, exceeded by face value).
 */
async function payoutWithThreshold(count: number, amountMinor: number) {
  const tm = await buildOrg(t, PAYOUT_TEAM);
  await t.owner
    .updateTable('organizations')
    .set({ approval_threshold_minor: '100000' })
    .where('id', '=', tm.orgId)
    .execute();
  const { ids } = await approvedInvoices(tm.orgId, count, { amountMinor });
  const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
  return { tm, id };
}

describe('payouts: creating', () => {
  it('creates a pending payout and schedules its invoices, with the total in the audit log', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 3, { amountMinor: 10_050 });
    const page = await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/new?currency=EUR`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /301\.50/, 'the per-vendor total is shown');
    const res = await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids);
    assert.equal(res.statusCode, 303);
    const id = payoutIdFrom(res);
    const p = await payout(id);
    assert.equal(p.status, 'pending');
    assert.match(p.reference, /^PO-\d{8}-[0-9A-F]{4}$/);
    assert.equal(p.approvals_required, 1);
    assert.ok((await invoiceStates(ids)).every((i) => i.status === 'scheduled' && i.payout_id === id));
    const [audit] = await orgAudit(t, tm.orgId, 'payout.created');
    assert.deepEqual(audit!.changes, {
      reference: p.reference,
      currency: 'EUR',
      invoice_count: 3,
      total_minor: '30150',
      approvals_required: 1,
    });
    const detail = await tm.people.viewer.agent.get(`/o/${tm.slug}/payouts/${id}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, new RegExp(p.reference));
    const list = await tm.people.viewer.agent.get(`/o/${tm.slug}/payouts`);
    assert.match(list.body, /€301\.50/);
  });

  it('no invoices, or invoices of two currencies, are refused with 422 and nothing is created', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const eur = await approvedInvoices(tm.orgId, 1);
    const usd = await approvedInvoices(tm.orgId, 1, { currency: 'USD' });
    const none = await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', []);
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /Choose at least one invoice/);
    const mixed = await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', [...eur.ids, ...usd.ids]);
    assert.equal(mixed.statusCode, 422);
    assert.match(mixed.body, /one currency/);
    const count = await t.owner
      .selectFrom('payouts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('org_id', '=', tm.orgId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  it('an invoice that is already in a payout rolls the whole new payout back (409)', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 2);
    const first = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', [ids[0]!]));
    const before = await payoutState(first);
    const res = await createPayout(tm.people.accountant2.agent, tm.slug, 'EUR', ids);
    assert.equal(res.statusCode, 409);
    assert.deepEqual(await payoutState(first), before, 'the existing payout is untouched');
    const payouts = await t.owner.selectFrom('payouts').select('id').where('org_id', '=', tm.orgId).execute();
    assert.deepEqual(
      payouts.map((p) => p.id),
      [first],
      'no second payout was left behind',
    );
    assert.match(res.body, /no longer waiting for a payout/);
    const states = await invoiceStates(ids);
    assert.deepEqual(
      states.map((s) => [s.id, s.status, s.payout_id]).sort(),
      [
        [ids[0], 'scheduled', first],
        [ids[1], 'approved', null],
      ].sort(),
    );
  });

  it('at or above the threshold a payout needs two different approvers; the same person twice is 409', async () => {
    const { tm, id } = await payoutWithThreshold(2, 50_000);
    assert.equal((await payout(id)).approvals_required, 2);
    assert.equal((await act(tm.people.approver.agent, tm.slug, id, 'approve')).statusCode, 303);
    const before = await payoutState(id);
    assert.equal(before.payout.status, 'pending');
    assert.deepEqual(
      before.approvals.map((a) => a.approver_id),
      [tm.people.approver.id],
    );
    const twice = await act(tm.people.approver.agent, tm.slug, id, 'approve');
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /already approved/);
    assert.deepEqual(await payoutState(id), before, 'the second click changed nothing');
    assert.equal((await act(tm.people.approver2.agent, tm.slug, id, 'approve')).statusCode, 303);
    const p = await payout(id);
    assert.equal(p.status, 'approved');
    assert.ok(p.approved_at);
    const page = await tm.people.viewer.agent.get(`/o/${tm.slug}/payouts/${id}`);
    const approvers = await t.owner
      .selectFrom('users')
      .select('name')
      .where('id', 'in', [tm.people.approver.id, tm.people.approver2.id])
      .execute();
    for (const a of approvers) assert.ok(page.body.includes(a.name), `the page names approver ${a.name}`);
    const audits = await orgAudit(t, tm.orgId, 'payout.approved');
    assert.deepEqual(audits.map((a) => a.actor_user_id).sort(), [tm.people.approver.id, tm.people.approver2.id].sort());
  });

  it('below the threshold one approval decides', async () => {
    const { id } = await payoutWithThreshold(1, 99_999);
    assert.equal((await payout(id)).approvals_required, 1);
  });
});
