// A support shift in a real browser: a support member turns on two-factor and signs in with
// it, finds a customer by email, opens their org, reads an invoice's history, signs in as the
// customer (read-only, with a reason), is refused a change, and stops. Zero CSP violations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { userActor } from '../../core/audit/audit.ts';
import { SHOTS, useBrowserApp } from '../../testing/browser.ts';
import { createUser } from '../accounts/service.ts';
import { codeAt } from '../accounts/two-factor/totp.ts';
import { createOrganization } from '../orgs/service.ts';

const b = useBrowserApp();
const PASSWORD = 'a long enough password';
const CUSTOMER = 'ann@northwind.test';
const SUPPORT = 'sam@ledgerworks.test';

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${b.base}/login`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', PASSWORD);
  await page.click('main button[type=submit]');
}

// Chromium logs a page answered 403 as a failed resource: the two this test expects are taken one at a time.
const FORBIDDEN = 'console: Failed to load resource: the server responded with a status of 403 (Forbidden)';
/** The problems seen since the last call. */
const problemsSoFar = () => b.problems.splice(0);

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

describe('a support shift in a real browser', () => {
  it('two-factor sign-in, find a customer, org, invoice history, read-only impersonation refused a change, stop', async () => {
    // The customer: an owner of Northwind Traders with a submitted invoice (its history: created, submitted).
    const annId = await createUser(b.db, { email: CUSTOMER, name: 'Ann Example', password: PASSWORD });
    const org = await createOrganization(b.db, userActor({ requestId: 'test', ip: null }, annId), 'Northwind Traders');
    const ann = await b.newPage();
    await signIn(ann, CUSTOMER);
    await ann.waitForURL(/\/o\/northwind-traders$/);
    await ann.goto(`${b.base}/o/${org.slug}/vendors/new`);
    await ann.fill('#f-name', 'Babbage & Sons');
    await ann.fill('#f-tax_id', 'GB 123 4567 89');
    await ann.fill('#f-iban', 'DE89 3704 0044 0532 0130 00');
    await ann.fill('#f-bic', 'COBADEFFXXX');
    await ann.click('main button[type=submit]');
    await ann.waitForURL(/\/vendors\/[0-9a-f-]{36}$/);
    await ann.goto(`${b.base}/o/${org.slug}/invoices/new`);
    await ann.selectOption('#f-vendor_id', { label: 'Babbage & Sons' });
    await ann.fill('#f-number', 'BS-2026-001');
    await ann.selectOption('#f-category', 'hardware');
    await ann.fill('#f-issue_date', '2026-11-02');
    await ann.fill('#f-due_date', '2026-12-02');
    await ann.fill('#f-amount', '1,250.00');
    await ann.click('main button[type=submit]');
    await ann.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
    await ann.click('button:has-text("Submit for approval")');
    await ann.waitForSelector('.flash-success');
    await ann.goto(`${b.base}/o/${org.slug}`);
    await shot(ann, 'support-customer-dashboard');
    await ann.close();

    // The support member: staff by SQL (as `ledgerworks staff add` would), everything else through the pages.
    const samId = await createUser(b.db, { email: SUPPORT, name: 'Sam Support', password: PASSWORD });
    await b.owner.updateTable('users').set({ staff_role: 'support' }).where('id', '=', samId).execute();
    const sam = await b.newPage();
    await signIn(sam, SUPPORT);
    await sam.waitForURL((u) => !u.pathname.startsWith('/login'));
    await sam.goto(`${b.base}/staff`);
    await sam.waitForSelector('h1:has-text("Turn on two-factor authentication")');
    await shot(sam, 'staff-two-factor-needed');
    assert.deepEqual(problemsSoFar(), [FORBIDDEN], 'the back-office without two-factor answers 403');
    await sam.click('main a:has-text("Set up two-factor authentication")');
    await sam.waitForURL(/\/account\/two-factor$/);
    await sam.click('button:has-text("Set up two-factor")');
    await sam.waitForSelector('img.two-factor-qr');
    const secret = ((await sam.textContent('code.two-factor-secret')) ?? '').replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await sam.fill('#f-code', codeAt(secret));
    await sam.fill('#f-password', PASSWORD);
    await sam.click('main form:has(#f-code) button[type=submit]');
    await sam.waitForSelector('h1:has-text("Two-factor authentication is on")');

    // Signed out, then in again: the password, then a code (of the next time step: the enrolment used this one).
    await sam.click('.usermenu > summary');
    await sam.click('text=Sign out');
    await sam.waitForURL('**/login');
    await signIn(sam, SUPPORT);
    await sam.waitForURL('**/login/two-factor');
    await shot(sam, 'staff-sign-in-code');
    await sam.fill('#f-code', codeAt(secret, Date.now() + 30_000));
    await sam.click('main button[type=submit]');
    await sam.waitForURL((u) => !u.pathname.startsWith('/login'));
    await sam.click('.usermenu > summary');
    await sam.click('.usermenu >> text=Back-office');
    await sam.waitForURL(/\/staff$/);
    await shot(sam, 'staff-home');

    // Finds Ann by her email in the users list.
    await sam.click('main a:text-is("Users")');
    await sam.waitForURL(/\/staff\/users$/);
    await sam.fill('#f-q', 'ann@northwind');
    await sam.click('main form:has(#f-q) button[type=submit]');
    await sam.waitForURL(/\/staff\/users\?.*q=ann/);
    await shot(sam, 'staff-users-search');
    assert.equal(await sam.locator('main tbody tr').count(), 1, 'one person matches');
    await sam.click('main tbody tr >> a:has-text("Ann Example")');
    await sam.waitForURL(new RegExp(`/staff/users/${annId}$`));
    const annPage = sam.url();
    await shot(sam, 'staff-user');

    // Her org, its record page, its invoices, the invoice's history.
    await sam.click(`section:has(h2:text-is("Organizations")) >> a:text-is("${org.slug}")`);
    await sam.waitForURL(/\/staff\/organizations\?org=northwind-traders$/);
    await sam.click('main tbody >> a:has-text("Northwind Traders")');
    await sam.waitForURL(new RegExp(`/staff/organizations/${org.id}$`));
    await shot(sam, 'staff-organization');
    await sam.click('a:text-is("Its invoices")');
    await sam.waitForURL(/\/staff\/invoices\?org=northwind-traders$/);
    await sam.click('main tbody >> a:has-text("BS-2026-001")');
    await sam.waitForURL(new RegExp(`/staff/invoices/${org.id}/[0-9a-f-]{36}$`));
    const history = sam.locator('section:has(h2:text-is("History")) tbody');
    await history.locator('tr:has-text("invoice.submitted")').waitFor();
    assert.ok(await history.locator('tr:has-text("invoice.created") >> text=Ann Example').isVisible());
    await shot(sam, 'staff-invoice-history');

    // Signs in as Ann, read-only, with the ticket as the reason.
    await sam.goto(annPage);
    await sam.click('a.button:has-text("Sign in as")');
    await sam.waitForURL(new RegExp(`/staff/users/${annId}/impersonate$`));
    await sam.selectOption('#f-org_id', org.id);
    await sam.fill('#f-reason', 'ticket #123');
    await sam.fill('#f-minutes', '15');
    await shot(sam, 'staff-impersonate-form');
    await sam.click('main button[type=submit]:has-text("Start")');
    await sam.waitForURL(/\/o\/northwind-traders$/);
    const banner = sam.locator('.impersonation-banner');
    await banner.waitFor();
    const said = (await banner.textContent()) ?? '';
    for (const part of ['Sam Support', 'Ann Example', 'Northwind Traders', 'support', 'ticket #123', 'read-only'])
      assert.ok(said.includes(part), `the banner says ${part}: ${said}`);
    await shot(sam, 'impersonation-dashboard');

    // A change is refused with a page that says why; the banner stays.
    await sam.click('nav.mainnav details.menu > summary');
    await sam.click('nav.mainnav .menu-panel >> text=Settings');
    await sam.waitForURL(/\/o\/northwind-traders\/settings$/);
    await sam.fill('#f-name', 'Southwind Traders');
    await sam.click('main form:has(#f-name) button[type=submit]');
    await sam.waitForSelector('text=this impersonation is read-only');
    await banner.waitFor();
    await shot(sam, 'impersonation-refused');
    assert.deepEqual(problemsSoFar(), [FORBIDDEN], 'the refused change answers 403');
    const name = await b.owner
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', org.id)
      .executeTakeFirstOrThrow();
    assert.equal(name.name, 'Northwind Traders', 'nothing changed');

    // Stop: back in the staff session, the banner gone.
    await banner.locator('button:has-text("Stop")').click();
    await sam.waitForURL((u) => u.pathname.startsWith('/staff'));
    await sam.waitForSelector('text=You stopped acting as Ann Example');
    assert.equal(await sam.locator('.impersonation-banner').count(), 0);
    await shot(sam, 'impersonation-stopped');
    const audit = await b.owner
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['impersonation.started', 'impersonation.stopped'])
      .orderBy('id')
      .execute();
    assert.deepEqual([...new Set(audit.map((a) => a.action))], ['impersonation.started', 'impersonation.stopped']);

    const reports = await b.owner.selectFrom('csp_reports').select(['violated_directive', 'blocked_uri']).execute();
    assert.deepEqual(reports, [], 'no CSP violation reports were stored');
    assert.deepEqual(problemsSoFar(), [], 'no console errors, no CSP violations');
  });
});
