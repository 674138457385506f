import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signUp, useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildVendor, orgIdOf } from '../../testing/factories.ts';
import { invoiceRow, setLimit, team, url } from './workflow-test-helpers.ts';

const t = useTestApp();

describe('the invoice detail page', () => {
  it('shows the invoice and only the actions the viewer may use in its state', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const draft = await buildInvoice(t, orgId, vendor.id, {
      createdBy: people.member.id,
      dueDate: '2020-02-01',
      issueDate: '2020-01-01',
      amountMinor: 1_234_567,
      description: 'Licences for Q1',
    });
    let page = await people.member.agent.get(url(slug, draft.id));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /€12,345\.67/);
    assert.match(page.body, /Acme Supplies/);
    assert.ok(page.body.includes(`href="/o/${slug}/vendors/${vendor.id}"`));
    assert.match(page.body, /badge-red">Overdue</);
    assert.match(page.body, /Licences for Q1/);
    assert.ok(page.body.includes(`href="${url(slug, draft.id, 'edit')}"`));
    assert.ok(page.body.includes(`action="${url(slug, draft.id, 'submit')}"`));
    assert.ok(!page.body.includes(`action="${url(slug, draft.id, 'approve')}"`));
    page = await people.viewer.agent.get(url(slug, draft.id));
    assert.ok(!page.body.includes(`action="${url(slug, draft.id)}/`), 'a viewer sees no invoice forms');

    const sub = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member.id });
    page = await people.member.agent.get(url(slug, sub.id));
    assert.ok(page.body.includes(`action="${url(slug, sub.id, 'withdraw')}"`));
    assert.ok(!page.body.includes(`action="${url(slug, sub.id, 'approve')}"`));
    assert.ok(!page.body.includes(`action="${url(slug, sub.id, 'reject')}"`));
    assert.match(page.body, /0 of 1 approvals/);
    page = await people.approver.agent.get(url(slug, sub.id));
    assert.ok(page.body.includes(`action="${url(slug, sub.id, 'approve')}"`));
    assert.ok(page.body.includes(`action="${url(slug, sub.id, 'reject')}"`));
    assert.ok(!page.body.includes(`action="${url(slug, sub.id, 'withdraw')}"`));
    assert.ok(!page.body.includes(`href="${url(slug, sub.id, 'edit')}"`));

    await setLimit(t, orgId, people.approver2.id, 100);
    page = await people.approver2.agent.get(url(slug, sub.id));
    assert.ok(!page.body.includes(`action="${url(slug, sub.id, 'approve')}"`));
    assert.match(page.body, /above your approval limit of €1\.00/);

    const payout = await t.owner
      .insertInto('payouts')
      .values({ org_id: orgId, reference: 'PO-2026-77', currency: 'EUR' })
      .returningAll()
      .executeTakeFirstOrThrow();
    const scheduled = await buildInvoice(t, orgId, vendor.id, {
      status: 'scheduled',
      payoutId: payout.id,
      createdBy: people.member.id,
    });
    await t.owner
      .updateTable('invoices')
      .set({ attachment_key: 'k/1', attachment_name: 'invoice.pdf', attachment_size: 20480 })
      .where('id', '=', draft.id)
      .execute();
    page = await people.viewer.agent.get(url(slug, scheduled.id));
    assert.ok(page.body.includes(`href="/o/${slug}/payouts/${payout.id}"`));
    assert.match(page.body, /PO-2026-77/);
    page = await people.viewer.agent.get(url(slug, draft.id));
    assert.ok(page.body.includes(`href="${url(slug, draft.id, 'attachment')}"`));
    assert.match(page.body, /invoice\.pdf/);
  });

  it('the history merges status changes and comments in order, newest last', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { createdBy: people.member.id });
    await people.member.agent.post(url(slug, inv.id, 'comments'), { body: 'First note' });
    await people.member.agent.post(url(slug, inv.id, 'submit'), {});
    await people.approver.agent.post(url(slug, inv.id, 'comments'), { body: 'Checked the PO' });
    await people.approver.agent.post(url(slug, inv.id, 'approve'), {});
    const page = (await people.viewer.agent.get(url(slug, inv.id))).body;
    const order = ['First note', 'submitted it for approval', 'Checked the PO', 'approved it'].map((s) =>
      page.indexOf(s),
    );
    assert.ok(
      order.every((i) => i > 0),
      JSON.stringify(order),
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
  });

  it('a vendor of another org never shows (sanity: the detail query is scoped)', async () => {
    const { slug, people } = await team(t);
    const other = await signUp(t.app);
    const otherOrg = await orgIdOf(t, other.slug);
    const v = await buildVendor(t, otherOrg, { name: 'Foreign Vendor' });
    const foreign = await buildInvoice(t, otherOrg, v.id, { status: 'submitted' });
    const res = await people.admin.agent.get(url(slug, foreign.id));
    assert.equal(res.statusCode, 404);
    assert.ok(!res.body.includes('Foreign Vendor'));
    assert.equal((await people.admin.agent.post(url(slug, foreign.id, 'approve'), {})).statusCode, 404);
    assert.equal((await invoiceRow(t, foreign.id)).status, 'submitted');
  });
});
