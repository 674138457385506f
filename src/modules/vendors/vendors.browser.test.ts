// The vendor and invoice forms in headless Chromium: a real multipart upload, real CSP,
// the archive confirmation, and how the pages look on a desktop and on a phone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SHOTS, useBrowserApp } from '../../testing/browser.ts';

const b = useBrowserApp();
// A refused form (422) is logged by Chromium as a failed resource: that one is this test's own.
const problems = () => b.problems.filter((p) => !p.startsWith('console: Failed to load resource'));

describe('vendors and draft invoices in a real browser', () => {
  it('adds a vendor, records an invoice with its PDF, archives the vendor; masked details, zero CSP violations', async () => {
    const page = await b.newPage();
    await page.goto(`${b.base}/signup`);
    await page.fill('#f-name', 'Ada Lovelace');
    await page.fill('#f-email', 'ada@example.test');
    await page.fill('#f-password', 'a long enough password');
    await page.fill('#f-organization', 'Analytical Engines');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/o\/analytical-engines$/);

    await page.click('nav.mainnav >> text=Vendors');
    await page.waitForURL(/\/vendors$/);
    await page.screenshot({ path: `${SHOTS}/vendors-empty.png`, fullPage: true });
    await page.click('text=Add your first vendor');
    await page.fill('#f-name', 'Babbage & Sons');
    await page.fill('#f-tax_id', 'GB 123 4567 89');
    await page.fill('#f-iban', 'DE89 3704 0044 0532 0130 01');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.field-invalid #f-iban');
    await page.screenshot({ path: `${SHOTS}/vendor-form-error.png`, fullPage: true });
    await page.fill('#f-iban', 'DE89 3704 0044 0532 0130 00');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/vendors\/[0-9a-f-]{36}$/);
    assert.ok(await page.isVisible('text=DE89 •••• •••• •••• 3000'));
    assert.ok(!(await page.content()).includes('DE89370400440532013000'));

    await page.click('text=New invoice');
    await page.waitForURL(/\/invoices\/new\?vendor=/);
    await page.fill('#f-number', 'BS-2026-001');
    await page.selectOption('#f-category', 'hardware');
    await page.fill('#f-issue_date', '2026-11-02');
    await page.fill('#f-due_date', '2026-12-02');
    await page.fill('#f-amount', '12,500.00');
    await page.fill('#f-description', 'Difference engine parts');
    await page.setInputFiles('#f-attachment', {
      name: 'bs-2026-001.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n'),
    });
    await page.screenshot({ path: `${SHOTS}/invoice-form.png`, fullPage: true });
    await page.click('main form.stack button[type=submit]');
    await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
    const inv = await b.owner
      .selectFrom('invoices')
      .selectAll()
      .where('number', '=', 'BS-2026-001')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [inv.amount_minor, inv.currency, inv.attachment_name, inv.status],
      ['1250000', 'EUR', 'bs-2026-001.pdf', 'draft'],
    );

    await page.goto(`${b.base}/o/analytical-engines/invoices/${inv.id}/edit`);
    await page.screenshot({ path: `${SHOTS}/invoice-edit.png`, fullPage: true });

    await page.goto(`${b.base}/o/analytical-engines/vendors`);
    await page.screenshot({ path: `${SHOTS}/vendors-list.png`, fullPage: true });
    await page.click('text=Babbage & Sons');
    await page.screenshot({ path: `${SHOTS}/vendor-detail.png`, fullPage: true });
    await page.click('button:has-text("Archive")');
    await page.waitForSelector('text=was archived');
    const v = await b.owner.selectFrom('vendors').select('archived_at').executeTakeFirstOrThrow();
    assert.ok(v.archived_at);

    const phone = await b.newPage({ width: 390, height: 844 });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${b.base}/o/analytical-engines/vendors?archived=1`);
    await phone.screenshot({ path: `${SHOTS}/vendors-phone.png`, fullPage: true });
    await phone.goto(`${b.base}/o/analytical-engines/invoices/${inv.id}/edit`);
    await phone.screenshot({ path: `${SHOTS}/invoice-edit-phone.png`, fullPage: true });
    assert.deepEqual(problems(), []);
  });
});
