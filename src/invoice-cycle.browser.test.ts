// The whole finance cycle in a real browser, as the different people who do it:
// submit → approve twice → payout → approve twice → payment file → paid. Zero CSP violations.
import { userActor } from './core/audit/audit.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { SHOTS, useBrowserApp } from './testing/browser.ts';
import { assertValidPain001 } from './modules/payouts/pain001-schema.ts';
import { createUser } from './modules/accounts/service.ts';
import { addMember, createOrganization, updateOrgSettings } from './modules/orgs/service.ts';

const b = useBrowserApp();
const PASSWORD = 'a long enough password';

async function signIn(email: string): Promise<Page> {
  const page = await b.newPage();
  await page.goto(`${b.base}/login`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/o\/[^/]+$/);
  return page;
}

describe('the invoice cycle in a real browser', () => {
  it('member submits, two approvers approve, accountant pays out, approvers approve the payout, file downloaded, marked paid', async () => {
    const people: Record<string, string> = {};
    for (const [key, name] of [
      ['owner', 'Olivia Owner'],
      ['admin', 'Adam Admin'],
      ['approver', 'April Approver'],
      ['accountant', 'Aaron Accountant'],
      ['member', 'Molly Member'],
    ] as const) {
      people[key] = await createUser(b.db, { email: `${key}@cycle.test`, name, password: PASSWORD });
    }
    const ownerActor = userActor({ requestId: 'test', ip: null }, people.owner!);
    const org = await createOrganization(b.db, ownerActor, 'Cycle Works');
    for (const role of ['admin', 'approver', 'accountant', 'member'] as const)
      await addMember(b.db, ownerActor, org.id, people[role]!, role);
    await updateOrgSettings(b.db, ownerActor, org, {
      name: 'Cycle Works',
      billing_email: '',
      default_currency: 'EUR',
      approval_threshold: '5000.00',
    });
    const base = `${b.base}/o/${org.slug}`;

    // The accountant adds the vendor.
    const aaron = await signIn('accountant@cycle.test');
    await aaron.goto(`${base}/vendors/new`);
    await aaron.fill('#f-name', 'Müller & Söhne GmbH');
    await aaron.fill('#f-tax_id', 'DE 811 234 560');
    await aaron.fill('#f-iban', 'DE89 3704 0044 0532 0130 00');
    await aaron.fill('#f-bic', 'COBADEFFXXX');
    await aaron.click('main button[type=submit]');
    await aaron.waitForURL(/\/vendors\/[0-9a-f-]+$/);
    assert.ok(!(await aaron.content()).includes('DE89370400440532013000'), 'the IBAN is shown masked');

    // The member records and submits an invoice above the two-approval threshold.
    const molly = await signIn('member@cycle.test');
    await molly.goto(`${base}/invoices/new`);
    await molly.selectOption('#f-vendor_id', { label: 'Müller & Söhne GmbH' });
    await molly.fill('#f-number', 'MS-2026-001');
    await molly.selectOption('#f-category', 'services');
    await molly.fill('#f-issue_date', '2026-11-02');
    await molly.fill('#f-due_date', '2026-12-02');
    await molly.fill('#f-amount', '12,500.00');
    await molly.click('main button[type=submit]');
    await molly.waitForURL(/\/invoices\/[0-9a-f-]+$/);
    const invoiceUrl = molly.url();
    await molly.click('button:has-text("Submit for approval")');
    await molly.waitForSelector('.flash-success');
    await molly.screenshot({ path: `${SHOTS}/invoice-submitted.png`, fullPage: true });

    // First approval from the queue row, without a page load (htmx swaps the row).
    const april = await signIn('approver@cycle.test');
    await april.goto(`${base}/invoices?mine=1`);
    const row = april.locator('tr:has-text("MS-2026-001")');
    await row.locator('button:has-text("Approve")').click();
    await april.waitForSelector('tr:has-text("MS-2026-001") .row-notice');
    assert.match((await april.locator('tr:has-text("MS-2026-001")').innerText()) ?? '', /1 of 2/);
    await april.screenshot({ path: `${SHOTS}/queue.png`, fullPage: true });

    // Second approval by someone else, from the invoice page.
    const olivia = await signIn('owner@cycle.test');
    await olivia.goto(invoiceUrl);
    await olivia.click('button:has-text("Approve")');
    await olivia.waitForSelector('.flash-success');
    assert.match(await olivia.innerText('main'), /Approved/);
    await olivia.screenshot({ path: `${SHOTS}/invoice-approved.png`, fullPage: true });

    // The owner sets the paying account; the accountant creates the payout.
    await olivia.goto(`${base}/payouts`);
    await olivia.fill('#f-bank_account_name', 'Cycle Works GmbH');
    await olivia.fill('#f-bank_iban', 'DE02120300000000202051');
    await olivia.fill('#f-bank_bic', 'BYLADEM1001');
    await olivia.click('button:has-text("paying account")');
    await olivia.waitForSelector('.flash-success');
    await aaron.goto(`${base}/payouts/new?currency=EUR`);
    await aaron.click('button:has-text("Create payout")');
    await aaron.waitForURL(/\/payouts\/[0-9a-f-]+$/);
    const payoutUrl = aaron.url();
    assert.equal(await aaron.isVisible('button:has-text("Approve payout")'), false, 'its creator cannot approve it');

    // Two approvers approve the payout (it is above the threshold).
    for (const approver of [april, olivia]) {
      await approver.goto(payoutUrl);
      await approver.click('button:has-text("Approve payout")');
      await approver.waitForSelector('.flash-success');
    }

    // The accountant downloads the SEPA file and marks the payout paid.
    await aaron.goto(payoutUrl);
    const [download] = await Promise.all([
      aaron.waitForEvent('download'),
      aaron.click('form[action$="payment.xml"] button'),
    ]);
    const xml = await (
      await download.createReadStream()
    )
      .toArray()
      .then((chunks) => Buffer.concat(chunks as Buffer[]).toString('utf8'));
    await assertValidPain001(xml);
    assert.match(xml, /pain\.001\.001\.03/);
    assert.match(xml, /<CtrlSum>12500\.00<\/CtrlSum>/);
    assert.match(xml, /Muller \+ Sohne GmbH/);
    await aaron.goto(payoutUrl);
    await aaron.fill('#f-bank_reference', 'BANK-REF-4711');
    await aaron.click('button:has-text("Mark paid")');
    await aaron.waitForSelector('.flash-success');
    await aaron.screenshot({ path: `${SHOTS}/payout-paid.png`, fullPage: true });
    await molly.goto(invoiceUrl);
    assert.match(await molly.innerText('main'), /Paid/);

    const audit = (await b.owner.selectFrom('audit_log').select('action').where('org_id', '=', org.id).execute()).map(
      (a) => a.action,
    );
    for (const action of [
      'vendor.created',
      'invoice.created',
      'invoice.submitted',
      'invoice.approved',
      'payout.created',
      'payout.approved',
      'payout.exported',
      'payout.paid',
    ]) {
      assert.ok(audit.includes(action), `audited: ${action}`);
    }
    await olivia.goto(base);
    await olivia.screenshot({ path: `${SHOTS}/dashboard-finance.png`, fullPage: true });
    for (const p of [aaron, molly, april, olivia]) await p.close();

    const reports = await b.owner.selectFrom('csp_reports').select(['violated_directive', 'blocked_uri']).execute();
    assert.deepEqual(reports, [], 'no CSP violation reports');
    assert.deepEqual(b.problems, [], 'no console errors, no CSP violations');
  });
});
