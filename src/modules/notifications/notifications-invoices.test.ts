import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withOrg } from '../../core/db/tenancy.ts';
import type { TaskContext } from '../../core/tasks/tasks.ts';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice } from '../../testing/factories.ts';
import {
  approveInvoice,
  notifyInvoiceApprovers,
  notifyInvoiceDecision,
  rejectInvoice,
  submitInvoice,
} from '../invoices/service.ts';
import { team } from '../invoices/workflow-test-helpers.ts';
import { actor, emails, notificationHelpers } from './test-helpers.ts';

const t = useTestApp();

const { ctxFor, runOf, runQueued, mailsTo, draft } = notificationHelpers(t);

describe('invoice notifications', () => {
  it('a submitted invoice mails each person who may approve it, and not the submitter', async () => {
    const tm = await team(t);
    const { people } = tm;
    await t.owner
      .updateTable('memberships')
      .set({ approval_limit_minor: 100 })
      .where('org_id', '=', tm.orgId)
      .where('user_id', '=', people.approver2.id)
      .execute();
    const inv = await draft(tm, people.member);
    await submitInvoice(t.db, actor(people.member), tm.orgOf(people.member), inv.id);
    await runQueued(tm.orgId, notifyInvoiceApprovers);
    // approver2's limit is below the amount: they may not approve it, so they are not asked.
    assert.deepEqual(
      await mailsTo(`notify:invoice_awaiting_approval:${inv.id}:`),
      emails(people.owner, people.admin, people.approver),
    );
    const mail = await t.owner
      .selectFrom('mail_outbox')
      .selectAll()
      .where('to_address', '=', people.approver.email)
      .where('dedupe_key', 'like', `notify:invoice_awaiting_approval:${inv.id}:%`)
      .executeTakeFirstOrThrow();
    assert.match(mail.subject, new RegExp(`Invoice ${inv.number} from Acme Supplies is waiting for your approval`));
    assert.match(mail.text_body, new RegExp(`/o/${tm.slug}/invoices/${inv.id}`));
    assert.match(mail.text_body, /\/account\/notifications/);
  });

  it('after the first of two approvals the remaining approvers are asked again, not the one who approved', async () => {
    const tm = await team(t);
    const { people } = tm;
    const inv = await draft(tm, people.member, 2_000_000);
    await submitInvoice(t.db, actor(people.member), tm.orgOf(people.member), inv.id);
    await runQueued(tm.orgId, notifyInvoiceApprovers);
    const r = await approveInvoice(t.db, actor(people.approver), tm.orgOf(people.approver), inv.id);
    assert.equal(r.outcome, 'needs_another_approval');
    await runQueued(tm.orgId, notifyInvoiceApprovers);
    const second = (
      await t.owner
        .selectFrom('mail_outbox')
        .select(['to_address', 'dedupe_key'])
        .where('dedupe_key', 'like', `notify:invoice_awaiting_approval:${inv.id}:approval:%`)
        .execute()
    )
      .map((m) => m.to_address)
      .sort();
    assert.deepEqual(second, emails(people.owner, people.admin, people.approver2));
  });

  it('the submitter hears that their invoice was approved, and that another was rejected with the reason; the decider hears nothing', async () => {
    const tm = await team(t);
    const { people } = tm;
    const a = await buildInvoice(t, tm.orgId, tm.vendor.id, { status: 'submitted', createdBy: people.member.id });
    const b = await buildInvoice(t, tm.orgId, tm.vendor.id, { status: 'submitted', createdBy: people.member2.id });
    await approveInvoice(t.db, actor(people.approver), tm.orgOf(people.approver), a.id);
    await rejectInvoice(t.db, actor(people.admin), tm.orgOf(people.admin), b.id, 'Wrong VAT number');
    await runQueued(tm.orgId, notifyInvoiceDecision);
    assert.deepEqual(await mailsTo(`notify:invoice_approved:${a.id}:`), [people.member.email]);
    assert.deepEqual(await mailsTo(`notify:invoice_rejected:${b.id}:`), [people.member2.email]);
    const rejected = await t.owner
      .selectFrom('mail_outbox')
      .selectAll()
      .where('dedupe_key', 'like', `notify:invoice_rejected:${b.id}:%`)
      .executeTakeFirstOrThrow();
    assert.match(rejected.text_body, /Reason: Wrong VAT number/);
  });

  it('a notification task that runs again, or after a failed first attempt, mails each person once', async () => {
    const tm = await team(t);
    const { people } = tm;
    const inv = await draft(tm, people.member);
    await submitInvoice(t.db, actor(people.member), tm.orgOf(people.member), inv.id);
    const run = await runOf(tm.orgId, notifyInvoiceApprovers);
    // First attempt: queues the mails, then fails before its transaction commits.
    const failing: TaskContext['transaction'] = (fn) =>
      withOrg(t.db, tm.orgId, null, async (tx) => {
        await fn(tx);
        throw new Error('connection lost');
      });
    await assert.rejects(
      notifyInvoiceApprovers.execute(run.input, ctxFor(tm.orgId, run.id, failing)),
      /connection lost/,
    );
    assert.deepEqual(await mailsTo(`notify:invoice_awaiting_approval:${inv.id}:`), []);
    const second = await notifyInvoiceApprovers.execute(run.input, ctxFor(tm.orgId, run.id));
    const third = await notifyInvoiceApprovers.execute(run.input, ctxFor(tm.orgId, run.id));
    assert.deepEqual(second, { immediate: 4, digest: 0, off: 0, duplicate: 0 });
    assert.deepEqual(third, { immediate: 0, digest: 0, off: 0, duplicate: 4 });
    assert.deepEqual(
      await mailsTo(`notify:invoice_awaiting_approval:${inv.id}:`),
      emails(people.owner, people.admin, people.approver, people.approver2),
    );
  });

  it('a workflow change that rolls back enqueues no notification', async () => {
    const tm = await team(t);
    const { people } = tm;
    const inv = await buildInvoice(t, tm.orgId, tm.vendor.id, {
      status: 'submitted',
      createdBy: people.member.id,
    });
    await assert.rejects(approveInvoice(t.db, actor(people.member), tm.orgOf(people.member), inv.id));
    const runs = await t.owner
      .selectFrom('task_runs')
      .select('id')
      .where('org_id', '=', tm.orgId)
      .where('task', 'like', 'notifications.%')
      .execute();
    assert.equal(runs.length, 0);
  });
});
