// Benchmarks print figures; they never assert on time. `npm run bench`.
// 1. rendering: a 100-row table page through the real layout (preact-render-to-string);
// 2. HTTP: the sign-in page and an org dashboard through the whole Fastify stack
//    (security headers, CSRF token, session lookup, org check, database), in-process;
// 3. the approval queue page at 100,000 invoices in one org: default view, filters, text
//    search, a later keyset page, and the query plan of the page query.
// 4. CSV import: 100,000 invoice rows through the real check and import code (rows/s, peak RSS);
// 5. exports: BENCH_EXPORT_ROWS (default 1,000,000) invoices exported through the real export
//    code, as the task's file and as the direct stream, with rows/s and peak RSS.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '../src/core/config/settings.ts';
import { startEmbedded } from '../src/core/db/embedded.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { createDb, createPool, quoteIdent } from '../src/core/db/pool.ts';
import { DEV_ROLE_PASSWORDS, OWNER_ROLE, ensureRoles, roleUrls, withAdminClient } from '../src/core/db/roles.ts';
import { buildServer } from '../src/server.ts';
import { appServices } from '../src/core/app-services.ts';
import { Agent, postSignUp } from '../src/testing/harness.ts';
import { benchExports } from './bench/exports.ts';
import { benchHttp } from './bench/http.ts';
import { benchImport } from './bench/import.ts';
import { benchQueue } from './bench/queue.ts';
import { benchRender } from './bench/render.ts';

benchRender();

// --- HTTP ------------------------------------------------------------------
const embedded = await startEmbedded({
  dir: 'var/pg-bench',
  port: Number(process.env.BENCH_PG_PORT ?? 54349),
  log: () => undefined,
});
const dbName = 'lw_bench';
try {
  await withAdminClient(embedded.adminUrl, async (c) => {
    await ensureRoles(c, DEV_ROLE_PASSWORDS);
    await c.query(`drop database if exists ${quoteIdent(dbName)}`);
    await c.query(`create database ${quoteIdent(dbName)} owner ${OWNER_ROLE}`);
  });
  const urls = roleUrls(embedded.adminUrl, dbName, DEV_ROLE_PASSWORDS);
  await migrate(urls.ownerUrl);
  const pool = createPool(urls.appUrl, 10, { error: () => undefined });
  const db = createDb(pool);
  const uploadDir = mkdtempSync(path.join(tmpdir(), 'lw-bench-uploads-'));
  const settings = loadSettings({ NODE_ENV: 'test', LOG_LEVEL: 'silent', UPLOAD_DIR: uploadDir });
  const services = appServices(settings);
  const app = await buildServer({ settings, db, pool, services });
  await app.ready();
  const agent = new Agent(app);
  const res = await postSignUp(agent, {
    name: 'Bench',
    email: 'bench@example.test',
    password: 'bench password 123',
    organization: 'Bench Org',
  });
  const dashboard = String(res.headers.location);

  await benchHttp(app, agent, dashboard);
  const { org, ownerId } = await benchQueue(db, urls.ownerUrl, agent, dashboard);
  const orgCtx = { ...org, role: 'owner' as const, require2fa: false };
  await benchImport(db, services, orgCtx, ownerId, uploadDir);
  await benchExports(db, urls.ownerUrl, orgCtx, ownerId);
  await app.close();
  await db.destroy();
} finally {
  await embedded.stop();
}
process.stdout.write(`(node ${process.version}, one connection at a time, in-process inject)\n`);
process.exit(0);
