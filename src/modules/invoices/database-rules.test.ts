// The workflow's rules hold in the database itself, whatever the application sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildOrg, buildVendor } from '../../testing/factories.ts';

const t = useTestApp();

async function org() {
  const o = await buildOrg(t);
  return { orgId: o.orgId, userId: o.owner.id, vendor: await buildVendor(t, o.orgId) };
}

describe('invoice rules in the database', () => {
  it('refuses a transition that is not in the workflow', async () => {
    const { orgId, vendor } = await org();
    const draft = await buildInvoice(t, orgId, vendor.id);
    await assert.rejects(
      t.owner
        .updateTable('invoices')
        .set({ status: 'approved', submitted_at: new Date() })
        .where('id', '=', draft.id)
        .execute(),
      /cannot go from draft to approved/,
    );
    const rejected = await buildInvoice(t, orgId, vendor.id, { status: 'rejected' });
    await assert.rejects(
      t.owner
        .updateTable('invoices')
        .set({ status: 'approved', rejection_reason: null })
        .where('id', '=', rejected.id)
        .execute(),
      /cannot go from rejected to approved/,
    );
    const paid = await buildInvoice(t, orgId, vendor.id, { status: 'approved' });
    await assert.rejects(
      t.owner.updateTable('invoices').set({ status: 'paid', paid_at: new Date() }).where('id', '=', paid.id).execute(),
      /cannot go from approved to paid/,
    );
  });

  it('a new invoice starts as a draft', async () => {
    const { orgId, vendor } = await org();
    await assert.rejects(
      t.owner
        .insertInto('invoices')
        .values({
          org_id: orgId,
          vendor_id: vendor.id,
          number: 'X-1',
          issue_date: '2026-01-01',
          due_date: '2026-02-01',
          amount_minor: '100',
          currency: 'EUR',
          category: 'other',
          status: 'approved',
          submitted_at: new Date(),
        })
        .execute(),
      /starts as a draft/,
    );
  });

  it('only a draft can be edited', async () => {
    const { orgId, vendor } = await org();
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted' });
    await assert.rejects(
      t.owner.updateTable('invoices').set({ amount_minor: '1' }).where('id', '=', inv.id).execute(),
      /cannot be edited/,
    );
  });

  it('amounts are positive, currencies known, and numbers unique per vendor ignoring case', async () => {
    const { orgId, vendor } = await org();
    await assert.rejects(buildInvoice(t, orgId, vendor.id, { amountMinor: 0 }), /invoices_amount_positive/);
    await assert.rejects(buildInvoice(t, orgId, vendor.id, { currency: 'XXX' }), /foreign key/);
    await buildInvoice(t, orgId, vendor.id, { number: 'INV-7' });
    await assert.rejects(buildInvoice(t, orgId, vendor.id, { number: 'inv-7' }), /invoices_vendor_number_key/);
    const other = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, other.id, { number: 'INV-7' });
  });

  it('nobody approves an invoice they submitted, and only a submitted one', async () => {
    const { orgId, userId, vendor } = await org();
    const mine = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', submittedBy: userId });
    await assert.rejects(
      t.owner
        .insertInto('invoice_approvals')
        .values({ org_id: orgId, invoice_id: mine.id, approver_id: userId })
        .execute(),
      /nobody approves an invoice they submitted/,
    );
    const draft = await buildInvoice(t, orgId, vendor.id);
    await assert.rejects(
      t.owner
        .insertInto('invoice_approvals')
        .values({ org_id: orgId, invoice_id: draft.id, approver_id: userId })
        .execute(),
      /only a submitted invoice/,
    );
  });

  it('an invoice cannot point at a vendor of another organization', async () => {
    const a = await org();
    const b = await org();
    await assert.rejects(buildInvoice(t, a.orgId, b.vendor.id), /foreign key/);
  });

  it('the kept counts per status always equal a fresh count, through inserts, transitions and deletes', async () => {
    const { orgId, vendor } = await org();
    for (const status of ['draft', 'submitted', 'approved', 'rejected', 'approved'] as const)
      await buildInvoice(t, orgId, vendor.id, { status });
    const doomed = await buildInvoice(t, orgId, vendor.id);
    await t.owner.deleteFrom('invoices').where('id', '=', doomed.id).execute();
    await t.owner
      .updateTable('invoices')
      .set({ description: 'edited, status unchanged' })
      .where('org_id', '=', orgId)
      .where('status', '=', 'draft')
      .execute();
    const kept = await t.owner
      .selectFrom('invoice_status_counts')
      .select(['status', 'n'])
      .where('org_id', '=', orgId)
      .where('n', '>', '0' as never)
      .orderBy('status')
      .execute();
    const fresh = await t.owner
      .selectFrom('invoices')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('org_id', '=', orgId)
      .groupBy('status')
      .orderBy('status')
      .execute();
    assert.deepEqual(kept, fresh);
  });
});
