// Benchmarks print figures; they never assert on time. `npm run bench`.
// 1. rendering: a 100-row table page through the real layout (preact-render-to-string);
// 2. HTTP: the sign-in page and an org dashboard through the whole Fastify stack
//    (security headers, CSRF token, session lookup, org check, database), in-process;
// 3. the approval queue page at 100,000 invoices in one org: default view, filters, text
//    search, a later keyset page, and the query plan of the page query.
// 4. CSV import: 100,000 invoice rows through the real check and import code (rows/s, peak RSS);
// 5. exports: BENCH_EXPORT_ROWS (default 1,000,000) invoices exported through the real export
//    code, as the task's file and as the direct stream, with rows/s and peak RSS.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { appServices } from '../src/core/app-services.ts';
import { loadSettings } from '../src/core/config/settings.ts';
import { startEmbedded } from '../src/core/db/embedded.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { createDb, createPool, quoteIdent } from '../src/core/db/pool.ts';
import { DEV_ROLE_PASSWORDS, OWNER_ROLE, ensureRoles, roleUrls, withAdminClient } from '../src/core/db/roles.ts';
import { renderToString } from '../src/core/views/render.ts';
import { Layout } from '../src/core/views/layout.tsx';
import { RunTable } from '../src/modules/orgs/activity-views.tsx';
import { buildServer } from '../src/server.ts';
import { Agent } from '../src/testing/harness.ts';
import type { PageContext } from '../src/core/views/context.ts';
import type { RunRow } from '../src/core/tasks/runs.ts';
import { jsx } from 'preact/jsx-runtime';
import { withOrg, withUser } from '../src/core/db/tenancy.ts';
import { createUser } from '../src/modules/accounts/service.ts';
import { generateInvoices } from '../src/modules/demo/invoices.ts';
import { queueQuery } from '../src/modules/invoices/queue-queries.ts';
import { addMember } from '../src/modules/orgs/service.ts';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setRunProgress } from '../src/core/tasks/runs.ts';
import type { TaskContext } from '../src/core/tasks/tasks.ts';
import { runApply } from '../src/modules/imports/apply.ts';
import { runCheck } from '../src/modules/imports/check.ts';
import { startApply, uploadImport } from '../src/modules/imports/service.ts';
import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { csvStream } from '../src/core/csv.ts';
import { buildExportFile } from '../src/modules/exports/build-export.ts';
import { exportRows } from '../src/modules/exports/files.ts';
import { SOURCES } from '../src/modules/exports/sources.ts';
import { startExport } from '../src/modules/exports/service.ts';

function report(name: string, count: number, ms: number, latencies?: number[]) {
  const perSec = Math.round((count / ms) * 1000);
  let line = `${name.padEnd(34)} ${String(perSec).padStart(7)} /s`;
  if (latencies) {
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2);
    line += `   p50 ${q(0.5)} ms   p95 ${q(0.95)} ms   p99 ${q(0.99)} ms`;
  }
  process.stdout.write(`${line}\n`);
}

// --- rendering -------------------------------------------------------------
const ctx: PageContext = {
  nonce: 'bench',
  csrfToken: 'bench',
  requestId: 'bench',
  path: '/o/bench',
  flash: [],
  orgNav: [],
  devTools: false,
  viewer: {
    id: 'u',
    email: 'u@example.test',
    name: 'Bench User',
    timeZone: 'Europe/Paris',
    isStaff: false,
    twoFactorEnabled: false,
    orgs: [],
    lastOrgId: null,
  },
  org: { id: 'o', slug: 'bench', name: 'Bench Org', role: 'owner', require2fa: false },
};
const runs: (RunRow & { label: string })[] = Array.from({ length: 100 }, (_, i) => ({
  id: `id-${i}`,
  org_id: 'o',
  task: 'mail.deliver',
  status: i % 3 ? 'succeeded' : 'running',
  input: {},
  result: null,
  error: null,
  attempts: 1,
  max_attempts: 5,
  progress_done: i,
  progress_total: 100,
  created_by: null,
  created_at: new Date(),
  started_at: new Date(),
  finished_at: null,
  updated_at: new Date(),
  retry_of: null,
  started_by_name: null,
  retried_by: null,
  label: 'Import invoices',
}));
const page = () => jsx(Layout, { ctx, title: 'Bench', children: jsx(RunTable, { runs, zone: 'Europe/Paris' }) });
for (let i = 0; i < 200; i++) renderToString(page());
let start = performance.now();
const renders = 2000;
for (let i = 0; i < renders; i++) renderToString(page());
report('render 100-row page', renders, performance.now() - start);

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
  await agent.get('/signup');
  const res = await agent.post('/signup', {
    name: 'Bench',
    email: 'bench@example.test',
    password: 'bench password 123',
    organization: 'Bench Org',
  });
  const dashboard = String(res.headers.location);

  for (const [name, url, who] of [
    ['GET /login (anonymous)', '/login', new Agent(app)],
    ['GET dashboard (signed in, org)', dashboard, agent],
  ] as const) {
    for (let i = 0; i < 100; i++) await who.get(url);
    const n = 2000;
    const lat: number[] = [];
    start = performance.now();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await who.get(url);
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode}`);
      lat.push(performance.now() - t0);
    }
    report(name, n, performance.now() - start, lat);
  }
  // --- the approval queue at 100,000 invoices ---------------------------------
  const INVOICES = Number(process.env.BENCH_INVOICES ?? 100_000);
  const slug = dashboard.replace(/^\/o\//, '');
  const ownerId = (
    await db.selectFrom('users').select('id').where('email', '=', 'bench@example.test').executeTakeFirstOrThrow()
  ).id;
  const org = await withUser(db, ownerId, (tx) =>
    tx.selectFrom('organizations').select(['id', 'name', 'slug']).where('slug', '=', slug).executeTakeFirstOrThrow(),
  );
  const submitterId = await createUser(db, {
    email: 'submitter@example.test',
    name: 'Sam Submitter',
    password: 'bench password 123',
  });
  const payerId = await createUser(db, {
    email: 'payer@example.test',
    name: 'Pat Payer',
    password: 'bench password 123',
  });
  await addMember(db, { userId: ownerId }, org.id, submitterId, 'member');
  await addMember(db, { userId: ownerId }, org.id, payerId, 'accountant');
  start = performance.now();
  await withOrg(db, org.id, ownerId, (tx) =>
    generateInvoices(tx, { orgId: org.id, count: INVOICES, submitterId, approverId: ownerId, payerId }),
  );
  // What autovacuum would have done by now on a real server: statistics and the visibility map
  // (index-only scans need it). VACUUM needs the table owner, so it runs as the admin.
  await withAdminClient(urls.ownerUrl, (c) => c.query('vacuum analyze'));
  process.stdout.write(
    `seeded ${INVOICES.toLocaleString('en-GB')} invoices in ${((performance.now() - start) / 1000).toFixed(1)} s\n`,
  );
  const vendorId = (
    await withOrg(db, org.id, ownerId, (tx) =>
      tx.selectFrom('vendors').select('id').where('org_id', '=', org.id).limit(1).executeTakeFirstOrThrow(),
    )
  ).id;
  const first = await agent.get(`${dashboard}/invoices`);
  const nextPage = /href="([^"]+after=[^"]+)">Next/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
  const queueUrls: [string, string][] = [
    ['queue: all, by due date', `${dashboard}/invoices`],
    ['queue: waiting for me', `${dashboard}/invoices?status=submitted&mine=1`],
    ['queue: vendor + amount range', `${dashboard}/invoices?vendor=${vendorId}&min=100&max=2000`],
    ['queue: text search "licence"', `${dashboard}/invoices?q=licence&sort=-amount`],
    ['queue: a later keyset page', nextPage ?? `${dashboard}/invoices`],
    ['dashboard at this volume', dashboard],
  ];
  for (const [name, url] of queueUrls) {
    for (let i = 0; i < 20; i++) await agent.get(url);
    const n = 300;
    const lat: number[] = [];
    start = performance.now();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await agent.get(url);
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode}`);
      lat.push(performance.now() - t0);
    }
    report(name, n, performance.now() - start, lat);
  }
  const plan = await withOrg(db, org.id, ownerId, (tx) =>
    queueQuery(tx, org.id, { status: 'submitted' }, { sort: 'due', limit: 51, approver: null }).explain(
      'text',
      sql`analyze, buffers off, costs off`,
    ),
  );
  process.stdout.write(
    `plan of the page query (status filter, due-date order):\n${plan.map((r) => `  ${String(r['QUERY PLAN'])}`).join('\n')}\n`,
  );

  // --- CSV import ------------------------------------------------------------
  const rows = 100_000;
  const userId = ownerId;
  const orgCtx = { ...org, role: 'owner' as const, require2fa: false };
  const actor = { userId };
  await withOrg(db, org.id, userId, (tx) =>
    tx
      .insertInto('vendors')
      .values({
        org_id: org.id,
        name: 'Bench Vendor',
        tax_id: 'DE123456789',
        iban: 'DE89370400440532013000',
        default_currency: 'EUR',
      })
      .execute(),
  );
  const csv = path.join(uploadDir, 'bench.csv');
  const lines = ['vendor_tax_id,number,issue_date,due_date,amount,currency,category,description'];
  for (let i = 1; i <= rows; i++)
    lines.push(`DE123456789,B-${i},2026-11-01,2026-12-01,${i}.50,EUR,software,Bench invoice ${i}`);
  writeFileSync(csv, `${lines.join('\n')}\n`);
  lines.length = 0;
  const { id } = await uploadImport(
    db,
    uploadDir,
    actor,
    orgCtx,
    { kind: 'invoices', encoding: 'auto', delimiter: 'auto' },
    { tmpPath: csv, filename: 'bench.csv', size: statSync(csv).size, tooLarge: false },
  );
  const ctxFor = (runId: string): TaskContext => ({
    ...services,
    runId,
    orgId: org.id,
    attempt: 1,
    maxAttempts: 1,
    db,
    transaction: (fn) => withOrg(db, org.id, null, fn),
    progress: (done, total) => setRunProgress(db, org.id, runId, done, total),
  });
  const measure = async (name: string, fn: () => Promise<unknown>) => {
    const startRss = process.memoryUsage().rss;
    let peak = startRss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    process.stdout.write(
      `${name.padEnd(34)} ${String(Math.round((rows / ms) * 1000)).padStart(7)} rows/s   ${(ms / 1000).toFixed(1)} s   peak RSS ${Math.round(peak / 1024 / 1024)} MB (${Math.round(startRss / 1024 / 1024)} MB before)\n`,
    );
  };
  const imp = await withOrg(db, org.id, null, (tx) =>
    tx.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );
  await measure(`import check ${rows} invoice rows`, () => runCheck(ctxFor(imp.check_run_id!), org.id, id));
  const applied = await startApply(db, actor, orgCtx, id, 'valid_rows');
  const runId = (
    await withOrg(db, org.id, null, (tx) =>
      tx.selectFrom('imports').select('apply_run_id').where('id', '=', applied.id).executeTakeFirstOrThrow(),
    )
  ).apply_run_id!;
  await measure(`import apply ${rows} invoice rows`, () => runApply(ctxFor(runId), org.id, id, userId));
  const created = await withOrg(db, org.id, null, (tx) =>
    tx.selectFrom('imports').select(['created_rows', 'rejected_rows']).where('id', '=', id).executeTakeFirstOrThrow(),
  );
  if (created.created_rows !== rows)
    throw new Error(`import created ${created.created_rows} of ${rows} (rejected ${created.rejected_rows})`);

  // --- exports ---------------------------------------------------------------
  const exportRowsWanted = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
  const ownerPool = createPool(urls.ownerUrl, 2, { error: () => undefined });
  const ownerDb = createDb(ownerPool);
  const benchUser = { id: ownerId };
  start = performance.now();
  // The org already holds the queue's and the import's invoices; the rest are drafts made by one
  // SQL insert per 250,000 (the workflow's updates would take the bench minutes).
  const have = Number(
    (
      await ownerDb
        .selectFrom('invoices')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('org_id', '=', org.id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const vendorIds = (await ownerDb.selectFrom('vendors').select('id').where('org_id', '=', org.id).execute()).map(
    (v) => v.id,
  );
  for (let made = have; made < exportRowsWanted; made += 250_000) {
    const to = Math.min(exportRowsWanted, made + 250_000);
    await sql`
      insert into invoices (org_id, vendor_id, number, issue_date, due_date, amount_minor, currency, description, category, created_by)
      select ${org.id}::uuid, (${vendorIds}::uuid[])[1 + g % ${vendorIds.length}], 'BULK-' || g, current_date - (g % 420), current_date - (g % 420) + 30,
             1500 + abs(hashint4(g)) % 60000, 'EUR', '=formula? no: ' || g, 'other', ${benchUser.id}::uuid
        from generate_series(${made + 1}::int, ${to}::int) g`.execute(ownerDb);
  }
  await sql`analyze invoices`.execute(ownerDb);
  process.stdout.write(
    `${exportRowsWanted.toLocaleString('en-GB')} invoices in the org (${(exportRowsWanted - have).toLocaleString('en-GB')} added in ${((performance.now() - start) / 1000).toFixed(1)} s)\n`,
  );

  // Peak RSS while the export runs, sampled every 10 ms (the process's own high-water mark includes seeding).
  const measureExport = async (name: string, fn: () => Promise<number>) => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const t0 = performance.now();
    const rows = await fn();
    const ms = performance.now() - t0;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
    process.stdout.write(
      `${name.padEnd(34)} ${String(Math.round((rows / ms) * 1000)).padStart(7)} rows/s   ${rows.toLocaleString('en-GB')} rows in ${(ms / 1000).toFixed(1)} s   RSS before ${mb(before)}, peak ${mb(peak)}\n`,
    );
  };
  const exportDir = 'var/bench-uploads';
  const n = exportRowsWanted >= 1_000_000 ? `${exportRowsWanted / 1_000_000}M` : `${exportRowsWanted / 1000}k`;
  await measureExport(`export ${n}: task file`, async () => {
    const started = await startExport(db, 10_000, { userId: benchUser.id }, orgCtx, 'invoices', {});
    if (started.outcome !== 'queued') throw new Error('expected a task export');
    const r = await buildExportFile(db, exportDir, org.id, started.id, async () => undefined);
    if (!('rows' in r)) throw new Error(`export skipped: ${r.skipped}`);
    process.stdout.write(`  file: ${(r.size / 1048576).toFixed(0)} MB\n`);
    return r.rows;
  });
  await measureExport(`export ${n}: stream (null sink)`, async () => {
    let rows = 0;
    const sink = new Writable({ write: (_chunk, _enc, cb) => cb() });
    const counted = exportRows(
      db,
      { orgId: org.id, userId: benchUser.id, kind: 'invoices', filters: {} },
      { onBatch: async (n) => void (rows += n) },
    );
    await pipeline(csvStream(SOURCES.invoices.header, counted), sink);
    return rows;
  });
  await rm('var/bench-uploads', { recursive: true, force: true });
  await ownerDb.destroy();
  await app.close();
  await db.destroy();
} finally {
  await embedded.stop();
}
process.stdout.write(`(node ${process.version}, one connection at a time, in-process inject)\n`);
process.exit(0);
