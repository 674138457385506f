import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildOrg } from '../../testing/factories.ts';
import { PAYOUT_TEAM, act, createPayout, payoutIdFrom, payoutHelpers } from './test-helpers.ts';

const t = useTestApp();

const { payout, payoutState, invoiceStates, approvedInvoices, approvedPayout } = payoutHelpers(t);

describe('payouts: paying and cancelling', () => {
  it('mark paid needs a bank reference (422), then moves the payout and its invoices to paid', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 2);
    const id = await approvedPayout(tm, ids);
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: '   ' })).statusCode,
      422,
    );
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: 'x'.repeat(101) })).statusCode,
      422,
    );
    assert.equal((await act(tm.people.member.agent, tm.slug, id, 'paid', { bank_reference: 'OK' })).statusCode, 403);
    assert.equal((await payout(id)).status, 'approved');
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: 'SEPA-2026-11-23-001' }))
        .statusCode,
      303,
    );
    const p = await payout(id);
    assert.equal(p.status, 'paid');
    assert.equal(p.bank_reference, 'SEPA-2026-11-23-001');
    assert.equal(p.paid_by, tm.people.accountant.id);
    assert.ok((await invoiceStates(ids)).every((i) => i.status === 'paid' && i.paid_at));
    const paid = await payoutState(id);
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: 'again' })).statusCode,
      409,
    );
    assert.deepEqual(await payoutState(id), paid, 'paying twice keeps the first bank reference');
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'cancel')).statusCode,
      409,
      'a paid payout cannot be cancelled',
    );
    assert.deepEqual(await payoutState(id), paid, 'a refused cancel returns no invoice');
    const history = await t.owner
      .selectFrom('payout_status_history')
      .select(['from_status', 'to_status'])
      .where('payout_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      history.map((h) => `${h.from_status}→${h.to_status}`),
      ['null→pending', 'pending→approved', 'approved→paid'],
    );
  });

  it('a pending payout cannot be marked paid (409)', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    const before = await payoutState(id);
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: 'REF' })).statusCode,
      409,
    );
    assert.deepEqual(await payoutState(id), before);
    assert.equal(before.payout.status, 'pending');
    assert.deepEqual(before.approvals, []);
    assert.ok(before.invoices.length === 1 && before.invoices[0]!.status === 'scheduled');
  });

  it('cancel returns the invoices to approved, and they can go into a new payout', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 2);
    const id = await approvedPayout(tm, ids);
    assert.equal((await act(tm.people.member.agent, tm.slug, id, 'cancel')).statusCode, 403);
    assert.equal((await act(tm.people.accountant.agent, tm.slug, id, 'cancel')).statusCode, 303);
    const p = await payout(id);
    assert.equal(p.status, 'cancelled');
    assert.equal(p.cancelled_by, tm.people.accountant.id);
    assert.ok((await invoiceStates(ids)).every((i) => i.status === 'approved' && i.payout_id === null));
    const notes = await t.owner
      .selectFrom('invoice_status_history')
      .select('note')
      .where('invoice_id', '=', ids[0]!)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(notes.note, `Payout ${p.reference} was cancelled`);
    const again = await createPayout(tm.people.accountant2.agent, tm.slug, 'EUR', ids);
    assert.equal(again.statusCode, 303);
    assert.ok((await invoiceStates(ids)).every((i) => i.status === 'scheduled' && i.payout_id === payoutIdFrom(again)));
  });
});
