// The back-office's record pages (organization, vendor, invoice, payout, import): what they show
// and never show, their history from the audit log, the staff.viewed trace the customer sees,
// and a record asked for under another org's id.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildInvoice, buildOrg, buildVendor, type BuiltOrg } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';
import { staffPerson, type Person } from '../../testing/staff.ts';

const t = useTestApp();

const IBAN = 'DE89370400440532013000';
const ORG_IBAN = 'GB82WEST12345698765432';

let org: BuiltOrg<'approver'>;
let other: BuiltOrg;
let operator: Person;
let vendorId: string;
let invoiceId: string;
let invoiceNumber: string;
let payoutId: string;
let importId: string;

const staffViews = (targetId: string) =>
  t.owner
    .selectFrom('audit_log')
    .select(['org_id', 'actor_user_id', 'target_type'])
    .where('action', '=', 'staff.viewed')
    .where('target_id', '=', targetId)
    .execute();

describe('back-office record pages', () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Record Holdings', roles: ['approver'] });
    other = await buildOrg(t, { name: 'Other Holdings' });
    operator = await staffPerson(t, 'operator');
    await t.owner.updateTable('organizations').set({ bank_iban: ORG_IBAN }).where('id', '=', org.orgId).execute();
    const vendor = await buildVendor(t, org.orgId, { name: 'Record Supplies', iban: IBAN });
    vendorId = vendor.id;
    const payout = await t.owner
      .insertInto('payouts')
      .values({ org_id: org.orgId, reference: 'PO-RECORD-1', currency: 'EUR', created_by: org.people.owner.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    payoutId = payout.id;
    const inv = await buildInvoice(t, org.orgId, vendor.id, {
      createdBy: org.people.owner.id,
      attachmentKey: `${org.orgId}/4b0f5f6e-1111-4000-8000-000000000001.pdf`,
    });
    invoiceId = inv.id;
    invoiceNumber = inv.number;
    // A real change through the app, so the invoice has a history with a person, an IP and a request id.
    const submitted = await org.people.owner.agent.post(`/o/${org.slug}/invoices/${inv.id}/submit`, {});
    assert.equal(submitted.statusCode, 303);
    const imp = await t.owner
      .insertInto('imports')
      .values({
        org_id: org.orgId,
        kind: 'vendors',
        status: 'checked',
        file_name: 'suppliers-2026.csv',
        file_key: `${org.orgId}/00000000-0000-4000-8000-00000000beef.csv`,
        file_size: '120',
        total_rows: 3,
        valid_rows: 2,
        rejected_rows: 1,
        created_by: org.people.owner.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    importId = imp.id;
    await t.owner
      .insertInto('import_rejections')
      .values({ org_id: org.orgId, import_id: imp.id, line: 3, raw: 'x;y', reason: 'the IBAN is not valid' })
      .execute();
  });

  it('an invoice shows its facts, links to its vendor, and its history names who did what, from where', async () => {
    const res = await operator.agent.get(`/staff/invoices/${org.orgId}/${invoiceId}`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.match(res.body, new RegExp(`Invoice ${invoiceNumber}`));
    assert.match(res.body, new RegExp(`href="/staff/vendors/${org.orgId}/${vendorId}"`));
    assert.match(res.body, /<code>invoice\.submitted<\/code>/);
    assert.match(res.body, /Owner Person/);
    const entry = await t.owner
      .selectFrom('audit_log')
      .select(['request_id'])
      .where('action', '=', 'invoice.submitted')
      .where('target_id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    assert.ok(entry.request_id && res.body.includes(entry.request_id), 'the request id of the change is shown');
    assert.ok(!res.body.includes('4b0f5f6e-1111-4000-8000-000000000001'), 'the stored file key is never shown');
  });

  it('each opening writes one staff.viewed entry in the org, which its owner sees in Activity', async () => {
    const before = (await staffViews(invoiceId)).length;
    await operator.agent.get(`/staff/invoices/${org.orgId}/${invoiceId}`);
    const views = await staffViews(invoiceId);
    assert.equal(views.length, before + 1);
    assert.deepEqual(views.at(-1), { org_id: org.orgId, actor_user_id: operator.id, target_type: 'invoice' });
    const activity = await org.people.owner.agent.get(`/o/${org.slug}/activity`);
    assert.match(activity.body, /staff\.viewed/);
    assert.match(activity.body, /Ledgerworks support/);
    const dashboard = await org.people.owner.agent.get(`/o/${org.slug}`);
    assert.match(dashboard.body, /\(Ledgerworks support\) <\/span>opened a record in the back-office/);
  });

  it("a record asked for under another org's id is not found (404), and no view is recorded", async () => {
    const before = (await staffViews(invoiceId)).length;
    for (const url of [
      `/staff/invoices/${other.orgId}/${invoiceId}`,
      `/staff/vendors/${other.orgId}/${vendorId}`,
      `/staff/payouts/${other.orgId}/${payoutId}`,
      `/staff/imports/${other.orgId}/${importId}`,
      `/staff/organizations/00000000-0000-4000-8000-000000000000`,
    ]) {
      const res = await operator.agent.get(url);
      assert.equal(res.statusCode, 404, url);
    }
    assert.equal((await staffViews(invoiceId)).length, before);
    assert.equal((await operator.agent.get(`/staff/invoices/${org.orgId}/not-an-id`)).statusCode, 404);
  });

  it('payment details are masked on the vendor and the organization pages', async () => {
    const vendor = await operator.agent.get(`/staff/vendors/${org.orgId}/${vendorId}`);
    assert.equal(vendor.statusCode, 200);
    assert.ok(!vendor.body.includes(IBAN));
    assert.match(vendor.body, /DE89 •••• •••• •••• 3000/);
    assert.match(vendor.body, new RegExp(`href="/staff/invoices/${org.orgId}/${invoiceId}"`));
    const orgPage = await operator.agent.get(`/staff/organizations/${org.orgId}`);
    assert.equal(orgPage.statusCode, 200);
    assert.ok(!orgPage.body.includes(ORG_IBAN));
    assert.match(orgPage.body, /GB82 •••• •••• •••• 5432/);
    for (const p of Object.values(org.people)) assert.match(orgPage.body, new RegExp(`href="/staff/users/${p.id}"`));
  });

  it('a payout lists its invoices; an import shows its rejected rows and why', async () => {
    const scheduled = await buildInvoice(t, org.orgId, vendorId, { status: 'scheduled', payoutId });
    const payout = await operator.agent.get(`/staff/payouts/${org.orgId}/${payoutId}`);
    assert.equal(payout.statusCode, 200);
    assert.match(payout.body, /Payout PO-RECORD-1/);
    assert.match(payout.body, new RegExp(`href="/staff/invoices/${org.orgId}/${scheduled.id}"`));
    assert.match(payout.body, new RegExp(scheduled.number));
    const imp = await operator.agent.get(`/staff/imports/${org.orgId}/${importId}`);
    assert.equal(imp.statusCode, 200);
    assert.match(imp.body, /suppliers-2026\.csv/);
    assert.match(imp.body, /the IBAN is not valid/);
  });

  it('the lists link each row to its record page', async () => {
    const list = await operator.agent.get(`/staff/invoices?org=${org.slug}`);
    assert.match(list.body, new RegExp(`href="/staff/invoices/${org.orgId}/${invoiceId}"`));
    const orgs = await operator.agent.get(`/staff/organizations?org=${org.slug}`);
    assert.match(orgs.body, new RegExp(`href="/staff/organizations/${org.orgId}"`));
  });
});
