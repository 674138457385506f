import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { eventually, signUp, useTestApp, type Agent } from '../../testing/harness.ts';
import { sanitizeFileName } from './attachments.ts';
import { buildInvoice, buildVendor } from '../../testing/factories.ts';

const uploadDir = mkdtempSync(path.join(tmpdir(), 'lw-uploads-'));
const t = useTestApp({ UPLOAD_DIR: uploadDir });

const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n'),
  randomBytes(2048),
  Buffer.from('\n%%EOF\n'),
]);

async function idOf(email: string): Promise<string> {
  return (await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

async function org(name = 'Invoice Team') {
  const owner = await signUp(t.app, { org: name });
  const orgId = (
    await t.owner.selectFrom('organizations').select('id').where('slug', '=', owner.slug).executeTakeFirstOrThrow()
  ).id;
  return { agent: owner.agent, slug: owner.slug, orgId, userId: await idOf(owner.email) };
}

async function person(orgId: string, role: 'member' | 'viewer') {
  const p = await signUp(t.app);
  const id = await idOf(p.email);
  await t.owner.insertInto('memberships').values({ org_id: orgId, user_id: id, role }).execute();
  return { agent: p.agent, id };
}

type File = { name: string; content: Buffer; type?: string };

/** Posts a form as multipart/form-data, the way the invoice form's browser does. */
function postMultipart(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file?: File,
  opts: { csrf?: boolean; submission?: string } = {},
) {
  const boundary = `----lw${randomBytes(8).toString('hex')}`;
  const all: Record<string, string> = { ...fields };
  if (opts.csrf !== false && agent.csrf) all._csrf = agent.csrf;
  if (opts.submission) all._submission = opts.submission;
  const parts: Buffer[] = Object.entries(all).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return agent.request({
    method: 'POST',
    url,
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

function form(vendorId: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    vendor_id: vendorId,
    number: 'INV-1',
    issue_date: '2026-11-01',
    due_date: '2026-11-30',
    amount: '1,234.50',
    currency: '',
    description: 'Licences for November',
    category: 'software',
    ...over,
  };
}

async function invoicesOf(orgId: string) {
  return t.owner.selectFrom('invoices').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
}

/** The files kept for an org (the temporary folder is checked apart). */
function keptFiles(orgId: string): string[] {
  const dir = path.join(uploadDir, orgId);
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function tmpIsEmpty() {
  const dir = path.join(uploadDir, 'tmp');
  await eventually(async () => !existsSync(dir) || readdirSync(dir).length === 0, 5000, 'temporary uploads removed');
}

describe('draft invoices: create and edit', () => {
  it('invoice.create: a viewer cannot open the invoice form nor create or edit an invoice (403), nothing written', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    const draft = await buildInvoice(t, o.orgId, v.id, { number: 'D-1' });
    const viewer = await person(o.orgId, 'viewer');
    assert.equal((await viewer.agent.get(`/o/${o.slug}/invoices/new`)).statusCode, 403);
    assert.equal((await viewer.agent.get(`/o/${o.slug}/invoices/${draft.id}/edit`)).statusCode, 403);
    assert.equal(
      (await postMultipart(viewer.agent, `/o/${o.slug}/invoices`, form(v.id), { name: 'a.pdf', content: PDF }))
        .statusCode,
      403,
    );
    assert.equal(
      (await postMultipart(viewer.agent, `/o/${o.slug}/invoices/${draft.id}/edit`, form(v.id, { number: 'D-2' })))
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
    const mine = await org();
    const theirs = await org('Their Invoice Org');
    const tv = await buildVendor(t, theirs.orgId, { name: 'Their Hidden Vendor' });
    await theirs.agent.get(`/o/${theirs.slug}/invoices/new`);
    const created = await postMultipart(
      theirs.agent,
      `/o/${theirs.slug}/invoices`,
      form(tv.id, { number: 'SECRET-9' }),
      { name: 'secret.pdf', content: PDF },
    );
    assert.equal(created.statusCode, 303);
    const [inv] = await invoicesOf(theirs.orgId);
    await mine.agent.get(`/o/${mine.slug}/invoices/new`);
    for (const res of [
      await mine.agent.get(`/o/${mine.slug}/invoices/${inv!.id}/edit`),
      await mine.agent.get(`/o/${mine.slug}/invoices/${inv!.id}/attachment`),
      await postMultipart(mine.agent, `/o/${mine.slug}/invoices/${inv!.id}/edit`, form(tv.id, { number: 'STOLEN' })),
      await postMultipart(mine.agent, `/o/${mine.slug}/invoices`, form(tv.id, { number: 'CROSS-1' })),
    ]) {
      assert.ok([404, 422].includes(res.statusCode), String(res.statusCode));
      assert.doesNotMatch(res.body, /SECRET-9|Their Hidden Vendor|%PDF/);
    }
    assert.equal((await mine.agent.get(`/o/${mine.slug}/invoices/${inv!.id}/attachment`)).statusCode, 404);
    assert.equal((await mine.agent.get(`/o/${mine.slug}/invoices/${inv!.id}/edit`)).statusCode, 404);
    assert.deepEqual(
      (await invoicesOf(theirs.orgId)).map((i) => i.number),
      ['SECRET-9'],
    );
    assert.deepEqual(await invoicesOf(mine.orgId), []);
  });

  it('only drafts can be edited: a submitted invoice answers 409 with a clear message and stays as it was', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    const inv = await buildInvoice(t, o.orgId, v.id, { status: 'submitted', number: 'S-1', createdBy: o.userId });
    const page = await o.agent.get(`/o/${o.slug}/invoices/${inv.id}/edit`);
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /Invoice S-1 is submitted: only drafts can be edited/);
    await o.agent.get(`/o/${o.slug}/invoices/new`);
    const res = await postMultipart(
      o.agent,
      `/o/${o.slug}/invoices/${inv.id}/edit`,
      form(v.id, { number: 'S-1', amount: '1.00' }),
    );
    assert.equal(res.statusCode, 409);
    assert.deepEqual((await invoicesOf(o.orgId))[0], inv);
  });

  it('an invoice number already recorded for the vendor (in another case) is refused next to the field (422); another vendor may use it', async () => {
    const o = await org();
    const acme = await buildVendor(t, o.orgId, { name: 'Acme GmbH' });
    const globex = await buildVendor(t, o.orgId, { name: 'Globex' });
    await buildInvoice(t, o.orgId, acme.id, { number: 'INV-1' });
    await o.agent.get(`/o/${o.slug}/invoices/new`);
    const dup = await postMultipart(o.agent, `/o/${o.slug}/invoices`, form(acme.id, { number: 'inv-1' }));
    assert.equal(dup.statusCode, 422);
    assert.match(dup.body, /Invoice inv-1 from Acme GmbH is already recorded/);
    assert.match(dup.body, /value="1,234.50"/);
    assert.equal(
      (await postMultipart(o.agent, `/o/${o.slug}/invoices`, form(globex.id, { number: 'inv-1' }))).statusCode,
      303,
    );
    // Renaming a draft onto a recorded number is refused the same way.
    const other = await buildInvoice(t, o.orgId, acme.id, { number: 'INV-2' });
    await o.agent.get(`/o/${o.slug}/invoices/${other.id}/edit`);
    const rename = await postMultipart(
      o.agent,
      `/o/${o.slug}/invoices/${other.id}/edit`,
      form(acme.id, { number: 'Inv-1' }),
    );
    assert.equal(rename.statusCode, 422);
    assert.match(rename.body, /Invoice Inv-1 from Acme GmbH is already recorded/);
    assert.equal((await invoicesOf(o.orgId)).length, 3);
  });

  it('dates: a due date before the issue date, an impossible date or a missing one is refused next to its field (422)', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    await o.agent.get(`/o/${o.slug}/invoices/new`);
    const cases: [Record<string, string>, RegExp][] = [
      [{ issue_date: '2026-11-10', due_date: '2026-11-09' }, /The due date cannot be before the issue date/],
      [{ issue_date: '2026-02-30' }, /That issue date does not exist/],
      [{ due_date: '' }, /Enter the due date, like 2026-11-01/],
      [{ issue_date: '1989-12-31' }, /after 1 January 1990/],
    ];
    for (const [over, message] of cases) {
      const res = await postMultipart(o.agent, `/o/${o.slug}/invoices`, form(v.id, over));
      assert.equal(res.statusCode, 422, JSON.stringify(over));
      assert.match(res.body, message);
    }
    assert.deepEqual(await invoicesOf(o.orgId), []);
  });

  it('amounts are parsed in the currency’s minor units: junk, zero or too many decimals (JPY has none) are refused (422)', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    const yen = await buildVendor(t, o.orgId, { currency: 'JPY' });
    await o.agent.get(`/o/${o.slug}/invoices/new`);
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
      const res = await postMultipart(o.agent, `/o/${o.slug}/invoices`, form(v.id, over));
      assert.equal(res.statusCode, 422, JSON.stringify(over));
      assert.match(res.body, message);
    }
    assert.equal(
      (await postMultipart(o.agent, `/o/${o.slug}/invoices`, form(yen.id, { amount: '1,234,567' }))).statusCode,
      303,
    );
    const [inv] = await invoicesOf(o.orgId);
    assert.deepEqual([inv!.amount_minor, inv!.currency], ['1234567', 'JPY']);
  });

  it('a multipart form without the CSRF token is refused (403) and writes nothing', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    await o.agent.get(`/o/${o.slug}/invoices/new`);
    const res = await postMultipart(
      o.agent,
      `/o/${o.slug}/invoices`,
      form(v.id),
      { name: 'a.pdf', content: PDF },
      { csrf: false },
    );
    assert.equal(res.statusCode, 403);
    assert.deepEqual(await invoicesOf(o.orgId), []);
    assert.deepEqual(keptFiles(o.orgId), []);
    await tmpIsEmpty();
  });

  it('creating a draft: recorded by the actor in the vendor’s currency, audited, and sent to the invoice page; the same form twice creates one', async () => {
    const o = await org();
    const member = await person(o.orgId, 'member');
    const v = await buildVendor(t, o.orgId, { name: 'Chosen Vendor', currency: 'GBP' });
    const page = await member.agent.get(`/o/${o.slug}/invoices/new?vendor=${v.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, new RegExp(`<option value="${v.id}" selected>Chosen Vendor</option>`));
    assert.match(page.body, /<option value="GBP" selected>/);
    const submission = member.agent.submissionKey!;
    const res = await postMultipart(member.agent, `/o/${o.slug}/invoices`, form(v.id), undefined, { submission });
    assert.equal(res.statusCode, 303);
    const [inv] = await invoicesOf(o.orgId);
    assert.equal(res.headers.location, `/o/${o.slug}/invoices/${inv!.id}`);
    assert.equal(inv!.status, 'draft');
    assert.equal(inv!.created_by, member.id);
    assert.equal(inv!.amount_minor, '123450');
    assert.equal(inv!.currency, 'GBP');
    assert.equal(inv!.attachment_key, null);
    const again = await postMultipart(member.agent, `/o/${o.slug}/invoices`, form(v.id), undefined, { submission });
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, res.headers.location);
    assert.equal((await invoicesOf(o.orgId)).length, 1);
    const audit = await t.owner
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'changes'])
      .where('org_id', '=', o.orgId)
      .where('action', 'like', 'invoice.%')
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_user_id]),
      [['invoice.created', member.id]],
    );
    assert.equal((audit[0]!.changes as Record<string, unknown>).number, 'INV-1');
  });

  it('a PDF is accepted by its content, kept under UPLOAD_DIR/<org>/<uuid>.pdf and served to members with download headers', async () => {
    const o = await org();
    const viewer = await person(o.orgId, 'viewer');
    const v = await buildVendor(t, o.orgId);
    await o.agent.get(`/o/${o.slug}/invoices/new`);
    const res = await postMultipart(o.agent, `/o/${o.slug}/invoices`, form(v.id), {
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
    assert.equal(sanitizeFileName('..\\..\\evil"name.exe'), 'evilname.exe.pdf');
    assert.equal(sanitizeFileName(''), 'invoice.pdf');
  });

  it('a file that is not a PDF (an .exe renamed .pdf) is refused (422) with the rest of the form kept, nothing stored', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    await o.agent.get(`/o/${o.slug}/invoices/new`);
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00'), randomBytes(4096)]);
    const res = await postMultipart(o.agent, `/o/${o.slug}/invoices`, form(v.id, { number: 'KEEP-ME' }), {
      name: 'invoice.pdf',
      content: exe,
      type: 'application/pdf',
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That file is not a PDF/);
    assert.match(res.body, /value="KEEP-ME"/);
    assert.deepEqual(await invoicesOf(o.orgId), []);
    assert.deepEqual(keptFiles(o.orgId), []);
    await tmpIsEmpty();
  });

  it('a file over 10 MB is refused with a clear message (422), nothing written', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    await o.agent.get(`/o/${o.slug}/invoices/new`);
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)]);
    const res = await postMultipart(o.agent, `/o/${o.slug}/invoices`, form(v.id), { name: 'huge.pdf', content: big });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That file is larger than 10 MB/);
    assert.deepEqual(await invoicesOf(o.orgId), []);
    assert.deepEqual(keptFiles(o.orgId), []);
    await tmpIsEmpty();
  });

  it('an invoice without a PDF answers 404 for its attachment', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    const inv = await buildInvoice(t, o.orgId, v.id);
    const res = await o.agent.get(`/o/${o.slug}/invoices/${inv.id}/attachment`);
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /no PDF attached/);
  });

  it('editing a draft audits each changed field with old and new value; a new PDF replaces the old file', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    await o.agent.get(`/o/${o.slug}/invoices/new`);
    await postMultipart(o.agent, `/o/${o.slug}/invoices`, form(v.id), { name: 'first.pdf', content: PDF });
    const [before] = await invoicesOf(o.orgId);
    const edit = await o.agent.get(`/o/${o.slug}/invoices/${before!.id}/edit`);
    assert.match(edit.body, /value="1234.50"/);
    assert.match(edit.body, /first\.pdf/);
    const second = Buffer.concat([Buffer.from('%PDF-1.5\n'), randomBytes(100)]);
    const res = await postMultipart(
      o.agent,
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
    const [audit] = await t.owner
      .selectFrom('audit_log')
      .select('changes')
      .where('org_id', '=', o.orgId)
      .where('action', '=', 'invoice.updated')
      .execute();
    assert.deepEqual(audit!.changes, {
      number: 'INV-1',
      amount_minor: { from: '123450', to: '9900' },
      due_date: { from: '2026-11-30', to: '2026-12-15' },
      attachment: { from: 'first.pdf', to: 'second.pdf' },
    });
    // Saving without a file keeps the PDF; saving unchanged changes nothing.
    await o.agent.get(`/o/${o.slug}/invoices/${before!.id}/edit`);
    assert.equal(
      (
        await postMultipart(
          o.agent,
          `/o/${o.slug}/invoices/${before!.id}/edit`,
          form(v.id, { amount: '99', due_date: '2026-12-15' }),
        )
      ).statusCode,
      303,
    );
    assert.equal((await invoicesOf(o.orgId))[0]!.attachment_key, after!.attachment_key);
    assert.equal(
      (
        await t.owner
          .selectFrom('audit_log')
          .select('id')
          .where('org_id', '=', o.orgId)
          .where('action', '=', 'invoice.updated')
          .execute()
      ).length,
      1,
    );
  });

  it('a NUL character in a form field is refused with 400, nothing written', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    await o.agent.get(`/o/${o.slug}/invoices/new`);
    const res = await postMultipart(o.agent, `/o/${o.slug}/invoices`, form(v.id, { description: 'bad\0byte' }), {
      name: 'a.pdf',
      content: PDF,
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /NUL character/);
    const plain = await o.agent.post(`/o/${o.slug}/invoices`, form(v.id, { number: 'NUL\0' }));
    assert.equal(plain.statusCode, 400);
    assert.deepEqual(await invoicesOf(o.orgId), []);
    assert.deepEqual(keptFiles(o.orgId), []);
    await tmpIsEmpty();
  });

  it('a malformed multipart body (no boundary, or cut off mid-part) is refused with 400 and a clear message, nothing written', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    const draft = await buildInvoice(t, o.orgId, v.id, { number: 'DRAFT-1' });
    await o.agent.get(`/o/${o.slug}/invoices/new`);
    const boundary = '----lwcut';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${o.agent.csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="number"\r\n\r\nCUT-1\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    for (const url of [`/o/${o.slug}/invoices`, `/o/${o.slug}/invoices/${draft.id}/edit`]) {
      const noBoundary = await o.agent.request({
        method: 'POST',
        url,
        payload: head,
        headers: { 'content-type': 'multipart/form-data' },
      });
      assert.equal(noBoundary.statusCode, 400, `${url}: no boundary`);
      assert.match(noBoundary.body, /The upload could not be read/);
      // The body stops in the middle of the file part: no closing boundary.
      const truncated = await o.agent.request({
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

  it('the new-invoice form preselects a vendor from its link; a vendor that is not an id is refused with 400', async () => {
    const o = await org();
    const v = await buildVendor(t, o.orgId);
    const ok = await o.agent.get(`/o/${o.slug}/invoices/new?vendor=${v.id}`);
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, new RegExp(`<option value="${v.id}" selected`));
    assert.equal((await o.agent.get(`/o/${o.slug}/invoices/new?vendor=`)).statusCode, 200);
    const bad = await o.agent.get(`/o/${o.slug}/invoices/new?vendor=nope`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /vendor: /);
  });
});
