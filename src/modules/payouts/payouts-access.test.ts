import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signUp, useTestApp } from '../../testing/harness.ts';
import { buildOrg } from '../../testing/factories.ts';
import { PAYOUT_TEAM, act, createPayout, payoutIdFrom, payoutHelpers } from './test-helpers.ts';

const t = useTestApp();

const { payout, invoiceStates, approvedInvoices } = payoutHelpers(t);

describe('payouts: who may do what', () => {
  it('members and viewers cannot create a payout (403) and nothing is scheduled', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 2);
    for (const who of ['member', 'viewer', 'approver'] as const) {
      assert.equal((await tm.people[who].agent.get(`/o/${tm.slug}/payouts/new`)).statusCode, 403, who);
      assert.equal((await createPayout(tm.people[who].agent, tm.slug, 'EUR', ids)).statusCode, 403, who);
    }
    assert.ok((await invoiceStates(ids)).every((i) => i.status === 'approved' && i.payout_id === null));
  });

  it('members, viewers and accountants cannot approve a payout (403)', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    for (const who of ['member', 'viewer', 'accountant2'] as const) {
      assert.equal((await act(tm.people[who].agent, tm.slug, id, 'approve')).statusCode, 403, who);
    }
    assert.equal((await payout(id)).status, 'pending');
  });

  it('the creator cannot approve their own payout (403), and the database refuses an inserted approval too', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.owner.agent, tm.slug, 'EUR', ids));
    const res = await act(tm.owner.agent, tm.slug, id, 'approve');
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /someone else has to approve it/);
    await assert.rejects(
      t.owner
        .insertInto('payout_approvals')
        .values({ org_id: tm.orgId, payout_id: id, approver_id: tm.owner.id })
        .execute(),
      /nobody approves a payout they created/,
    );
    assert.equal((await payout(id)).status, 'pending');
  });

  it('a member of another org gets 404 for a payout id it guessed', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    const other = await signUp(t.app, { org: 'Other Org' });
    await other.agent.get(`/o/${other.slug}`);
    assert.equal((await other.agent.get(`/o/${other.slug}/payouts/${id}`)).statusCode, 404);
    assert.equal((await other.agent.get(`/o/${other.slug}/payouts/${id}/payment.csv`)).statusCode, 404);
    assert.equal((await other.agent.post(`/o/${other.slug}/payouts/${id}/cancel`, {})).statusCode, 404);
    assert.equal((await other.agent.get(`/o/${other.slug}/payouts/not-an-id`)).statusCode, 404);
    assert.equal((await payout(id)).status, 'pending');
  });
});
