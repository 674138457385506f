// Exports: BENCH_EXPORT_ROWS (default 1,000,000) invoices exported through the real export code,
// as the task's file and as the direct stream, with rows/s and peak RSS.
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { userActor } from '../../src/core/audit/audit.ts';
import { csvStream } from '../../src/core/csv.ts';
import { createDb, createPool, type Db } from '../../src/core/db/pool.ts';
import type { OrgContext } from '../../src/core/http/types.ts';
import { buildExportFile } from '../../src/modules/exports/build-export.ts';
import { exportRows } from '../../src/modules/exports/files.ts';
import { startExport } from '../../src/modules/exports/service.ts';
import { SOURCES } from '../../src/modules/exports/sources.ts';

export async function benchExports(db: Db, ownerUrl: string, orgCtx: OrgContext, ownerId: string) {
  const org = orgCtx;
  const exportRowsWanted = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
  const ownerPool = createPool(ownerUrl, 2, { error: () => undefined });
  const ownerDb = createDb(ownerPool);
  const benchUser = { id: ownerId };
  const start = performance.now();
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
    const started = await startExport(
      db,
      userActor({ requestId: 'bench', ip: null }, benchUser.id),
      orgCtx,
      'invoices',
      {},
      10_000,
    );
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
}
