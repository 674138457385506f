import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { buildInvoice } from '../../testing/factories.ts';
import { NOT_TEXT } from './reader.ts';
import { HEADER, importRow, useImportTeam, waitForStatus } from './test-helpers.ts';

const { t, setUp, team, invoices, rejections, checked, apply } = useImportTeam();

describe('CSV imports: reading files and importing their rows', () => {
  before(setUp);

  it('a comma file with a BOM, CRLF line ends and a quoted newline is checked, then imported as drafts by the importer with one audit entry', async () => {
    const { o, taxId, vendorId } = team;
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
    const { o, taxId } = team;
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
    const { o, taxId } = team;
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
    const { o } = team;
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
    const { o, taxId, vendorId } = team;
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
    const { o, taxId } = team;
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

  it('vendors import with IBAN checks, and a duplicate tax id is rejected', async () => {
    const { o } = team;
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
});
