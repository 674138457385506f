import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInvoice, buildOrg, buildVendor, orgAudit } from '../../testing/factories.ts';
import { form, PDF, postInvoiceForm, useEditingApp } from './editing-test-helpers.ts';

const { t, invoicesOf, keptFiles, tmpIsEmpty, nothingWritten, ownerOnNewInvoice } = useEditingApp();

describe('draft invoices: create and edit', () => {
  it('invoice.create: a viewer cannot open the invoice form nor create or edit an invoice (403), nothing written', async () => {
    const o = await buildOrg(t, { name: 'Invoice Team', roles: ['viewer'] });
    const v = await buildVendor(t, o.orgId);
    const draft = await buildInvoice(t, o.orgId, v.id, { number: 'D-1' });
    const viewer = o.people.viewer;
    assert.equal((await viewer.agent.get(`/o/${o.slug}/invoices/new`)).statusCode, 403);
    assert.equal((await viewer.agent.get(`/o/${o.slug}/invoices/${draft.id}/edit`)).statusCode, 403);
    assert.equal(
      (await postInvoiceForm(viewer.agent, `/o/${o.slug}/invoices`, form(v.id), { name: 'a.pdf', content: PDF }))
        .statusCode,
      403,
    );
    assert.equal(
      (await postInvoiceForm(viewer.agent, `/o/${o.slug}/invoices/${draft.id}/edit`, form(v.id, { number: 'D-2' })))
        .statusCode,
      403,
    );
    assert.equal((await viewer.agent.post(`/o/${o.slug}/invoices`, form(v.id))).statusCode, 403);
    assert.deepEqual(
      (await invoicesOf(o.orgId)).map((i) => i.number),
      ['D-1'],
    );
    assert.deepEqual(keptFiles(o.orgId), []);
    // Viewers still read attachments: that is invoice.view.
    await tmpIsEmpty();
  });

  it('an invoice id of another org answers 404 for its edit form, its edit and its attachment', async () => {
    const mine = await buildOrg(t, { name: 'Invoice Team' });
    const theirs = await buildOrg(t, { name: 'Their Invoice Org' });
    const tv = await buildVendor(t, theirs.orgId, { name: 'Their Hidden Vendor' });
    await theirs.owner.agent.get(`/o/${theirs.slug}/invoices/new`);
    const created = await postInvoiceForm(
      theirs.owner.agent,
      `/o/${theirs.slug}/invoices`,
      form(tv.id, { number: 'SECRET-9' }),
      { name: 'secret.pdf', content: PDF },
    );
    assert.equal(created.statusCode, 303);
    const [inv] = await invoicesOf(theirs.orgId);
    await mine.owner.agent.get(`/o/${mine.slug}/invoices/new`);
    for (const res of [
      await mine.owner.agent.get(`/o/${mine.slug}/invoices/${inv!.id}/edit`),
      await mine.owner.agent.get(`/o/${mine.slug}/invoices/${inv!.id}/attachment`),
      await postInvoiceForm(
        mine.owner.agent,
        `/o/${mine.slug}/invoices/${inv!.id}/edit`,
        form(tv.id, { number: 'STOLEN' }),
      ),
      await postInvoiceForm(mine.owner.agent, `/o/${mine.slug}/invoices`, form(tv.id, { number: 'CROSS-1' })),
    ]) {
      assert.ok([404, 422].includes(res.statusCode), String(res.statusCode));
      assert.doesNotMatch(res.body, /SECRET-9|Their Hidden Vendor|%PDF/);
    }
    assert.equal((await mine.owner.agent.get(`/o/${mine.slug}/invoices/${inv!.id}/attachment`)).statusCode, 404);
    assert.equal((await mine.owner.agent.get(`/o/${mine.slug}/invoices/${inv!.id}/edit`)).statusCode, 404);
    assert.deepEqual(
      (await invoicesOf(theirs.orgId)).map((i) => i.number),
      ['SECRET-9'],
    );
    assert.deepEqual(await invoicesOf(mine.orgId), []);
  });

  it('only drafts can be edited: a submitted invoice answers 409 with a clear message and stays as it was', async () => {
    const o = await buildOrg(t, { name: 'Invoice Team' });
    const v = await buildVendor(t, o.orgId);
    const inv = await buildInvoice(t, o.orgId, v.id, { status: 'submitted', number: 'S-1', createdBy: o.owner.id });
    const page = await o.owner.agent.get(`/o/${o.slug}/invoices/${inv.id}/edit`);
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /Invoice S-1 is submitted: only drafts can be edited/);
    await o.owner.agent.get(`/o/${o.slug}/invoices/new`);
    const res = await postInvoiceForm(
      o.owner.agent,
      `/o/${o.slug}/invoices/${inv.id}/edit`,
      form(v.id, { number: 'S-1', amount: '1.00' }),
    );
    assert.equal(res.statusCode, 409);
    assert.deepEqual((await invoicesOf(o.orgId))[0], inv);
  });

  it('a draft is its creator’s: an approver, an accountant or another member cannot open or save its edit (403, nothing changes); the creator, an admin and the owner can', async () => {
    const o = await buildOrg(t, {
      name: 'Invoice Team',
      roles: ['admin', 'approver', 'accountant', 'member', 'member2'],
    });
    const v = await buildVendor(t, o.orgId);
    const { member } = o.people;
    const draft = await buildInvoice(t, o.orgId, v.id, { number: 'M-1', amountMinor: 10_000, createdBy: member.id });
    const edit = `/o/${o.slug}/invoices/${draft.id}/edit`;
    for (const p of [o.people.approver, o.people.accountant, o.people.member2]) {
      const page = await p.agent.get(edit);
      assert.equal(page.statusCode, 403, p.role);
      assert.match(page.body, /Only the person who created this draft, or an owner or admin, can edit it/);
      const detail = await p.agent.get(`/o/${o.slug}/invoices/${draft.id}`);
      assert.ok(!detail.body.includes(`href="${edit}"`), `${p.name} sees no Edit link`);
      await p.agent.get(`/o/${o.slug}/invoices/new`);
      const res = await postInvoiceForm(p.agent, edit, form(v.id, { number: 'M-1', amount: '99,999.00' }));
      assert.equal(res.statusCode, 403, p.role);
    }
    assert.deepEqual((await invoicesOf(o.orgId))[0], draft);
    assert.deepEqual(await orgAudit(t, o.orgId, 'invoice.updated'), []);
    let amount = 100;
    for (const p of [member, o.people.admin, o.owner]) {
      assert.ok((await p.agent.get(`/o/${o.slug}/invoices/${draft.id}`)).body.includes(`href="${edit}"`), p.name);
      await p.agent.get(edit);
      amount += 1;
      const res = await postInvoiceForm(p.agent, edit, form(v.id, { number: 'M-1', amount: `${amount}.00` }));
      assert.equal(res.statusCode, 303, p.role);
    }
    assert.equal((await invoicesOf(o.orgId))[0]!.amount_minor, '10300');
    const audit = await orgAudit(t, o.orgId, 'invoice.updated');
    assert.deepEqual(
      audit.map((a) => a.actor_user_id),
      [member.id, o.people.admin.id, o.owner.id],
    );
  });

  it('an invoice number already recorded for the vendor (in another case) is refused next to the field (422); another vendor may use it', async () => {
    const o = await buildOrg(t, { name: 'Invoice Team' });
    const acme = await buildVendor(t, o.orgId, { name: 'Acme GmbH' });
    const globex = await buildVendor(t, o.orgId, { name: 'Globex' });
    await buildInvoice(t, o.orgId, acme.id, { number: 'INV-1' });
    await o.owner.agent.get(`/o/${o.slug}/invoices/new`);
    const dup = await postInvoiceForm(o.owner.agent, `/o/${o.slug}/invoices`, form(acme.id, { number: 'inv-1' }));
    assert.equal(dup.statusCode, 422);
    assert.match(dup.body, /Invoice inv-1 from Acme GmbH is already recorded/);
    assert.match(dup.body, /value="1,234.50"/);
    assert.equal(
      (await postInvoiceForm(o.owner.agent, `/o/${o.slug}/invoices`, form(globex.id, { number: 'inv-1' }))).statusCode,
      303,
    );
    // Renaming a draft onto a recorded number is refused the same way.
    const other = await buildInvoice(t, o.orgId, acme.id, { number: 'INV-2' });
    await o.owner.agent.get(`/o/${o.slug}/invoices/${other.id}/edit`);
    const rename = await postInvoiceForm(
      o.owner.agent,
      `/o/${o.slug}/invoices/${other.id}/edit`,
      form(acme.id, { number: 'Inv-1' }),
    );
    assert.equal(rename.statusCode, 422);
    assert.match(rename.body, /Invoice Inv-1 from Acme GmbH is already recorded/);
    assert.equal((await invoicesOf(o.orgId)).length, 3);
  });

  it('dates: a due date before the issue date, an impossible date or a missing one is refused next to its field (422)', async () => {
    const { o, v } = await ownerOnNewInvoice();
    const cases: [Record<string, string>, RegExp][] = [
      [{ issue_date: '2026-11-10', due_date: '2026-11-09' }, /The due date cannot be before the issue date/],
      [{ issue_date: '2026-02-30' }, /That issue date does not exist/],
      [{ due_date: '' }, /Enter the due date, like 2026-11-01/],
      [{ issue_date: '1989-12-31' }, /after 1 January 1990/],
    ];
    for (const [over, message] of cases) {
      const res = await postInvoiceForm(o.owner.agent, `/o/${o.slug}/invoices`, form(v.id, over));
      assert.equal(res.statusCode, 422, JSON.stringify(over));
      assert.match(res.body, message);
    }
    assert.deepEqual(await invoicesOf(o.orgId), []);
  });

  it('amounts are parsed in the currency’s minor units: junk, zero or too many decimals (JPY has none) are refused (422)', async () => {
    const o = await buildOrg(t, { name: 'Invoice Team' });
    const v = await buildVendor(t, o.orgId);
    const yen = await buildVendor(t, o.orgId, { currency: 'JPY' });
    await o.owner.agent.get(`/o/${o.slug}/invoices/new`);
    const cases: [Record<string, string>, RegExp][] = [
      [{ amount: 'twelve' }, /at most 2 decimals for EUR/],
      [{ amount: '12.345' }, /at most 2 decimals for EUR/],
      [{ amount: '0' }, /more than zero/],
      [{ amount: '-5' }, /at most 2 decimals/],
      [{ amount: '1000.5', currency: 'JPY' }, /JPY has no decimals/],
      [{ category: 'bribes' }, /Choose a category/],
      [{ description: 'x'.repeat(2001) }, /at most 2,000 characters/],
    ];
    for (const [over, message] of cases) {
      const res = await postInvoiceForm(o.owner.agent, `/o/${o.slug}/invoices`, form(v.id, over));
      assert.equal(res.statusCode, 422, JSON.stringify(over));
      assert.match(res.body, message);
    }
    assert.equal(
      (await postInvoiceForm(o.owner.agent, `/o/${o.slug}/invoices`, form(yen.id, { amount: '1,234,567' }))).statusCode,
      303,
    );
    const [inv] = await invoicesOf(o.orgId);
    assert.deepEqual([inv!.amount_minor, inv!.currency], ['1234567', 'JPY']);
  });

  it('a multipart form without the CSRF token is refused (403) and writes nothing', async () => {
    const { o, v } = await ownerOnNewInvoice();
    const res = await postInvoiceForm(
      o.owner.agent,
      `/o/${o.slug}/invoices`,
      form(v.id),
      { name: 'a.pdf', content: PDF },
      { csrf: false },
    );
    assert.equal(res.statusCode, 403);
    await nothingWritten(o.orgId);
  });

  it('creating a draft: recorded by the actor in the vendor’s currency, audited, and sent to the invoice page; the same form twice creates one', async () => {
    const o = await buildOrg(t, { name: 'Invoice Team', roles: ['member'] });
    const member = o.people.member;
    const v = await buildVendor(t, o.orgId, { name: 'Chosen Vendor', currency: 'GBP' });
    const page = await member.agent.get(`/o/${o.slug}/invoices/new?vendor=${v.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, new RegExp(`<option value="${v.id}" selected>Chosen Vendor</option>`));
    assert.match(page.body, /<option value="GBP" selected>/);
    const submission = member.agent.submissionKey!;
    const res = await postInvoiceForm(member.agent, `/o/${o.slug}/invoices`, form(v.id), undefined, { submission });
    assert.equal(res.statusCode, 303);
    const [inv] = await invoicesOf(o.orgId);
    assert.equal(res.headers.location, `/o/${o.slug}/invoices/${inv!.id}`);
    assert.equal(inv!.status, 'draft');
    assert.equal(inv!.created_by, member.id);
    assert.equal(inv!.amount_minor, '123450');
    assert.equal(inv!.currency, 'GBP');
    assert.equal(inv!.attachment_key, null);
    const again = await postInvoiceForm(member.agent, `/o/${o.slug}/invoices`, form(v.id), undefined, { submission });
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, res.headers.location);
    assert.equal((await invoicesOf(o.orgId)).length, 1);
    const audit = await orgAudit(t, o.orgId, 'invoice.%');
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_user_id]),
      [['invoice.created', member.id]],
    );
    assert.equal((audit[0]!.changes as Record<string, unknown>).number, 'INV-1');
  });

  it('a NUL character in a form field is refused with 400, nothing written', async () => {
    const { o, v } = await ownerOnNewInvoice();
    const res = await postInvoiceForm(
      o.owner.agent,
      `/o/${o.slug}/invoices`,
      form(v.id, { description: 'bad\0byte' }),
      {
        name: 'a.pdf',
        content: PDF,
      },
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /NUL character/);
    const plain = await o.owner.agent.post(`/o/${o.slug}/invoices`, form(v.id, { number: 'NUL\0' }));
    assert.equal(plain.statusCode, 400);
    await nothingWritten(o.orgId);
  });

  it('the new-invoice form preselects a vendor from its link; a vendor that is not an id is refused with 400', async () => {
    const o = await buildOrg(t, { name: 'Invoice Team' });
    const v = await buildVendor(t, o.orgId);
    const ok = await o.owner.agent.get(`/o/${o.slug}/invoices/new?vendor=${v.id}`);
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, new RegExp(`<option value="${v.id}" selected`));
    assert.equal((await o.owner.agent.get(`/o/${o.slug}/invoices/new?vendor=`)).statusCode, 200);
    const bad = await o.owner.agent.get(`/o/${o.slug}/invoices/new?vendor=nope`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /vendor: /);
  });
});
