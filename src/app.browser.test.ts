// Headless Chromium (Debian's package, driven by playwright-core) against the real server:
// real CSP enforcement, real forms, real cookies.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createTestDb, eventually, testSettings } from './testing/harness.ts';
import { startWorker, type Worker } from './core/tasks/worker.ts';
import { appServices } from './core/app-services.ts';
import { freePort } from './testing/browser.ts';
import { buildServer, TASKS } from './server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'var/screenshots';

let app: FastifyInstance;
let worker: Worker;
let browser: Browser;
let base = '';
let dropDb: () => Promise<void>;
let owner: Awaited<ReturnType<typeof createTestDb>>['owner'];
const problems: string[] = [];

async function newPage(width = 1280, height = 860): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.setDefaultTimeout(10_000);
  // Runs outside the page's CSP (DevTools protocol), so it can watch for violations.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return page;
}

describe('in a real browser', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const t = await createTestDb();
    dropDb = t.drop;
    owner = t.owner;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const settings = testSettings({ BASE_URL: base }); // links in mails point at this server's random port
    const services = appServices(settings);
    app = await buildServer({ settings, db: t.db, pool: t.pool, services });
    await app.listen({ host: '127.0.0.1', port });
    worker = await startWorker({
      connectionString: t.appUrl,
      db: t.db,
      services,
      tasks: TASKS,
      concurrency: 2,
      log: app.log,
      pollInterval: 100,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await worker?.stop();
    await app?.close();
    await dropDb?.();
  });

  it('signs up, signs out and in again through the forms, with zero CSP violations and console errors', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
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
        owner
          .selectFrom('mail_outbox')
          .select('id')
          .where('to_address', '=', 'grace@example.test')
          .where('status', '=', 'sent')
          .executeTakeFirst(),
      15_000,
      'welcome mail',
    );
    await page.goto(`${base}/dev/mailbox`);
    await page.click('text=Welcome to Ledgerworks');
    await page.click('.mail-body a');
    await page.waitForURL(/\/o\/hopper-analytics$/);

    const phone = await newPage(390, 844);
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${base}/o/hopper-analytics`);
    await phone.screenshot({ path: `${SHOTS}/dashboard-phone.png`, fullPage: true });
    await phone.goto(`${base}/signup`);
    await phone.screenshot({ path: `${SHOTS}/signup-phone.png`, fullPage: true });
    await phone.close();
    await page.close();

    const reports = await owner.selectFrom('csp_reports').select(['violated_directive', 'blocked_uri']).execute();
    assert.deepEqual(reports, [], 'no CSP violation reports were stored');
    // Chromium logs a rejected form's 4xx answer as a console error; those two are this test's own.
    const intended = problems.filter((p) => /Failed to load resource: .* (422|401) /.test(p));
    assert.equal(intended.length, 2, 'the bad sign-up (422) and the wrong password (401)');
    assert.deepEqual(
      problems.filter((p) => !intended.includes(p)),
      [],
      'no other console errors, no CSP violations',
    );
  });

  it('an owner invites a colleague, who accepts from the emailed link and is then removed, with zero CSP violations', async () => {
    const before = problems.length;
    const ada = await newPage();
    await ada.goto(`${base}/signup`);
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
        owner
          .selectFrom('mail_outbox')
          .select('id')
          .where('to_address', '=', 'charles@example.test')
          .executeTakeFirst(),
      10_000,
      'invitation mail',
    );
    const charles = await newPage();
    await charles.goto(`${base}/dev/mailbox`);
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
    await ada.goto(`${base}/o/babbage-engines/members`);
    await ada.screenshot({ path: `${SHOTS}/members.png`, fullPage: true });
    ada.once('dialog', (d) => void d.accept());
    await ada.click('tr:has-text("Charles Babbage") >> button:has-text("Remove")');
    await ada.waitForSelector('.flash-success');
    assert.match((await ada.textContent('.flash-success')) ?? '', /Charles Babbage was removed/);
    assert.equal(await ada.isVisible('tr:has-text("Charles Babbage")'), false);
    const refused = await charles.goto(`${base}/o/babbage-engines`);
    assert.equal(refused?.status(), 404);

    await ada.goto(`${base}/o/babbage-engines/settings`);
    await ada.screenshot({ path: `${SHOTS}/settings.png`, fullPage: true });
    await ada.click('.usermenu > summary');
    await ada.click('text=Account settings');
    await ada.waitForURL(/\/account$/);
    await ada.screenshot({ path: `${SHOTS}/account.png`, fullPage: true });
    await ada.goto(`${base}/account/sessions`);
    await ada.screenshot({ path: `${SHOTS}/sessions.png`, fullPage: true });
    await ada.goto(`${base}/account/two-factor`);
    await ada.click('button:has-text("Set up two-factor")');
    await ada.waitForSelector('img.two-factor-qr');
    await ada.screenshot({ path: `${SHOTS}/two-factor.png`, fullPage: true });
    const phone = await newPage(390, 844);
    await phone.context().addCookies(await ada.context().cookies());
    for (const path of [
      '/o/babbage-engines/members',
      '/o/babbage-engines/invitations',
      '/o/babbage-engines/settings',
      '/account',
    ]) {
      await phone.goto(`${base}${path}`);
      // Anything wider than the screen, except what scrolls sideways on purpose (tables, the nav).
      const wide = await phone.evaluate<string[]>(`[...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-wrap, .mainnav'))
        .map((el) => el.tagName.toLowerCase() + '.' + el.className)`);
      assert.deepEqual(wide, [], `${path} fits a phone's width`);
    }
    await phone.goto(`${base}/o/babbage-engines/members`);
    await phone.screenshot({ path: `${SHOTS}/members-phone.png`, fullPage: true });
    await phone.close();
    await ada.close();
    await charles.close();

    const reports = await owner.selectFrom('csp_reports').select(['violated_directive', 'blocked_uri']).execute();
    assert.deepEqual(reports, [], 'no CSP violation reports were stored');
    // The removed member's refused request (404) is logged by Chromium as a failed resource.
    const mine = problems.slice(before).filter((p) => !/Failed to load resource: .* 404 /.test(p));
    assert.deepEqual(mine, [], 'no console errors, no CSP violations');
  });
});
