import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually, useTestApp } from '../../testing/harness.ts';
import { notifyInvoiceApprovers } from '../invoices/service.ts';
import { team } from '../invoices/workflow-test-helpers.ts';
import { emails, notificationHelpers } from './test-helpers.ts';

const t = useTestApp();

const { draft, runOf } = notificationHelpers(t);

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
    const run = await runOf(tm.orgId, notifyInvoiceApprovers);
    assert.equal(run.status, 'succeeded');
    assert.equal(run.created_by, people.member.id);
  });
});
