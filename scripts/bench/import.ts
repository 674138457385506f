// CSV import: 100,000 invoice rows through the real check and import code (rows/s, peak RSS).
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { userActor } from '../../src/core/audit/audit.ts';
import type { Db } from '../../src/core/db/pool.ts';
import { withOrg } from '../../src/core/db/tenancy.ts';
import { setRunProgress } from '../../src/core/tasks/runs.ts';
import type { AppServices } from '../../src/core/app-services.ts';
import type { TaskContext } from '../../src/core/tasks/tasks.ts';
import type { OrgContext } from '../../src/core/http/types.ts';
import { runApply } from '../../src/modules/imports/apply.ts';
import { runCheck } from '../../src/modules/imports/check.ts';
import { startApply, uploadImport } from '../../src/modules/imports/service.ts';

export async function benchImport(
  db: Db,
  services: AppServices,
  orgCtx: OrgContext,
  userId: string,
  uploadDir: string,
) {
  const org = orgCtx;
  const rows = 100_000;
  const actor = userActor({ requestId: 'bench', ip: null }, userId);
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
    actor,
    orgCtx,
    { kind: 'invoices', encoding: 'auto', delimiter: 'auto' },
    { tmpPath: csv, filename: 'bench.csv', size: statSync(csv).size, tooLarge: false },
    uploadDir,
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
}
