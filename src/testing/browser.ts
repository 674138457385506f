// Browser test support: the real server on a random port, Debian's Chromium driven by
// playwright-core, and every CSP violation, console error and page error collected.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { appServices } from '../core/app-services.ts';
import type { Worker } from '../core/tasks/worker.ts';
import { createTestDb, startTestWorker, testSettings, type TestDb } from './harness.ts';
import { buildServer } from '../server.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = 'var/screenshots';

export type BrowserApp = {
  base: string;
  db: TestDb['db'];
  owner: TestDb['owner'];
  /** Console errors, page errors and CSP violations seen so far, in order. */
  problems: string[];
  /** A fresh browser context (its own cookies): one per person. */
  newPage: (opts?: { width?: number; height?: number }) => Promise<Page>;
};

/** A port nobody listens on now: the app's BASE_URL names it before the app listens there. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Registers before/after hooks: a database, the app with a worker, and Chromium. */
export function useBrowserApp(): BrowserApp {
  const ctx = { problems: [] as string[] } as BrowserApp;
  let app: FastifyInstance;
  let worker: Worker;
  let browser: Browser;
  let drop: () => Promise<void>;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const t = await createTestDb();
    drop = t.drop;
    const port = await freePort();
    ctx.base = `http://127.0.0.1:${port}`;
    // Links in mails point at this server's random port.
    const settings = testSettings({
      BASE_URL: ctx.base,
      UPLOAD_DIR: mkdtempSync(path.join(tmpdir(), 'lw-browser-uploads-')),
    });
    const services = appServices(settings);
    app = await buildServer({ settings, db: t.db, pool: t.pool, services });
    await app.listen({ host: '127.0.0.1', port });
    worker = await startTestWorker(t, services, app.log);
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
    ctx.db = t.db;
    ctx.owner = t.owner;
    ctx.newPage = async (opts = {}) => {
      const page = await browser.newPage({
        viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 },
        acceptDownloads: true,
      });
      page.setDefaultTimeout(10_000);
      // Runs outside the page's CSP (DevTools protocol), so it can watch for violations.
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`),
        );
      });
      page.on('console', (msg) => {
        if (msg.type() === 'error') ctx.problems.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => ctx.problems.push(`page error: ${err.message}`));
      page.on('dialog', (d) => void d.accept());
      return page;
    };
  });
  after(async () => {
    await browser?.close();
    await worker?.stop();
    await app?.close();
    await drop?.();
  });
  return ctx;
}
