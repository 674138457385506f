import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { userActor } from '../../core/audit/audit.ts';
import { ForbiddenError } from '../../core/http/errors.ts';
import { buildOrg } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';
import { approvePayout, cancelPayout } from './service.ts';
import { PAYOUT_TEAM, createPayout, payoutIdFrom, payoutHelpers } from './test-helpers.ts';

const t = useTestApp();

const { payoutState, approvedInvoices } = payoutHelpers(t);

async function demote(orgId: string, userId: string) {
  await t.owner
    .updateTable('memberships')
    .set({ role: 'member' })
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .execute();
}

describe('payouts: the role is read again inside the change', () => {
  it('an approver demoted after the request’s membership check cannot approve; an accountant cannot cancel', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    // The org as each request's membership check saw it, before the demotions.
    const approverChecked = tm.orgOf(tm.people.approver);
    const accountantChecked = tm.orgOf(tm.people.accountant);
    await demote(tm.orgId, tm.people.approver.id);
    await demote(tm.orgId, tm.people.accountant.id);
    const before = await payoutState(id);
    const as = (userId: string) => userActor({ requestId: 'test', ip: null }, userId);
    await assert.rejects(approvePayout(t.db, as(tm.people.approver.id), approverChecked, id), ForbiddenError);
    await assert.rejects(cancelPayout(t.db, as(tm.people.accountant.id), accountantChecked, id), ForbiddenError);
    assert.deepEqual(await payoutState(id), before);
    assert.equal(before.payout.status, 'pending');
  });
});
