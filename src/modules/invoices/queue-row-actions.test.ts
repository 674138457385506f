import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildVendor } from '../../testing/factories.ts';
import { queueOrg } from './queue-test-helpers.ts';

const t = useTestApp();

describe('approval queue: deciding from the rows', () => {
  it('approving from a row re-renders just that row (htmx); a lost race shows why in the row', async () => {
    const { owner, orgId, memberId } = await queueOrg(t);
    const v = await buildVendor(t, orgId);
    const inv = await buildInvoice(t, orgId, v.id, {
      number: 'ROW-1',
      status: 'submitted',
      submittedBy: memberId,
    });
    await owner.agent.get(`/o/${owner.slug}/invoices`);
    const res = await owner.agent.post(
      `/o/${owner.slug}/invoices/${inv.id}/row/approve`,
      {},
      { headers: { 'hx-request': 'true' } },
    );
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^<tr id="invoice-/, 'a row, not a page');
    assert.doesNotMatch(res.body, /<html/);
    assert.match(res.body, />Approved</);
    const again = await owner.agent.post(
      `/o/${owner.slug}/invoices/${inv.id}/row/approve`,
      {},
      { headers: { 'hx-request': 'true' } },
    );
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /row-notice-error/);
    // Without htmx the form still works: back to the queue with a message.
    const rejected = await buildInvoice(t, orgId, v.id, {
      number: 'ROW-2',
      status: 'submitted',
      submittedBy: memberId,
    });
    const plain = await owner.agent.post(`/o/${owner.slug}/invoices/${rejected.id}/row/reject`, {
      reason: 'Wrong amount',
    });
    assert.equal(plain.statusCode, 303);
    const status = await t.owner
      .selectFrom('invoices')
      .select(['status', 'rejection_reason'])
      .where('id', '=', rejected.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(status, { status: 'rejected', rejection_reason: 'Wrong amount' });
  });

  it('bulk approval decides each invoice on its own and reports each result', async () => {
    const { owner, orgId, ownerId, memberId, member } = await queueOrg(t);
    const v = await buildVendor(t, orgId);
    const ok = await buildInvoice(t, orgId, v.id, {
      number: 'BULK-OK',
      status: 'submitted',
      submittedBy: memberId,
    });
    const own = await buildInvoice(t, orgId, v.id, {
      number: 'BULK-OWN',
      status: 'submitted',
      submittedBy: ownerId,
    });
    const draft = await buildInvoice(t, orgId, v.id, { number: 'BULK-DRAFT' });
    await owner.agent.get(`/o/${owner.slug}/invoices`);
    const body = new URLSearchParams([
      ['_csrf', owner.agent.csrf!],
      ['invoice', ok.id],
      ['invoice', own.id],
      ['invoice', draft.id],
    ]).toString();
    const res = await owner.agent.request({
      method: 'POST',
      url: `/o/${owner.slug}/invoices/bulk-approve`,
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /1 of 3 approved/);
    assert.match(res.body, /BULK-OWN[\s\S]*Not approved/);
    const statuses = await t.owner
      .selectFrom('invoices')
      .select(['number', 'status'])
      .where('org_id', '=', orgId)
      .orderBy('number')
      .execute();
    assert.deepEqual(statuses, [
      { number: 'BULK-DRAFT', status: 'draft' },
      { number: 'BULK-OK', status: 'approved' },
      { number: 'BULK-OWN', status: 'submitted' },
    ]);
    // A member may not bulk-approve at all.
    await member.agent.get(`/o/${owner.slug}/invoices`);
    assert.equal(
      (await member.agent.post(`/o/${owner.slug}/invoices/bulk-approve`, { invoice: ok.id })).statusCode,
      403,
    );
  });
});
