import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInvoice, buildOrg, buildVendor, EVERY_ROLE } from '../../testing/factories.ts';
import { maskIban } from '../../core/banking.ts';
import { IBAN, OTHER_IBAN, post, useVendorsApp, vendorForm } from './test-helpers.ts';

const { t, vendors, auditOf } = useVendorsApp();

describe('vendors: their pages, masked payment details and the list', () => {
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
    assert.match(page.body, /badge-amber">Awaiting approval</);
  });
});
