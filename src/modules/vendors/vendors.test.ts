import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp, type Agent } from '../../testing/harness.ts';
import { buildInvoice, buildOrg, buildVendor, EVERY_ROLE } from '../../testing/factories.ts';
import { maskIban, validIban } from '../../core/banking.ts';

const t = useTestApp();

const IBAN = 'DE89370400440532013000';
const OTHER_IBAN = 'GB82WEST12345698765432';

function vendorForm(over: Record<string, string> = {}): Record<string, string> {
  return {
    name: 'Acme GmbH',
    tax_id: 'DE 123.456.789',
    iban: 'de89 3704 0044 0532 0130 00',
    bic: 'cobadeffxxx',
    account_number: '',
    default_currency: 'EUR',
    email: 'billing@acme.test',
    ...over,
  };
}

/** Loads a page (for its CSRF token), then posts. */
async function post(agent: Agent, page: string, url: string, fields: Record<string, string> = {}) {
  await agent.get(page);
  return agent.post(url, fields);
}

async function vendors(orgId: string) {
  return t.owner.selectFrom('vendors').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
}

async function auditOf(orgId: string, prefix = 'vendor.') {
  return t.owner
    .selectFrom('audit_log')
    .select(['action', 'changes'])
    .where('org_id', '=', orgId)
    .where('action', 'like', `${prefix}%`)
    .orderBy('id')
    .execute();
}

describe('vendors', () => {
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

  it('payment details are masked on every page and in the audit log; the edit form starts empty and keeps them when left empty', async () => {
    const { owner, slug, orgId, people } = await buildOrg(t, { name: 'Vendor Team', roles: EVERY_ROLE });
    await post(owner.agent, `/o/${slug}/vendors/new`, `/o/${slug}/vendors`, vendorForm());
    const [v] = await vendors(orgId);
    const spaced = (iban: string) => iban.replace(/(.{4})/g, '$1 ').trim();
    const pages = [`/o/${slug}/vendors`, `/o/${slug}/vendors/${v!.id}`, `/o/${slug}/vendors/${v!.id}/edit`];
    for (const url of pages) {
      const page = await owner.agent.get(url);
      assert.equal(page.statusCode, 200, url);
      assert.ok(!page.body.includes(IBAN) && !page.body.includes(spaced(IBAN)), `${url} shows the IBAN`);
    }
    assert.match((await people.viewer.agent.get(`/o/${slug}/vendors`)).body, /DE89 •••• •••• •••• 3000/);
    const edit = await owner.agent.get(`/o/${slug}/vendors/${v!.id}/edit`);
    assert.match(edit.body, /name="iban" type="text" value autocomplete/);
    assert.match(edit.body, /Leave empty to keep •••3000/);

    // Left empty: kept. Other fields change.
    const keep = await post(
      owner.agent,
      `/o/${slug}/vendors/${v!.id}/edit`,
      `/o/${slug}/vendors/${v!.id}/edit`,
      vendorForm({ iban: '', name: 'Acme Group GmbH' }),
    );
    assert.equal(keep.statusCode, 303);
    assert.equal((await vendors(orgId))[0]!.iban, IBAN);
    // A new IBAN: changed, audited masked.
    const change = await post(
      owner.agent,
      `/o/${slug}/vendors/${v!.id}/edit`,
      `/o/${slug}/vendors/${v!.id}/edit`,
      vendorForm({ iban: OTHER_IBAN, bic: '', name: 'Acme Group GmbH' }),
    );
    assert.equal(change.statusCode, 303);
    assert.equal((await vendors(orgId))[0]!.iban, OTHER_IBAN);
    // An account number instead of the IBAN.
    await post(
      owner.agent,
      `/o/${slug}/vendors/${v!.id}/edit`,
      `/o/${slug}/vendors/${v!.id}/edit`,
      vendorForm({ iban: '', bic: '', account_number: '000123456789', name: 'Acme Group GmbH' }),
    );
    const now = (await vendors(orgId))[0]!;
    assert.deepEqual([now.iban, now.bic, now.account_number], [null, null, '000123456789']);
    assert.match((await owner.agent.get(`/o/${slug}/vendors/${v!.id}`)).body, /•••• 6789/);
    assert.doesNotMatch((await owner.agent.get(`/o/${slug}/vendors/${v!.id}`)).body, /000123456789/);

    const audit = await auditOf(orgId);
    assert.deepEqual(
      audit.map((a) => a.action),
      [
        'vendor.created',
        'vendor.updated',
        'vendor.updated',
        'vendor.payment_details_changed',
        'vendor.updated',
        'vendor.payment_details_changed',
      ],
    );
    assert.deepEqual(audit[3]!.changes, { name: 'Acme Group GmbH', from: maskIban(IBAN), to: maskIban(OTHER_IBAN) });
    assert.deepEqual((audit[2]!.changes as Record<string, unknown>).payment_details, {
      from: 'DE89 •••• •••• •••• 3000',
      to: 'GB82 •••• •••• •••• 5432',
    });
    assert.deepEqual((audit[1]!.changes as Record<string, unknown>).name, { from: 'Acme GmbH', to: 'Acme Group GmbH' });
    const text = JSON.stringify(audit.map((a) => a.changes));
    for (const secret of [IBAN, OTHER_IBAN, '000123456789', spaced(IBAN)])
      assert.ok(!text.includes(secret), `the audit log holds ${secret}`);
  });

  it('the list searches by name or tax id (any format) and hides archived vendors unless asked; it counts invoices', async () => {
    const { owner, slug, orgId } = await buildOrg(t, { name: 'Vendor Team', roles: EVERY_ROLE });
    const empty = await owner.agent.get(`/o/${slug}/vendors`);
    assert.match(empty.body, /No vendors yet/);
    assert.match(empty.body, /Add your first vendor/);
    const acme = await buildVendor(t, orgId, { name: 'Acme Tools' });
    await buildVendor(t, orgId, { name: 'Globex Paper' });
    const old = await buildVendor(t, orgId, { name: 'Acme Legacy' });
    await t.owner.updateTable('vendors').set({ archived_at: new Date() }).where('id', '=', old.id).execute();
    await buildInvoice(t, orgId, acme.id);
    await buildInvoice(t, orgId, acme.id);

    const all = await owner.agent.get(`/o/${slug}/vendors`);
    assert.match(all.body, /Acme Tools/);
    assert.match(all.body, /Globex Paper/);
    assert.doesNotMatch(all.body, /Acme Legacy/);
    assert.match(all.body, /<td>2<\/td>/);
    const byName = await owner.agent.get(`/o/${slug}/vendors?q=acme`);
    assert.match(byName.body, /Acme Tools/);
    assert.doesNotMatch(byName.body, /Globex Paper/);
    const withArchived = await owner.agent.get(`/o/${slug}/vendors?q=acme&archived=1`);
    assert.match(withArchived.body, /Acme Legacy/);
    const spacedTaxId = acme.tax_id.replace(/(.{3})/g, '$1 ').toLowerCase();
    const byTax = await owner.agent.get(`/o/${slug}/vendors?q=${encodeURIComponent(spacedTaxId)}`);
    assert.match(byTax.body, /Acme Tools/);
    assert.doesNotMatch(byTax.body, /Globex Paper/);
    assert.match((await owner.agent.get(`/o/${slug}/vendors?q=nothing-like-this`)).body, /No vendor matches/);
  });

  it('the vendor page lists its recent invoices linking to each invoice', async () => {
    const { owner, slug, orgId } = await buildOrg(t, { name: 'Vendor Team', roles: EVERY_ROLE });
    const v = await buildVendor(t, orgId, { name: 'Invoiced Vendor' });
    const inv = await buildInvoice(t, orgId, v.id, {
      number: 'INV-77',
      amountMinor: 123_450,
      status: 'submitted',
    });
    const page = await owner.agent.get(`/o/${slug}/vendors/${v.id}`);
    assert.match(page.body, new RegExp(`href="/o/${slug}/invoices/${inv.id}">INV-77<`));
    assert.match(page.body, /€1,234.50/);
    assert.match(page.body, /1 Nov 2026/);
    assert.match(page.body, /badge-amber">submitted</);
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
