import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildOrg, buildVendor, EVERY_ROLE } from '../../testing/factories.ts';
import { validIban } from '../../core/banking.ts';
import { IBAN, OTHER_IBAN, post, useVendorsApp, vendorForm } from './test-helpers.ts';

const { t, vendors, auditOf } = useVendorsApp();

describe('vendors: who may add, edit and archive them, and what is refused', () => {
  it('vendor.manage: members, approvers and viewers cannot add, edit or archive vendors (403), and nothing changes', async () => {
    const { slug, orgId, people } = await buildOrg(t, { name: 'Vendor Team', roles: EVERY_ROLE });
    const v = await buildVendor(t, orgId, { name: 'Untouchable Ltd' });
    for (const role of ['member', 'approver', 'viewer'] as const) {
      const a = people[role].agent;
      assert.equal((await a.get(`/o/${slug}/vendors/new`)).statusCode, 403, `${role} opens the new-vendor form`);
      assert.equal((await a.get(`/o/${slug}/vendors/${v.id}/edit`)).statusCode, 403, `${role} opens the edit form`);
      assert.equal(
        (await post(a, `/o/${slug}/vendors`, `/o/${slug}/vendors`, vendorForm())).statusCode,
        403,
        `${role} adds`,
      );
      assert.equal(
        (await post(a, `/o/${slug}/vendors`, `/o/${slug}/vendors/${v.id}/edit`, vendorForm({ name: 'Renamed' })))
          .statusCode,
        403,
        `${role} edits`,
      );
      assert.equal(
        (await post(a, `/o/${slug}/vendors`, `/o/${slug}/vendors/${v.id}/archive`)).statusCode,
        403,
        `${role} archives`,
      );
      // …but everyone sees vendors.
      assert.equal((await a.get(`/o/${slug}/vendors/${v.id}`)).statusCode, 200, `${role} views`);
    }
    assert.deepEqual(
      (await vendors(orgId)).map((x) => [x.name, x.archived_at]),
      [['Untouchable Ltd', null]],
    );
    assert.equal((await auditOf(orgId)).length, 0);
    assert.doesNotMatch(
      (await people.viewer.agent.get(`/o/${slug}/vendors/${v.id}`)).body,
      /New invoice/,
      'a viewer is not offered to record an invoice',
    );
    assert.match((await people.member.agent.get(`/o/${slug}/vendors/${v.id}`)).body, /New invoice/);
  });

  it('a vendor id of another org answers 404 on every vendor page and action', async () => {
    const { owner, slug } = await buildOrg(t, { name: 'Vendor Team', roles: EVERY_ROLE });
    const other = await buildOrg(t, { name: 'Other Vendor Org' });
    const theirs = await buildVendor(t, other.orgId, { name: 'Their Private Supplier' });
    for (const url of [`/o/${slug}/vendors/${theirs.id}`, `/o/${slug}/vendors/${theirs.id}/edit`]) {
      const res = await owner.agent.get(url);
      assert.equal(res.statusCode, 404, url);
      assert.doesNotMatch(res.body, /Their Private Supplier/);
    }
    assert.equal(
      (await post(owner.agent, `/o/${slug}/vendors`, `/o/${slug}/vendors/${theirs.id}/edit`, vendorForm())).statusCode,
      404,
    );
    assert.equal(
      (await post(owner.agent, `/o/${slug}/vendors`, `/o/${slug}/vendors/${theirs.id}/archive`)).statusCode,
      404,
    );
    assert.equal((await owner.agent.get(`/o/${slug}/vendors/not-an-id`)).statusCode, 404);
    const after = await t.owner.selectFrom('vendors').selectAll().where('id', '=', theirs.id).executeTakeFirstOrThrow();
    assert.deepEqual(after, theirs);
  });

  it('an IBAN with a wrong checksum is refused next to the field (422), the rest of the form kept, nothing written', async () => {
    const { owner, slug, orgId } = await buildOrg(t, { name: 'Vendor Team', roles: EVERY_ROLE });
    const res = await post(
      owner.agent,
      `/o/${slug}/vendors/new`,
      `/o/${slug}/vendors`,
      vendorForm({ iban: 'DE89 3704 0044 0532 0130 01' }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /check digits do not match/);
    assert.match(res.body, /value="Acme GmbH"/);
    assert.doesNotMatch(res.body, /DE89 3704 0044 0532 0130 01/, 'bank details are not echoed');
    assert.equal((await vendors(orgId)).length, 0);
    assert.ok(validIban(IBAN) && validIban(OTHER_IBAN) && !validIban('DE89370400440532013001'));
  });

  it('bad input is refused per field (422): no payment details, both IBAN and account number, a bad BIC, an unknown currency', async () => {
    const { owner, slug, orgId } = await buildOrg(t, { name: 'Vendor Team', roles: EVERY_ROLE });
    const cases: [Record<string, string>, RegExp][] = [
      [{ iban: '', account_number: '' }, /Enter the vendor’s IBAN, or an account number instead/],
      [{ account_number: '12345678' }, /either an IBAN or an account number, not both/],
      [{ bic: 'NOTABIC' }, /A BIC has 8 or 11 characters/],
      [{ default_currency: 'XYZ' }, /Choose one of the listed currencies/],
      [{ name: '  ' }, /Give the vendor a name/],
      [{ email: 'not-an-email' }, /Enter a valid email address/],
    ];
    for (const [over, message] of cases) {
      const res = await post(owner.agent, `/o/${slug}/vendors/new`, `/o/${slug}/vendors`, vendorForm(over));
      assert.equal(res.statusCode, 422, JSON.stringify(over));
      assert.match(res.body, message);
    }
    assert.equal((await vendors(orgId)).length, 0);
  });

  it('a tax id another vendor of the org already has (formatted differently) is refused naming that vendor (422), never a 500', async () => {
    const { owner, slug, orgId } = await buildOrg(t, { name: 'Vendor Team', roles: EVERY_ROLE });
    assert.equal(
      (await post(owner.agent, `/o/${slug}/vendors/new`, `/o/${slug}/vendors`, vendorForm())).statusCode,
      303,
    );
    const dup = await post(
      owner.agent,
      `/o/${slug}/vendors/new`,
      `/o/${slug}/vendors`,
      vendorForm({ name: 'Acme Copycat', tax_id: 'de123456789' }),
    );
    assert.equal(dup.statusCode, 422);
    assert.match(dup.body, /This tax id is already used by Acme GmbH/);
    assert.match(dup.body, /value="Acme Copycat"/);
    assert.match(dup.body, /Enter it again: bank details are never shown back/);
    assert.doesNotMatch(dup.body, /DE89 3704|de89 3704/i);
    // The same through an edit of another vendor.
    const second = await buildVendor(t, orgId, { name: 'Second Supplier' });
    const edit = await post(
      owner.agent,
      `/o/${slug}/vendors/${second.id}/edit`,
      `/o/${slug}/vendors/${second.id}/edit`,
      vendorForm({ name: 'Second Supplier', tax_id: 'DE-123-456-789', iban: '' }),
    );
    assert.equal(edit.statusCode, 422);
    assert.match(edit.body, /already used by Acme GmbH/);
    assert.equal((await vendors(orgId)).length, 2);
  });

  it('adding a vendor normalizes its IBAN and BIC, is audited with the payment details masked, and leads to its page', async () => {
    const { owner, slug, orgId } = await buildOrg(t, { name: 'Vendor Team', roles: EVERY_ROLE });
    const res = await post(owner.agent, `/o/${slug}/vendors/new`, `/o/${slug}/vendors`, vendorForm());
    assert.equal(res.statusCode, 303);
    const [v] = await vendors(orgId);
    assert.equal(res.headers.location, `/o/${slug}/vendors/${v!.id}`);
    assert.equal(v!.iban, IBAN);
    assert.equal(v!.bic, 'COBADEFFXXX');
    assert.equal(v!.tax_id_normalized, 'DE123456789');
    const [created] = await auditOf(orgId);
    assert.equal(created!.action, 'vendor.created');
    assert.deepEqual(created!.changes, {
      name: 'Acme GmbH',
      tax_id: 'DE 123.456.789',
      default_currency: 'EUR',
      payment_details: 'DE89 •••• •••• •••• 3000',
    });
  });

  it('archiving hides a vendor from the invoice form (and refuses it for a new invoice); archiving twice is a 409; unarchiving brings it back', async () => {
    const { owner, slug, orgId } = await buildOrg(t, { name: 'Vendor Team', roles: EVERY_ROLE });
    const v = await buildVendor(t, orgId, { name: 'Seasonal Supplies' });
    await buildVendor(t, orgId, { name: 'Year-round Supplies' });
    assert.match((await owner.agent.get(`/o/${slug}/invoices/new`)).body, /Seasonal Supplies/);
    const archive = await post(owner.agent, `/o/${slug}/vendors/${v.id}`, `/o/${slug}/vendors/${v.id}/archive`);
    assert.equal(archive.statusCode, 303);
    assert.match(
      (await owner.agent.get(`/o/${slug}/vendors/${v.id}`)).body,
      /data-confirm="Make Seasonal Supplies active again/,
    );
    assert.doesNotMatch((await owner.agent.get(`/o/${slug}/invoices/new`)).body, /Seasonal Supplies/);
    assert.doesNotMatch((await owner.agent.get(`/o/${slug}/invoices/new?vendor=${v.id}`)).body, /Seasonal Supplies/);
    await owner.agent.get(`/o/${slug}/vendors`);
    const invoice = await owner.agent.post(`/o/${slug}/invoices`, {
      vendor_id: v.id,
      number: 'A-1',
      issue_date: '2026-11-01',
      due_date: '2026-11-30',
      amount: '10.00',
      currency: '',
      description: '',
      category: 'office',
    });
    assert.equal(invoice.statusCode, 422);
    assert.match(invoice.body, /Seasonal Supplies is archived/);
    assert.equal(
      (await post(owner.agent, `/o/${slug}/vendors/${v.id}`, `/o/${slug}/vendors/${v.id}/archive`)).statusCode,
      409,
    );
    assert.equal(
      (await post(owner.agent, `/o/${slug}/vendors/${v.id}`, `/o/${slug}/vendors/${v.id}/unarchive`)).statusCode,
      303,
    );
    assert.match((await owner.agent.get(`/o/${slug}/invoices/new`)).body, /Seasonal Supplies/);
    assert.deepEqual(
      (await auditOf(orgId)).map((a) => a.action),
      ['vendor.archived', 'vendor.unarchived'],
    );
  });
});
