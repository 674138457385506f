import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice } from '../../testing/factories.ts';
import { approvalRows, historyRows, invoiceRow, team, url } from './workflow-test-helpers.ts';

const t = useTestApp();

describe('withdrawing and rejecting', () => {
  it('only the submitter withdraws (403 for anyone else); withdrawing removes the approvals collected', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { amountMinor: 2_000_000, createdBy: people.member.id });
    assert.equal((await people.member.agent.post(url(slug, inv.id, 'submit'), {})).statusCode, 303);
    assert.equal((await people.approver.agent.post(url(slug, inv.id, 'approve'), {})).statusCode, 303);
    for (const p of [people.member2, people.owner, people.approver]) {
      const res = await p.agent.post(url(slug, inv.id, 'withdraw'), {});
      assert.equal(res.statusCode, 403, p.role);
      assert.match(res.body, /Only Member Person, who submitted this invoice, can withdraw it/);
    }
    assert.equal((await people.viewer.agent.post(url(slug, inv.id, 'withdraw'), {})).statusCode, 403);
    const res = await people.member.agent.post(url(slug, inv.id, 'withdraw'), {});
    assert.equal(res.statusCode, 303);
    const row = await invoiceRow(t, inv.id);
    assert.equal(row.status, 'draft');
    assert.equal(row.submitted_by, null);
    assert.equal((await approvalRows(t, inv.id)).length, 0);
    const last = (await historyRows(t, inv.id)).at(-1)!;
    assert.deepEqual([last.from_status, last.to_status, last.actor_id], ['submitted', 'draft', people.member.id]);
    assert.match(last.note ?? '', /1 approval removed/);
    // A draft cannot be withdrawn again.
    assert.equal((await people.member.agent.post(url(slug, inv.id, 'withdraw'), {})).statusCode, 409);
  });

  it('a rejection needs a reason (422 next to the field, at most 1,000 characters) and records it', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member.id });
    const empty = await people.approver.agent.post(url(slug, inv.id, 'reject'), { reason: '   ' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /class="field-error" id="f-reason-error"/);
    assert.match(empty.body, /Say why the invoice is rejected/);
    assert.equal((await people.approver.agent.post(url(slug, inv.id, 'reject'), {})).statusCode, 422);
    const long = await people.approver.agent.post(url(slug, inv.id, 'reject'), { reason: 'x'.repeat(1001) });
    assert.equal(long.statusCode, 422);
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');

    const res = await people.approver.agent.post(url(slug, inv.id, 'reject'), { reason: '  Duplicate of INV-7  ' });
    assert.equal(res.statusCode, 303);
    const row = await invoiceRow(t, inv.id);
    assert.equal(row.status, 'rejected');
    assert.equal(row.rejection_reason, 'Duplicate of INV-7');
    assert.ok(row.decided_at);
    const last = (await historyRows(t, inv.id)).at(-1)!;
    assert.deepEqual(
      [last.to_status, last.note, last.actor_id],
      ['rejected', 'Duplicate of INV-7', people.approver.id],
    );
    const page = await people.member.agent.get(url(slug, inv.id));
    assert.match(page.body, /Duplicate of INV-7/);
    const again = await people.admin.agent.post(url(slug, inv.id, 'reject'), { reason: 'Also no' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Approver Person rejected this invoice a moment ago/);
  });
});
