import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildOrg } from '../../testing/factories.ts';
import { PAYOUT_TEAM, createPayout, payoutIdFrom, postPairs, payoutHelpers } from './test-helpers.ts';

const t = useTestApp();

const { payoutState, invoiceStates, approvedInvoices } = payoutHelpers(t);

describe('payouts: at the same moment', () => {
  it('two accountants creating payouts from the same invoices: one 303, one 409, each invoice in exactly one payout', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    for (let round = 0; round < 3; round++) {
      const { ids } = await approvedInvoices(tm.orgId, 3);
      await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts`);
      await tm.people.accountant2.agent.get(`/o/${tm.slug}/payouts`);
      const pairs: [string, string][] = [['currency', 'EUR'], ...ids.map((id): [string, string] => ['invoice', id])];
      const results = await Promise.all([
        postPairs(tm.people.accountant.agent, `/o/${tm.slug}/payouts`, pairs),
        postPairs(tm.people.accountant2.agent, `/o/${tm.slug}/payouts`, [...pairs].reverse()),
      ]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 409], `round ${round}`);
      const winner = payoutIdFrom(results.find((r) => r.statusCode === 303)!);
      assert.ok((await invoiceStates(ids)).every((i) => i.status === 'scheduled' && i.payout_id === winner));
    }
    const payouts = await t.owner.selectFrom('payouts').select('id').where('org_id', '=', tm.orgId).execute();
    assert.equal(payouts.length, 3, 'the losers left no payout behind');
  });

  it('two approvers approving a one-approval payout at once: one decides, the other gets 409', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    for (let round = 0; round < 4; round++) {
      const { ids } = await approvedInvoices(tm.orgId, 1);
      const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
      await tm.people.approver.agent.get(`/o/${tm.slug}/payouts/${id}`);
      await tm.people.approver2.agent.get(`/o/${tm.slug}/payouts/${id}`);
      const results = await Promise.all([
        tm.people.approver.agent.post(`/o/${tm.slug}/payouts/${id}/approve`, {}),
        tm.people.approver2.agent.post(`/o/${tm.slug}/payouts/${id}/approve`, {}),
      ]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 409], `round ${round}`);
      const after = await payoutState(id);
      assert.equal(after.payout.status, 'approved');
      assert.equal(after.approvals.length, 1, 'the loser left no approval');
      assert.deepEqual(
        after.invoices.map((i) => [i.id, i.status]),
        ids.map((i) => [i, 'scheduled']),
      );
    }
  });
});
