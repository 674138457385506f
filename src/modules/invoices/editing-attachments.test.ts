import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildInvoice, buildOrg, buildVendor, orgAudit } from '../../testing/factories.ts';
import { sanitizeFileName } from './attachments.ts';
import { form, PDF, postInvoiceForm, useEditingApp } from './editing-test-helpers.ts';

const { t, uploadDir, invoicesOf, keptFiles, tmpIsEmpty, nothingWritten, ownerOnNewInvoice } = useEditingApp();

describe('draft invoices: the PDF attached', () => {
  it('a PDF is accepted by its content, kept under UPLOAD_DIR/<org>/<uuid>.pdf and served to members with download headers', async () => {
    const o = await buildOrg(t, { name: 'Invoice Team', roles: ['viewer'] });
    const viewer = o.people.viewer;
    const v = await buildVendor(t, o.orgId);
    await o.owner.agent.get(`/o/${o.slug}/invoices/new`);
    const res = await postInvoiceForm(o.owner.agent, `/o/${o.slug}/invoices`, form(v.id), {
      name: 'Rechnung März: 2026?.PDF',
      content: PDF,
      type: 'application/octet-stream',
    });
    assert.equal(res.statusCode, 303);
    const [inv] = await invoicesOf(o.orgId);
    assert.match(inv!.attachment_key!, new RegExp(`^${o.orgId}/[0-9a-f-]{36}\\.pdf$`));
    assert.equal(inv!.attachment_name, 'Rechnung März 2026.PDF');
    assert.equal(inv!.attachment_size, PDF.length);
    assert.deepEqual(readFileSync(path.join(uploadDir, inv!.attachment_key!)), PDF);
    await tmpIsEmpty();
    const dl = await viewer.agent.get(`/o/${o.slug}/invoices/${inv!.id}/attachment`);
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.headers['content-type'], 'application/pdf');
    assert.equal(
      dl.headers['content-disposition'],
      `attachment; filename="Rechnung M_rz 2026.PDF"; filename*=UTF-8''Rechnung%20M%C3%A4rz%202026.PDF`,
    );
    assert.equal(dl.headers['x-content-type-options'], 'nosniff');
    assert.equal(dl.headers['cache-control'], 'private, no-store');
    assert.deepEqual(dl.rawPayload, PDF);
    const read = await orgAudit(t, o.orgId, 'invoice.attachment_downloaded');
    assert.equal(read.length, 1, 'the download is recorded: who took the PDF');
    assert.equal(read[0]!.actor_user_id, viewer.id);
    assert.equal(sanitizeFileName('..\\..\\evil"name.exe'), 'evilname.exe.pdf');
    assert.equal(sanitizeFileName(''), 'invoice.pdf');
  });

  it('a file that is not a PDF (an .exe renamed .pdf) is refused (422) with the rest of the form kept, nothing stored', async () => {
    const { o, v } = await ownerOnNewInvoice();
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00'), randomBytes(4096)]);
    const res = await postInvoiceForm(o.owner.agent, `/o/${o.slug}/invoices`, form(v.id, { number: 'KEEP-ME' }), {
      name: 'invoice.pdf',
      content: exe,
      type: 'application/pdf',
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That file is not a PDF/);
    assert.match(res.body, /value="KEEP-ME"/);
    await nothingWritten(o.orgId);
  });

  it('a file over 10 MB is refused with a clear message (422), nothing written', async () => {
    const { o, v } = await ownerOnNewInvoice();
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)]);
    const res = await postInvoiceForm(o.owner.agent, `/o/${o.slug}/invoices`, form(v.id), {
      name: 'huge.pdf',
      content: big,
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That file is larger than 10 MB/);
    await nothingWritten(o.orgId);
  });

  it('an invoice without a PDF answers 404 for its attachment', async () => {
    const o = await buildOrg(t, { name: 'Invoice Team' });
    const v = await buildVendor(t, o.orgId);
    const inv = await buildInvoice(t, o.orgId, v.id);
    const res = await o.owner.agent.get(`/o/${o.slug}/invoices/${inv.id}/attachment`);
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /no PDF attached/);
  });

  it('editing a draft audits each changed field with old and new value; a new PDF replaces the old file', async () => {
    const { o, v } = await ownerOnNewInvoice();
    await postInvoiceForm(o.owner.agent, `/o/${o.slug}/invoices`, form(v.id), { name: 'first.pdf', content: PDF });
    const [before] = await invoicesOf(o.orgId);
    const edit = await o.owner.agent.get(`/o/${o.slug}/invoices/${before!.id}/edit`);
    assert.match(edit.body, /value="1234.50"/);
    assert.match(edit.body, /first\.pdf/);
    const second = Buffer.concat([Buffer.from('%PDF-1.5\n'), randomBytes(100)]);
    const res = await postInvoiceForm(
      o.owner.agent,
      `/o/${o.slug}/invoices/${before!.id}/edit`,
      form(v.id, { amount: '99', due_date: '2026-12-15' }),
      { name: 'second.pdf', content: second },
    );
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/o/${o.slug}/invoices/${before!.id}`);
    const [after] = await invoicesOf(o.orgId);
    assert.equal(after!.amount_minor, '9900');
    assert.equal(after!.attachment_name, 'second.pdf');
    assert.ok(!existsSync(path.join(uploadDir, before!.attachment_key!)), 'the old file is deleted');
    assert.deepEqual(readFileSync(path.join(uploadDir, after!.attachment_key!)), second);
    assert.deepEqual(keptFiles(o.orgId), [path.basename(after!.attachment_key!)]);
    const [audit] = await orgAudit(t, o.orgId, 'invoice.updated');
    assert.deepEqual(audit!.changes, {
      number: 'INV-1',
      amount_minor: { from: '123450', to: '9900' },
      due_date: { from: '2026-11-30', to: '2026-12-15' },
      attachment: { from: 'first.pdf', to: 'second.pdf' },
    });
    // Saving without a file keeps the PDF; saving unchanged changes nothing.
    await o.owner.agent.get(`/o/${o.slug}/invoices/${before!.id}/edit`);
    assert.equal(
      (
        await postInvoiceForm(
          o.owner.agent,
          `/o/${o.slug}/invoices/${before!.id}/edit`,
          form(v.id, { amount: '99', due_date: '2026-12-15' }),
        )
      ).statusCode,
      303,
    );
    assert.equal((await invoicesOf(o.orgId))[0]!.attachment_key, after!.attachment_key);
    assert.equal((await orgAudit(t, o.orgId, 'invoice.updated')).length, 1);
  });

  it('a malformed multipart body (no boundary, or cut off mid-part) is refused with 400 and a clear message, nothing written', async () => {
    const o = await buildOrg(t, { name: 'Invoice Team' });
    const v = await buildVendor(t, o.orgId);
    const draft = await buildInvoice(t, o.orgId, v.id, { number: 'DRAFT-1' });
    await o.owner.agent.get(`/o/${o.slug}/invoices/new`);
    const boundary = '----lwcut';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${o.owner.agent.csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="number"\r\n\r\nCUT-1\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    for (const url of [`/o/${o.slug}/invoices`, `/o/${o.slug}/invoices/${draft.id}/edit`]) {
      const noBoundary = await o.owner.agent.request({
        method: 'POST',
        url,
        payload: head,
        headers: { 'content-type': 'multipart/form-data' },
      });
      assert.equal(noBoundary.statusCode, 400, `${url}: no boundary`);
      assert.match(noBoundary.body, /The upload could not be read/);
      // The body stops in the middle of the file part: no closing boundary.
      const truncated = await o.owner.agent.request({
        method: 'POST',
        url,
        payload: Buffer.concat([head, PDF.subarray(0, 1000)]),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      assert.equal(truncated.statusCode, 400, `${url}: truncated`);
      assert.match(truncated.body, /The upload could not be read/);
    }
    const invoices = await invoicesOf(o.orgId);
    assert.deepEqual(
      invoices.map((i) => [i.number, i.attachment_key]),
      [['DRAFT-1', null]],
    );
    assert.deepEqual(keptFiles(o.orgId), []);
    await tmpIsEmpty();
  });
});
