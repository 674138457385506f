// Headless Chromium (Debian's package, driven by playwright-core) against the real server:
// real CSP enforcement, real forms, real cookies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from './testing/harness.ts';
import { SHOTS, useBrowserApp } from './testing/browser.ts';

const b = useBrowserApp();

describe('in a real browser', () => {
  it('signs up, signs out and in again through the forms, with zero CSP violations and console errors', async () => {
    const page = await b.newPage();
    await page.goto(`${b.base}/`);
    assert.match(await page.title(), /Ledgerworks/);
    assert.equal(
      await page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx),
      'object',
      'htmx loaded under the CSP',
    );
    await page.screenshot({ path: `${SHOTS}/home.png`, fullPage: true });

    await page.click('text=Create account');
    await page.waitForURL('**/signup');
    // A first try with a bad email shows the error beside the field and keeps the rest.
    await page.fill('#f-name', 'Grace Hopper');
    await page.fill('#f-email', 'grace-at-example');
    await page.fill('#f-password', 'a long enough password');
    await page.fill('#f-organization', 'Hopper Analytics');
    await page.click('button[type=submit]');
    await page.waitForSelector('.field-invalid #f-email');
    assert.equal(await page.inputValue('#f-name'), 'Grace Hopper');
    await page.screenshot({ path: `${SHOTS}/signup-error.png`, fullPage: true });

    await page.fill('#f-email', 'grace@example.test');
    await page.fill('#f-password', 'a long enough password');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/o\/hopper-analytics$/);
    assert.match((await page.textContent('h1')) ?? '', /Good to see you, Grace/);
    await page.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });

    await page.click('.usermenu > summary');
    await page.click('text=Sign out');
    await page.waitForURL('**/login');
    assert.match((await page.textContent('.flash')) ?? '', /signed out/);

    await page.fill('#f-email', 'grace@example.test');
    await page.fill('#f-password', 'wrong password!');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=do not match an account');
    await page.screenshot({ path: `${SHOTS}/login-error.png`, fullPage: true });
    await page.fill('#f-password', 'a long enough password');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/o\/hopper-analytics$/);

    await page.click('nav.mainnav .navmore > summary');
    await page.click('.navmore >> text=Members');
    await page.waitForURL(/\/members$/);
    await page.click('nav.mainnav .navmore > summary');
    await page.click('.navmore >> text=Activity');
    await page.waitForURL(/\/activity$/);
    assert.ok(await page.isVisible('text=org.created'));
    await page.screenshot({ path: `${SHOTS}/activity.png`, fullPage: true });

    await eventually(
      () =>
        b.owner
          .selectFrom('mail_outbox')
          .select('id')
          .where('to_address', '=', 'grace@example.test')
          .where('status', '=', 'sent')
          .executeTakeFirst(),
      15_000,
      'welcome mail',
    );
    await page.goto(`${b.base}/dev/mailbox`);
    await page.click('text=Welcome to Ledgerworks');
    await page.click('.mail-body a');
    await page.waitForURL(/\/o\/hopper-analytics$/);

    const phone = await b.newPage({ width: 390, height: 844 });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${b.base}/o/hopper-analytics`);
    await phone.screenshot({ path: `${SHOTS}/dashboard-phone.png`, fullPage: true });
    await phone.goto(`${b.base}/signup`);
    await phone.screenshot({ path: `${SHOTS}/signup-phone.png`, fullPage: true });
    await phone.close();
    await page.close();

    const reports = await b.owner.selectFrom('csp_reports').select(['violated_directive', 'blocked_uri']).execute();
    assert.deepEqual(reports, [], 'no CSP violation reports were stored');
    // Chromium logs a rejected form's 4xx answer as a console error; those two are this test's own.
    const intended = b.problems.filter((p) => /Failed to load resource: .* (422|401) /.test(p));
    assert.equal(intended.length, 2, 'the bad sign-up (422) and the wrong password (401)');
    assert.deepEqual(
      b.problems.filter((p) => !intended.includes(p)),
      [],
      'no other console errors, no CSP violations',
    );
  });

  it('an owner invites a colleague, who accepts from the emailed link and is then removed, with zero CSP violations', async () => {
    const before = b.problems.length;
    const ada = await b.newPage();
    await ada.goto(`${b.base}/signup`);
    await ada.fill('#f-name', 'Ada Lovelace');
    await ada.fill('#f-email', 'ada@example.test');
    await ada.fill('#f-password', 'analytical engine notes');
    await ada.fill('#f-organization', 'Babbage Engines');
    await ada.click('button[type=submit]');
    await ada.waitForURL(/\/o\/babbage-engines$/);

    await ada.click('nav.mainnav .navmore > summary');
    await ada.click('.navmore >> text=Members');
    await ada.click('text=Invite people');
    await ada.waitForURL(/\/invitations$/);
    await ada.fill('#f-email', 'charles@example.test');
    await ada.selectOption('#f-role', 'approver');
    await ada.click('button:has-text("Send invitation")');
    await ada.waitForSelector('.flash-success');
    assert.ok(await ada.isVisible('.invitation-list >> text=charles@example.test'));
    await ada.screenshot({ path: `${SHOTS}/invitations.png`, fullPage: true });

    // Charles reads the invitation in the (development) mailbox, in a browser of his own.
    await eventually(
      () =>
        b.owner
          .selectFrom('mail_outbox')
          .select('id')
          .where('to_address', '=', 'charles@example.test')
          .executeTakeFirst(),
      10_000,
      'invitation mail',
    );
    const charles = await b.newPage();
    await charles.goto(`${b.base}/dev/mailbox`);
    await charles.click('text=invited you to Babbage Engines');
    await charles.click('.mail-body a');
    await charles.waitForURL(/\/invitations\//);
    assert.match((await charles.textContent('h1')) ?? '', /Join Babbage Engines/);
    await charles.screenshot({ path: `${SHOTS}/invitation.png`, fullPage: true });
    await charles.click('text=Create an account and join');
    await charles.waitForURL(/\/signup\?invitation=/);
    assert.equal(await charles.inputValue('#f-email'), 'charles@example.test');
    await charles.fill('#f-name', 'Charles Babbage');
    await charles.fill('#f-password', 'difference engine two');
    await charles.screenshot({ path: `${SHOTS}/signup-invited.png`, fullPage: true });
    await charles.click('button[type=submit]');
    await charles.waitForURL(/\/o\/babbage-engines$/);
    assert.match((await charles.textContent('.flash')) ?? '', /You joined Babbage Engines as approver/);

    // Ada sees him among the members and removes him; his next request is refused.
    await ada.goto(`${b.base}/o/babbage-engines/members`);
    await ada.screenshot({ path: `${SHOTS}/members.png`, fullPage: true });
    // The removal's confirm() is accepted: every page of useBrowserApp accepts its dialogs.
    await ada.click('tr:has-text("Charles Babbage") >> button:has-text("Remove")');
    await ada.waitForSelector('.flash-success');
    assert.match((await ada.textContent('.flash-success')) ?? '', /Charles Babbage was removed/);
    assert.equal(await ada.isVisible('tr:has-text("Charles Babbage")'), false);
    const refused = await charles.goto(`${b.base}/o/babbage-engines`);
    assert.equal(refused?.status(), 404);

    await ada.goto(`${b.base}/o/babbage-engines/settings`);
    await ada.screenshot({ path: `${SHOTS}/settings.png`, fullPage: true });
    await ada.click('.usermenu > summary');
    await ada.click('text=Account settings');
    await ada.waitForURL(/\/account$/);
    await ada.screenshot({ path: `${SHOTS}/account.png`, fullPage: true });
    await ada.goto(`${b.base}/account/sessions`);
    await ada.screenshot({ path: `${SHOTS}/sessions.png`, fullPage: true });
    await ada.goto(`${b.base}/account/two-factor`);
    await ada.click('button:has-text("Set up two-factor")');
    await ada.waitForSelector('img.two-factor-qr');
    await ada.screenshot({ path: `${SHOTS}/two-factor.png`, fullPage: true });
    const phone = await b.newPage({ width: 390, height: 844 });
    await phone.context().addCookies(await ada.context().cookies());
    for (const path of [
      '/o/babbage-engines/members',
      '/o/babbage-engines/invitations',
      '/o/babbage-engines/settings',
      '/account',
    ]) {
      await phone.goto(`${b.base}${path}`);
      // Anything wider than the screen, except what scrolls sideways on purpose (tables, the nav).
      const wide = await phone.evaluate<string[]>(`[...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-wrap, .mainnav'))
        .map((el) => el.tagName.toLowerCase() + '.' + el.className)`);
      assert.deepEqual(wide, [], `${path} fits a phone's width`);
    }
    await phone.goto(`${b.base}/o/babbage-engines/members`);
    await phone.screenshot({ path: `${SHOTS}/members-phone.png`, fullPage: true });
    await phone.close();
    await ada.close();
    await charles.close();

    const reports = await b.owner.selectFrom('csp_reports').select(['violated_directive', 'blocked_uri']).execute();
    assert.deepEqual(reports, [], 'no CSP violation reports were stored');
    // The removed member's refused request (404) is logged by Chromium as a failed resource.
    const mine = b.problems.slice(before).filter((p) => !/Failed to load resource: .* 404 /.test(p));
    assert.deepEqual(mine, [], 'no console errors, no CSP violations');
  });
});
