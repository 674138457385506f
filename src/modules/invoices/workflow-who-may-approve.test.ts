import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withOrg } from '../../core/db/tenancy.ts';
import { signUp, useTestApp } from '../../testing/harness.ts';
import { buildInvoice } from '../../testing/factories.ts';
import { approvalRows, invoiceRow, setLimit, submittedInvoice, team, url } from './workflow-test-helpers.ts';

const t = useTestApp();

describe('who may approve and reject', () => {
  it('a viewer, a member and an accountant cannot approve or reject an invoice (403) and nothing changes', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member2.id });
    for (const p of [people.viewer, people.member, people.accountant]) {
      assert.equal((await p.agent.post(url(slug, inv.id, 'approve'), {})).statusCode, 403, p.role);
      assert.equal((await p.agent.post(url(slug, inv.id, 'reject'), { reason: 'No' })).statusCode, 403, p.role);
    }
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');
    assert.equal((await approvalRows(t, inv.id)).length, 0);
  });

  it('nobody approves or rejects an invoice they submitted (403), and the database refuses such an approval too', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.approver.id });
    const res = await people.approver.agent.post(url(slug, inv.id, 'approve'), {});
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /You submitted this invoice, so someone else must approve it/);
    assert.equal(
      (await people.approver.agent.post(url(slug, inv.id, 'reject'), { reason: 'Changed my mind' })).statusCode,
      403,
    );
    await assert.rejects(
      withOrg(t.db, orgId, people.approver.id, (tx) =>
        tx
          .insertInto('invoice_approvals')
          .values({ org_id: orgId, invoice_id: inv.id, approver_id: people.approver.id })
          .execute(),
      ),
      /nobody approves an invoice they submitted/,
    );
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');
  });

  it('an approver cannot approve above their limit (403 naming the limit); at the limit is fine, other currencies by face value', async () => {
    const tm = await team(t);
    const { slug, orgId, people } = tm;
    await setLimit(t, orgId, people.approver.id, 500_000);
    const over = await submittedInvoice(t, tm, 500_001);
    const res = await people.approver.agent.post(url(slug, over.id, 'approve'), {});
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /This invoice is above your approval limit of €5,000\.00/);
    assert.equal((await approvalRows(t, over.id)).length, 0);
    const yenOver = await submittedInvoice(t, tm, 5_001, { currency: 'JPY' });
    assert.equal((await people.approver.agent.post(url(slug, yenOver.id, 'approve'), {})).statusCode, 403);
    const atLimit = await submittedInvoice(t, tm, 500_000);
    assert.equal((await people.approver.agent.post(url(slug, atLimit.id, 'approve'), {})).statusCode, 303);
    assert.equal((await invoiceRow(t, atLimit.id)).status, 'approved');
    // Someone without a limit approves the large one.
    assert.equal((await people.admin.agent.post(url(slug, over.id, 'approve'), {})).statusCode, 303);
  });

  it("another org's invoice id answers 404, and so does an id that is not an id", async () => {
    const { orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member.id });
    const outsider = await signUp(t.app);
    await outsider.agent.get(`/o/${outsider.slug}`);
    assert.equal((await outsider.agent.get(url(outsider.slug, inv.id))).statusCode, 404);
    for (const [action, body] of [
      ['approve', {}],
      ['reject', { reason: 'x' }],
      ['withdraw', {}],
      ['submit', {}],
      ['comments', { body: 'hi' }],
    ] as const) {
      const res = await outsider.agent.post(url(outsider.slug, inv.id, action), body);
      assert.equal(res.statusCode, 404, action);
      assert.ok(!res.body.includes(inv.number));
    }
    assert.equal((await outsider.agent.get(url(outsider.slug, 'not-an-id'))).statusCode, 404);
    assert.equal((await outsider.agent.post(url(outsider.slug, 'not-an-id', 'approve'), {})).statusCode, 404);
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');
    assert.equal(
      (await t.owner.selectFrom('invoice_comments').select('id').where('invoice_id', '=', inv.id).execute()).length,
      0,
    );
  });
});
