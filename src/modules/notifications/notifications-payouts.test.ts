import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice } from '../../testing/factories.ts';
import { team } from '../invoices/workflow-test-helpers.ts';
import {
  approvePayout,
  createPayout,
  markPayoutPaid,
  notifyPayoutApprovers,
  notifyPayoutPaid,
} from '../payouts/service.ts';
import { actor, emails, notificationHelpers } from './test-helpers.ts';

const t = useTestApp();

const { runQueued, mailsTo } = notificationHelpers(t);

describe('payout notifications', () => {
  it('a new payout asks the approvers other than its creator; a paid one tells its creator and the submitters, not the payer', async () => {
    const tm = await team(t);
    const { people } = tm;
    const a = await buildInvoice(t, tm.orgId, tm.vendor.id, { status: 'approved', createdBy: people.member.id });
    const b = await buildInvoice(t, tm.orgId, tm.vendor.id, { status: 'approved', createdBy: people.member2.id });
    const c = await buildInvoice(t, tm.orgId, tm.vendor.id, { status: 'approved', createdBy: people.admin.id });
    const payout = await createPayout(t.db, actor(people.owner), tm.orgOf(people.owner), {
      currency: 'EUR',
      invoice: [a.id, b.id, c.id],
    });
    await runQueued(tm.orgId, notifyPayoutApprovers);
    assert.deepEqual(
      await mailsTo(`notify:payout_awaiting_approval:${payout.id}:`),
      emails(people.admin, people.approver, people.approver2),
    );
    await approvePayout(t.db, actor(people.approver), tm.orgOf(people.approver), payout.id);
    await markPayoutPaid(t.db, actor(people.admin), tm.orgOf(people.admin), payout.id, { bank_reference: 'BANK-42' });
    await runQueued(tm.orgId, notifyPayoutPaid);
    // The admin submitted invoice c but marked the payout paid: they know already.
    assert.deepEqual(
      await mailsTo(`notify:payout_paid:${payout.id}:`),
      emails(people.owner, people.member, people.member2),
    );
    const mail = await t.owner
      .selectFrom('mail_outbox')
      .selectAll()
      .where('dedupe_key', 'like', `notify:payout_paid:${payout.id}:%`)
      .where('to_address', '=', people.member.email)
      .executeTakeFirstOrThrow();
    assert.match(mail.text_body, /BANK-42/);
    assert.match(mail.text_body, new RegExp(`/o/${tm.slug}/payouts/${payout.id}`));
  });
});
