import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { eventually, useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildOrg, buildVendor, type BuiltOrg } from '../../testing/factories.ts';
import { importFilePath } from './files.ts';
import { NOT_TEXT } from './reader.ts';
import { importRow, postMultipart, upload, waitForStatus } from './test-helpers.ts';

const uploadDir = mkdtempSync(path.join(tmpdir(), 'lw-imports-'));
const t = useTestApp({ UPLOAD_DIR: uploadDir });

const HEADER = 'vendor_tax_id,number,issue_date,due_date,amount,currency,category,description';

let o: BuiltOrg<'viewer' | 'member' | 'approver' | 'accountant'>;
let taxId: string;
let vendorId: string;

async function invoices(orgId: string) {
  return t.owner.selectFrom('invoices').selectAll().where('org_id', '=', orgId).orderBy('number').execute();
}

async function importCount(): Promise<number> {
  return (await t.owner.selectFrom('imports').select('id').where('org_id', '=', o.orgId).execute()).length;
}

async function rejections(orgId: string, importId: string) {
  return t.owner
    .selectFrom('import_rejections')
    .select(['line', 'reason'])
    .where('org_id', '=', orgId)
    .where('import_id', '=', importId)
    .orderBy('line')
    .execute();
}

async function checked(content: string | Buffer, opts: Parameters<typeof upload>[3] = {}) {
  const id = await upload(o.owner.agent, o.slug, content, opts);
  return { id, row: await waitForStatus(t, o.orgId, id, ['checked', 'failed']) };
}

async function apply(id: string, mode: 'valid_rows' | 'all_or_nothing') {
  await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
  return o.owner.agent.post(`/o/${o.slug}/imports/${id}/apply`, { mode });
}

describe('CSV imports', () => {
  before(async () => {
    o = await buildOrg(t, { name: 'Import Team', roles: ['viewer', 'member', 'approver', 'accountant'] });
    const v = await buildVendor(t, o.orgId, { name: 'Acme Supplies' });
    taxId = v.tax_id;
    vendorId = v.id;
    await t.startWorker();
  });

  it('a viewer or a member gets 403 on the import pages and the upload, and sees no Import in the navigation', async () => {
    for (const role of ['viewer', 'member', 'approver'] as const) {
      const p = o.people[role];
      const home = await p.agent.get(`/o/${o.slug}`);
      assert.ok(!home.body.includes(`href="/o/${o.slug}/imports"`), `${role} sees no Import entry`);
      assert.equal((await p.agent.get(`/o/${o.slug}/imports`)).statusCode, 403);
      const res = await postMultipart(
        p.agent,
        `/o/${o.slug}/imports`,
        { kind: 'invoices', encoding: 'auto', delimiter: 'auto' },
        { name: 'x.csv', content: Buffer.from(`${HEADER}\n`) },
      );
      assert.equal(res.statusCode, 403, role);
    }
    const accountant = o.people.accountant;
    const home = await accountant.agent.get(`/o/${o.slug}`);
    assert.ok(home.body.includes(`href="/o/${o.slug}/imports"`), 'an accountant sees Import');
    assert.equal((await t.owner.selectFrom('imports').select('id').where('org_id', '=', o.orgId).execute()).length, 0);
  });

  it('a member of another org gets 404 for an import id it guessed', async () => {
    const { id } = await checked(`${HEADER}\n${taxId},GUESS-1,2026-11-01,2026-12-01,10.00,EUR,software,\n`);
    const other = await buildOrg(t, { name: 'Other Org' });
    for (const suffix of ['', '/progress', '/rejections.csv'])
      assert.equal((await other.owner.agent.get(`/o/${other.slug}/imports/${id}${suffix}`)).statusCode, 404);
    await other.owner.agent.get(`/o/${other.slug}/imports`);
    assert.equal(
      (await other.owner.agent.post(`/o/${other.slug}/imports/${id}/apply`, { mode: 'valid_rows' })).statusCode,
      404,
    );
  });

  it('a comma file with a BOM, CRLF line ends and a quoted newline is checked, then imported as drafts by the importer with one audit entry', async () => {
    const csv = `\uFEFF${HEADER}\r\n${taxId},BOM-1,2026-11-01,2026-12-01,"1,234.50",EUR,software,"two\r\nlines"\r\n${taxId},BOM-2,01/11/2026,15.12.2026,99,eur,Office,\r\n`;
    const { id, row } = await checked(csv);
    assert.equal(row.status, 'checked', row.error ?? '');
    assert.deepEqual(
      [row.total_rows, row.valid_rows, row.rejected_rows, row.delimiter, row.encoding],
      [2, 2, 0, ',', 'utf-8'],
    );
    assert.equal(
      (await invoices(o.orgId)).filter((i) => i.number.startsWith('BOM-')).length,
      0,
      'the check writes no invoice',
    );
    const page = await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    assert.ok(!page.body.includes('hx-trigger'), 'a finished check does not poll');
    assert.equal((await apply(id, 'all_or_nothing')).statusCode, 303);
    const done = await waitForStatus(t, o.orgId, id, ['imported', 'failed']);
    assert.equal(done.status, 'imported', done.error ?? '');
    assert.deepEqual([done.created_rows, done.skipped_existing], [2, 0]);
    const made = (await invoices(o.orgId)).filter((i) => i.number.startsWith('BOM-'));
    assert.deepEqual(
      made.map((i) => [
        i.number,
        i.amount_minor,
        i.issue_date,
        i.due_date,
        i.category,
        i.description,
        i.status,
        i.created_by,
        i.vendor_id,
      ]),
      [
        ['BOM-1', '123450', '2026-11-01', '2026-12-01', 'software', 'two\nlines', 'draft', o.owner.id, vendorId],
        ['BOM-2', '9900', '2026-11-01', '2026-12-15', 'office', '', 'draft', o.owner.id, vendorId],
      ].map(([n, a, i, d, c, desc, s, u, v]) => [n, a, i, d, c, desc, s, u, v]),
    );
    const audit = await t.owner
      .selectFrom('audit_log')
      .selectAll()
      .where('org_id', '=', o.orgId)
      .where('action', '=', 'import.completed')
      .where('target_id', '=', id)
      .execute();
    assert.equal(audit.length, 1);
    assert.deepEqual((audit[0]!.changes as { created: number }).created, 2);
  });

  it('a semicolon file takes amounts like 1.234,56 and DD.MM.YYYY dates', async () => {
    const csv = `${HEADER.replaceAll(',', ';')}\n${taxId};SEMI-1;01.11.2026;30.11.2026;1.234,56;EUR;services;Beratung\n`;
    const { id, row } = await checked(csv);
    assert.equal(row.delimiter, ';');
    assert.equal(row.valid_rows, 1, row.error ?? '');
    await apply(id, 'valid_rows');
    await waitForStatus(t, o.orgId, id, ['imported']);
    const inv = (await invoices(o.orgId)).find((i) => i.number === 'SEMI-1');
    assert.equal(inv?.amount_minor, '123456');
  });

  it('a Latin-1 (Windows-1252) file is recognized and its accents kept', async () => {
    // Latin-1 letters, and 0x80, which Windows-1252 (what "Latin-1" exports really are) reads as €.
    const csv = Buffer.concat([
      Buffer.from(`${HEADER}\n${taxId},LAT-1,2026-11-01,2026-12-01,10.00,EUR,services,Müller & Söhne Büro `, 'latin1'),
      Buffer.from([0x80, 0x0a]),
    ]);
    const { id, row } = await checked(csv);
    assert.equal(row.encoding, 'windows-1252');
    await apply(id, 'valid_rows');
    await waitForStatus(t, o.orgId, id, ['imported']);
    assert.equal((await invoices(o.orgId)).find((i) => i.number === 'LAT-1')?.description, 'Müller & Söhne Büro €');
  });

  it('an empty file, a header-only file, a binary file renamed .csv and wrong columns fail with a clear message', async () => {
    const cases: [string | Buffer, RegExp][] = [
      ['', /This file is empty/],
      ['\uFEFF\r\n\r\n', /This file is empty/],
      [`${HEADER}\r\n`, /header row but no rows/],
      [
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]),
        new RegExp(NOT_TEXT.slice(0, 30)),
      ],
      [
        'number;amount;currency\nX-1;10;EUR\n',
        /missing the columns vendor_tax_id, issue_date, due_date, category\. An invoice file has these columns: vendor_tax_id, number/,
      ],
    ];
    for (const [content, message] of cases) {
      const { id, row } = await checked(content);
      assert.equal(row.status, 'failed');
      assert.match(row.error ?? '', message);
      const page = await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
      assert.equal(page.statusCode, 200);
      assert.ok(!page.body.includes('hx-trigger'));
      assert.ok(
        !page.body.includes('Try again'),
        'a broken file is fixed by a new upload, not by running the check again',
      );
      assert.match(page.body, /Upload a corrected file/);
    }
  });

  it('each bad row is rejected with its line and reason; all or nothing is refused, the valid rows import; the rejected rows download as CSV with formulas neutralized', async () => {
    await buildInvoice(t, o.orgId, vendorId, { number: 'OLD-1' });
    const csv = [
      HEADER,
      `${taxId},MIX-1,2026-11-01,2026-12-01,10.00,EUR,software,fine`,
      `${taxId},MIX-2,2026-13-01,2026-12-01,10.00,EUR,software,bad date`,
      `${taxId},MIX-3,2026-11-01,2026-12-01,ten,EUR,software,bad amount`,
      `${taxId},MIX-4,2026-11-01,2026-12-01,10.00,XYZ,software,unknown currency`,
      `NOPE-999,MIX-5,2026-11-01,2026-12-01,10.00,EUR,software,"=HYPERLINK(""http://evil"")"`,
      `${taxId},mix-1,2026-11-01,2026-12-01,10.00,EUR,software,duplicate in file`,
      `${taxId},old-1,2026-11-01,2026-12-01,10.00,EUR,software,duplicate of existing`,
      `${taxId},MIX-8,2026-11-01,2026-12-01,10.00,EUR,software,"multi`,
      `line",extra column`,
      `${taxId},MIX-9,2026-11-01,2026-12-01,10.001,EUR,software,too many decimals`,
      `${taxId},MIX-10,2026-11-01,2026-12-01,10.00,EUR,software,broken "quote" here`,
    ].join('\n');
    const { id, row } = await checked(csv);
    assert.equal(row.status, 'checked', row.error ?? '');
    assert.deepEqual([row.total_rows, row.valid_rows, row.rejected_rows], [10, 1, 9]);
    const rej = await rejections(o.orgId, id);
    assert.deepEqual(
      rej.map((r) => r.line),
      [3, 4, 5, 6, 7, 8, 9, 11, 12],
    );
    const reason = (line: number) => rej.find((r) => r.line === line)?.reason ?? '';
    assert.match(reason(3), /issue_date "2026-13-01" is not a date/);
    assert.match(reason(4), /amount "ten" is not an amount/);
    assert.match(reason(5), /unknown currency XYZ/);
    assert.match(reason(6), /no vendor has the tax id NOPE-999/);
    assert.match(reason(7), /in the file twice/);
    assert.match(reason(8), /already exists/);
    assert.match(reason(9), /This line has 9 columns; the header has 8/);
    assert.match(reason(11), /at most 2 decimals/);
    assert.match(reason(12), /quote|not valid CSV/);

    const page = await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    assert.match(page.body, /Rejected rows \(9\)/);
    assert.match(page.body, /no vendor has the tax id NOPE-999/);

    const res = await apply(id, 'all_or_nothing');
    assert.equal(res.statusCode, 303);
    assert.match(
      (await o.owner.agent.get(`/o/${o.slug}/imports/${id}`)).body,
      /All or nothing was refused: 9 rows have problems/,
    );
    assert.equal((await importRow(t, o.orgId, id)).status, 'checked');

    const csvRes = await o.owner.agent.get(`/o/${o.slug}/imports/${id}/rejections.csv`);
    assert.equal(csvRes.statusCode, 200);
    assert.match(String(csvRes.headers['content-type']), /text\/csv/);
    const records: string[][] = parse(csvRes.body, { bom: true });
    assert.deepEqual(records[0], [...HEADER.split(','), 'line', 'reason']);
    assert.equal(records.length, 10);
    const evil = records.find((r) => r[0] === 'NOPE-999')!;
    assert.equal(evil[7], `'=HYPERLINK("http://evil")`);
    assert.equal(evil[8], '6');

    await apply(id, 'valid_rows');
    const done = await waitForStatus(t, o.orgId, id, ['imported', 'failed']);
    assert.deepEqual([done.status, done.created_rows, done.skipped_existing], ['imported', 1, 0]);
    assert.deepEqual(
      (await invoices(o.orgId)).filter((i) => /^MIX-/i.test(i.number)).map((i) => i.number),
      ['MIX-1'],
    );
  });

  it('importing the same file twice creates nothing new: a second check rejects every row as existing, and a second import counts them as skipped', async () => {
    const csv = `${HEADER}\n${taxId},TWICE-1,2026-11-01,2026-12-01,10.00,EUR,software,\n${taxId},TWICE-2,2026-11-01,2026-12-01,20.00,EUR,software,\n`;
    const a = await checked(csv);
    const b = await checked(csv); // checked before the first is imported
    await apply(a.id, 'valid_rows');
    await waitForStatus(t, o.orgId, a.id, ['imported']);
    await apply(b.id, 'valid_rows');
    const second = await waitForStatus(t, o.orgId, b.id, ['imported', 'failed']);
    assert.deepEqual([second.status, second.created_rows, second.skipped_existing], ['imported', 0, 2]);
    const c = await checked(csv);
    assert.deepEqual([c.row.valid_rows, c.row.rejected_rows], [0, 2]);
    assert.equal((await invoices(o.orgId)).filter((i) => i.number.startsWith('TWICE-')).length, 2);
  });

  it('a check that failed for good shows its error and a "Try again" button that runs it again; a viewer may not', async () => {
    const csv = `${HEADER}\n${taxId},RETRY-1,2026-11-01,2026-12-01,10.00,EUR,software,\n`;
    const id = await upload(o.owner.agent, o.slug, csv);
    await waitForStatus(t, o.orgId, id, ['checked']);
    // The import as the check task leaves it after its last attempt threw (tasks.ts: lastAttemptFails).
    await t.owner
      .updateTable('imports')
      .set({
        status: 'failed',
        error: 'Connection terminated unexpectedly',
        failed_stage: 'check',
        valid_rows: 0,
        total_rows: 0,
      })
      .where('id', '=', id)
      .execute();
    const partial = await o.owner.agent.get(`/o/${o.slug}/imports/${id}/progress`);
    assert.match(partial.body, /Connection terminated unexpectedly/);
    assert.match(partial.body, /Try again/);
    assert.ok(!partial.body.includes('hx-trigger'), 'a failed import does not poll');
    const viewer = o.people.viewer;
    await viewer.agent.get(`/o/${o.slug}`);
    assert.equal((await viewer.agent.post(`/o/${o.slug}/imports/${id}/retry`, {})).statusCode, 403);
    await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    assert.equal((await o.owner.agent.post(`/o/${o.slug}/imports/${id}/retry`, {})).statusCode, 303);
    const again = await waitForStatus(t, o.orgId, id, ['checked', 'failed']);
    assert.equal(again.status, 'checked', again.error ?? '');
    assert.deepEqual([again.valid_rows, again.error, again.failed_stage], [1, null, null]);
    await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    await o.owner.agent.post(`/o/${o.slug}/imports/${id}/retry`, {});
    assert.match(
      (await o.owner.agent.get(`/o/${o.slug}/imports/${id}`)).body,
      /Only a failed import can be tried again/,
    );
  });

  it('an uploaded file gone from the disk fails the check with a message, no retry loop', async () => {
    const id = await upload(
      o.owner.agent,
      o.slug,
      `${HEADER}\n${taxId},GONE-1,2026-11-01,2026-12-01,10.00,EUR,software,\n`,
    );
    const first = await waitForStatus(t, o.orgId, id, ['checked']);
    rmSync(importFilePath(t.settings.uploadDir, first.file_key));
    await t.owner
      .updateTable('imports')
      .set({ status: 'failed', error: 'x', failed_stage: 'check' })
      .where('id', '=', id)
      .execute();
    await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    await o.owner.agent.post(`/o/${o.slug}/imports/${id}/retry`, {});
    const settled = await eventually(async () => {
      const r = await importRow(t, o.orgId, id);
      return r.status === 'failed' && r.error !== 'x' ? r : null;
    });
    assert.match(settled.error ?? '', /no longer on the server/);
    assert.equal(settled.failed_stage, null, 'a new upload fixes it; "Try again" is not offered');
  });

  it('a run that failed for good shows the import as failed (never spinning), even when nothing updated the import', async () => {
    const csv = `${HEADER}\n${taxId},STUCK-1,2026-11-01,2026-12-01,10.00,EUR,software,\n`;
    const id = await upload(o.owner.agent, o.slug, csv);
    const row = await waitForStatus(t, o.orgId, id, ['checked']);
    await t.owner.updateTable('imports').set({ status: 'checking' }).where('id', '=', id).execute();
    await t.owner
      .updateTable('task_runs')
      .set({ status: 'failed', error: 'worker lost' })
      .where('id', '=', row.check_run_id!)
      .execute();
    const partial = await o.owner.agent.get(`/o/${o.slug}/imports/${id}/progress`);
    assert.match(partial.body, /failed/);
    assert.match(partial.body, /worker lost/);
    assert.ok(!partial.body.includes('hx-trigger'));
  });

  it('a progress partial polls with htmx while the check runs', async () => {
    const id = await upload(
      o.owner.agent,
      o.slug,
      `${HEADER}\n${taxId},POLL-1,2026-11-01,2026-12-01,10.00,EUR,software,\n`,
    );
    await waitForStatus(t, o.orgId, id, ['checked']);
    await t.owner.updateTable('imports').set({ status: 'checking' }).where('id', '=', id).execute();
    const partial = await o.owner.agent.get(`/o/${o.slug}/imports/${id}/progress`);
    assert.match(partial.body, /hx-get="\/o\/[^"]+\/imports\/[^"]+\/progress"/);
    assert.match(partial.body, /hx-trigger="every 1s"/);
    assert.match(partial.body, /hx-swap="outerHTML"/);
    assert.ok(!partial.body.includes('<html'), 'a partial, not a page');
  });

  it('vendors import with IBAN checks, and a duplicate tax id is rejected', async () => {
    const csv =
      'name,tax_id,iban,bic,default_currency,email\nNew Vendor GmbH,DE 111 222 333,DE89 3704 0044 0532 0130 00,COBADEFFXXX,EUR,billing@new.example\nBad Iban Ltd,GB999,DE00 1234,,EUR,\nTwin,de111222333,DE89370400440532013000,,EUR,\n';
    const { id, row } = await checked(csv, { kind: 'vendors', name: 'vendors.csv' });
    assert.deepEqual([row.valid_rows, row.rejected_rows], [1, 2], row.error ?? '');
    await apply(id, 'valid_rows');
    await waitForStatus(t, o.orgId, id, ['imported']);
    const v = await t.owner
      .selectFrom('vendors')
      .selectAll()
      .where('org_id', '=', o.orgId)
      .where('tax_id_normalized', '=', 'DE111222333')
      .executeTakeFirstOrThrow();
    assert.deepEqual([v.name, v.iban, v.email], ['New Vendor GmbH', 'DE89370400440532013000', 'billing@new.example']);
  });

  it('a multipart body without a boundary, or cut off mid-part, is refused (400) with a clear message; nothing is stored', async () => {
    const url = `/o/${o.slug}/imports`;
    const before = await importCount();
    await o.owner.agent.get(url);
    const boundary = '----lwtruncated';
    const cut = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${o.owner.agent.csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ninvoices\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\n` +
        `${HEADER}\n${taxId},CUT-1,2026-01-01,2026-02-01,10.00,EUR,other,half a ro`,
    );
    for (const [what, contentType, payload] of [
      ['no boundary', 'multipart/form-data', cut],
      ['cut off mid-part', `multipart/form-data; boundary=${boundary}`, cut],
    ] as const) {
      const res = await o.owner.agent.request({
        method: 'POST',
        url,
        payload,
        headers: { 'content-type': contentType },
      });
      assert.equal(res.statusCode, 400, what);
      assert.match(res.body, /The upload could not be read/, what);
    }
    assert.equal(await importCount(), before, 'no import row');
    assert.equal((await invoices(o.orgId)).filter((i) => i.number === 'CUT-1').length, 0);
    // The part written before the body broke off goes with the response.
    const tmp = path.join(uploadDir, 'imports', 'tmp');
    await eventually(
      async () => !existsSync(tmp) || readdirSync(tmp).every((f) => !f.endsWith('.part')),
      5000,
      'no .part left',
    );
  });

  it('a NUL character in an upload form field is refused (400) and nothing is stored', async () => {
    const before = await importCount();
    await o.owner.agent.get(`/o/${o.slug}/imports`);
    const res = await postMultipart(
      o.owner.agent,
      `/o/${o.slug}/imports`,
      { kind: 'invoices\u0000', encoding: 'auto', delimiter: 'auto' },
      { name: 'nul.csv', content: Buffer.from(`${HEADER}\n`) },
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /NUL character/);
    assert.equal(await importCount(), before);
  });

  it('an import id that is not an id is a page that does not exist (404), for the pages and the actions', async () => {
    for (const suffix of ['', '/progress', '/rejections.csv'])
      assert.equal((await o.owner.agent.get(`/o/${o.slug}/imports/not-an-id${suffix}`)).statusCode, 404, suffix);
    await o.owner.agent.get(`/o/${o.slug}/imports`);
    for (const action of ['apply', 'retry'])
      assert.equal(
        (await o.owner.agent.post(`/o/${o.slug}/imports/not-an-id/${action}`, { mode: 'valid_rows' })).statusCode,
        404,
      );
  });

  it('applying without a choice of mode says so on the import page and starts nothing', async () => {
    const { id } = await checked(`${HEADER}\n${taxId},NOMODE-1,2026-01-01,2026-02-01,10.00,EUR,other,\n`);
    await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    const res = await o.owner.agent.post(`/o/${o.slug}/imports/${id}/apply`, { mode: 'everything' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/o/${o.slug}/imports/${id}`);
    assert.match((await o.owner.agent.get(`/o/${o.slug}/imports/${id}`)).body, /Choose how to import/);
    assert.equal((await importRow(t, o.orgId, id)).status, 'checked');
  });
});
