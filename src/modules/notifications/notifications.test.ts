import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withOrg } from '../../core/db/tenancy.ts';
import type { RunnableTask, TaskContext } from '../../core/tasks/tasks.ts';
import { eventually, useTestApp } from '../../testing/harness.ts';
import { buildInvoice } from '../../testing/factories.ts';
import {
  approveInvoice,
  notifyInvoiceApprovers,
  notifyInvoiceDecision,
  rejectInvoice,
  submitInvoice,
} from '../invoices/service.ts';
import { team, type Person } from '../invoices/workflow-test-helpers.ts';
import {
  approvePayout,
  createPayout,
  markPayoutPaid,
  notifyPayoutApprovers,
  notifyPayoutPaid,
} from '../payouts/service.ts';
import { sendDailyDigests } from './service.ts';

const t = useTestApp();

type Team = Awaited<ReturnType<typeof team>>;
const actor = (p: Person) => ({ userId: p.id });

function ctxFor(orgId: string, runId: string, transaction?: TaskContext['transaction']): TaskContext {
  return {
    ...t.services,
    runId,
    orgId,
    attempt: 1,
    maxAttempts: 5,
    db: t.db,
    progress: async () => undefined,
    transaction: transaction ?? ((fn) => withOrg(t.db, orgId, null, fn)),
  };
}

/** Runs the queued runs of one task in the org, as the worker would, and marks them done. */
async function runQueued(orgId: string, task: RunnableTask): Promise<unknown[]> {
  const runs = await t.owner
    .selectFrom('task_runs')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('task', '=', task.name)
    .where('status', '=', 'queued')
    .orderBy('created_at')
    .execute();
  const results: unknown[] = [];
  for (const r of runs) {
    results.push(await task.execute(r.input, ctxFor(orgId, r.id)));
    await t.owner.updateTable('task_runs').set({ status: 'succeeded' }).where('id', '=', r.id).execute();
  }
  return results;
}

async function mailsTo(prefix: string): Promise<string[]> {
  const rows = await t.owner
    .selectFrom('mail_outbox')
    .select('to_address')
    .where('dedupe_key', 'like', `${prefix}%`)
    .orderBy('to_address')
    .execute();
  return rows.map((r) => r.to_address);
}

const emails = (...people: Person[]) => people.map((p) => p.email).sort();

async function draft(tm: Team, by: Person, amountMinor = 12_500) {
  return buildInvoice(t, tm.orgId, tm.vendor.id, { createdBy: by.id, amountMinor });
}

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
    const run = await t.owner
      .selectFrom('task_runs')
      .selectAll()
      .where('org_id', '=', tm.orgId)
      .where('task', '=', notifyInvoiceApprovers.name)
      .executeTakeFirstOrThrow();
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

describe('through the real worker', () => {
  it('submitting an invoice on its page gets the approvers an email, sent by the worker', async () => {
    const tm = await team(t);
    const { people } = tm;
    const inv = await draft(tm, people.member);
    const res = await people.member.agent.post(`/o/${tm.slug}/invoices/${inv.id}/submit`, {});
    assert.equal(res.statusCode, 303);
    await t.startWorker();
    const sent = await eventually(
      async () => {
        const rows = await t.owner
          .selectFrom('mail_outbox')
          .select('to_address')
          .where('dedupe_key', 'like', `notify:invoice_awaiting_approval:${inv.id}:%`)
          .where('status', '=', 'sent')
          .execute();
        return rows.length === 4 ? rows.map((r) => r.to_address).sort() : null;
      },
      15_000,
      'the approval requests to be sent',
    );
    assert.deepEqual(sent, emails(people.owner, people.admin, people.approver, people.approver2));
    const run = await t.owner
      .selectFrom('task_runs')
      .selectAll()
      .where('org_id', '=', tm.orgId)
      .where('task', '=', notifyInvoiceApprovers.name)
      .executeTakeFirstOrThrow();
    assert.equal(run.status, 'succeeded');
    assert.equal(run.created_by, people.member.id);
  });
});
