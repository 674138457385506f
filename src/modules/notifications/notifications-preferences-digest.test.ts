import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { notifyInvoiceApprovers, submitInvoice } from '../invoices/service.ts';
import { team, type Person } from '../invoices/workflow-test-helpers.ts';
import { sendDailyDigests } from './service.ts';
import { actor, emails, notificationHelpers } from './test-helpers.ts';

const t = useTestApp();

const { runQueued, mailsTo, draft } = notificationHelpers(t);

async function setPref(p: Person, values: Record<string, string>) {
  await p.agent.get('/account/notifications');
  const all = {
    invoice_awaiting_approval: 'immediate',
    invoice_approved: 'immediate',
    invoice_rejected: 'immediate',
    payout_awaiting_approval: 'immediate',
    payout_paid: 'immediate',
    ...values,
  };
  const res = await p.agent.post('/account/notifications', all);
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
}

describe('preferences and the daily digest', () => {
  it('the preferences page refuses an unknown choice with a message (422), and saves a valid one, audited', async () => {
    const tm = await team(t);
    const p = tm.people.approver;
    await p.agent.get('/account/notifications');
    const bad = await p.agent.post('/account/notifications', { invoice_awaiting_approval: 'sometimes' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Choose email at once, daily digest or off/);
    await setPref(p, { invoice_awaiting_approval: 'off', payout_paid: 'digest' });
    const page = await p.agent.get('/account/notifications');
    assert.match(page.body, /name="invoice_awaiting_approval" value="off" checked/);
    assert.match(page.body, /name="payout_paid" value="digest" checked/);
    const audit = await t.owner
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'account.notification_preferences_changed')
      .where('actor_user_id', '=', p.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(audit.changes, {
      invoice_awaiting_approval: { from: 'immediate', to: 'off' },
      payout_paid: { from: 'immediate', to: 'digest' },
    });
    assert.match((await p.agent.get('/account')).body, /href="\/account\/notifications"/);
  });

  it("'off' sends nothing; 'digest' queues items that one daily mail lists, and a rerun sends nothing new", async () => {
    const tm = await team(t);
    const { people } = tm;
    await setPref(people.approver, { invoice_awaiting_approval: 'off' });
    await setPref(people.approver2, { invoice_awaiting_approval: 'digest' });
    const one = await draft(tm, people.member);
    const two = await draft(tm, people.member2);
    await submitInvoice(t.db, actor(people.member), tm.orgOf(people.member), one.id);
    await submitInvoice(t.db, actor(people.member2), tm.orgOf(people.member2), two.id);
    const results = await runQueued(tm.orgId, notifyInvoiceApprovers);
    assert.deepEqual(results[0], { immediate: 2, digest: 1, off: 1, duplicate: 0 });
    assert.deepEqual(await mailsTo(`notify:invoice_awaiting_approval:${one.id}:`), emails(people.owner, people.admin));
    const items = await t.owner
      .selectFrom('notification_queue')
      .selectAll()
      .where('user_id', '=', people.approver2.id)
      .execute();
    assert.equal(items.length, 2);
    assert.ok(items.every((i) => i.digested_at === null));

    const now = new Date();
    const sent = await sendDailyDigests(t.db, t.services.links, now);
    assert.ok(sent.people >= 1);
    const digest = await t.owner
      .selectFrom('mail_outbox')
      .selectAll()
      .where('to_address', '=', people.approver2.email)
      .where('dedupe_key', 'like', 'digest:%')
      .execute();
    assert.equal(digest.length, 1);
    assert.match(digest[0]!.subject, /2 notifications/);
    assert.match(digest[0]!.text_body, new RegExp(one.number));
    assert.match(digest[0]!.text_body, new RegExp(two.number));
    const after = await t.owner
      .selectFrom('notification_queue')
      .select('digested_at')
      .where('user_id', '=', people.approver2.id)
      .execute();
    assert.ok(after.every((i) => i.digested_at !== null));

    const again = await sendDailyDigests(t.db, t.services.links, now);
    assert.deepEqual(again, { people: 0, items: 0, alreadySent: 0 });
    assert.equal(
      (
        await t.owner
          .selectFrom('mail_outbox')
          .select('id')
          .where('to_address', '=', people.approver2.email)
          .where('dedupe_key', 'like', 'digest:%')
          .execute()
      ).length,
      1,
    );
    // Nobody who chose 'off' got anything about these invoices.
    assert.equal(
      (await t.owner.selectFrom('mail_outbox').select('id').where('to_address', '=', people.approver.email).execute())
        .length,
      0,
    );
  });
});
