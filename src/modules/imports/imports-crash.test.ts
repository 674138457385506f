// A worker killed mid-import (SIGKILL: no cleanup, no "failed" written): once an operator
// frees its job, another worker finishes the import with no duplicated and no missing row.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { eventually, useTestApp } from '../../testing/harness.ts';
import { buildOrg, buildVendor, orgAudit } from '../../testing/factories.ts';
import { importRow, upload, waitForStatus } from './test-helpers.ts';

const uploadDir = mkdtempSync(path.join(tmpdir(), 'lw-imports-crash-'));
const t = useTestApp({ UPLOAD_DIR: uploadDir });
const ROWS = 5000;

/** Resolves once the worker process says it is ready; fails if it exits first or takes minutes. */
function workerReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the worker process did not start within 3 minutes')), 180_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'worker ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the worker process exited before it was ready (${code ?? signal})`));
    });
  });
}

describe('an import whose worker is killed', () => {
  it('is finished by another worker after the crash with exactly N invoices and no duplicates', async () => {
    const o = await buildOrg(t, { name: 'Crash Test Org' });
    const vendor = await buildVendor(t, o.orgId);
    const lines = ['vendor_tax_id,number,issue_date,due_date,amount,currency,category,description'];
    for (let i = 1; i <= ROWS; i++)
      lines.push(`${vendor.tax_id},CR-${i},2026-11-01,2026-12-01,${i}.50,EUR,software,row ${i}`);
    const id = await upload(o.owner.agent, o.slug, `${lines.join('\n')}\n`);

    const script = fileURLToPath(new URL('../../testing/import-worker-process.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      // Each batch of 1,000 waits 2 s before it is written: the import is part done for ~8 s, long
      // enough to be seen and killed on a busy machine, whatever the polling's pace.
      env: { ...process.env, LW_WORKER_DB_URL: t.appUrl, UPLOAD_DIR: uploadDir, IMPORT_BATCH_DELAY_MS: '2000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    try {
      // The child compiles the whole app before it takes a job: its start is not part of the timing.
      await workerReady(child);
      const checked = await waitForStatus(t, o.orgId, id, ['checked', 'failed'], 60_000);
      assert.equal(checked.status, 'checked', checked.error ?? '');
      assert.equal(checked.valid_rows, ROWS);
      await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
      assert.equal(
        (await o.owner.agent.post(`/o/${o.slug}/imports/${id}/apply`, { mode: 'valid_rows' })).statusCode,
        303,
      );
      const runId = (await importRow(t, o.orgId, id)).apply_run_id!;
      await eventually(
        async () => {
          const run = await t.owner
            .selectFrom('task_runs')
            .select(['progress_done', 'progress_total'])
            .where('id', '=', runId)
            .executeTakeFirst();
          return run && (run.progress_done ?? 0) > 0 && (run.progress_done ?? 0) < ROWS;
        },
        30_000,
        'the import to be part done',
      );
    } finally {
      child.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');
    const mid = await importRow(t, o.orgId, id);
    assert.equal(mid.status, 'importing');
    const partial = Number(
      (
        await t.owner
          .selectFrom('invoices')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('org_id', '=', o.orgId)
          .executeTakeFirstOrThrow()
      ).n,
    );
    assert.ok(partial > 0 && partial < ROWS, `part of the rows were imported before the kill (${partial})`);

    // What an operator does after a crash (graphile-worker would wait for its lock timeout).
    await sql`update graphile_worker._private_jobs set locked_at = null, locked_by = null, run_at = now() where locked_by is not null`.execute(
      t.owner,
    );
    await t.startWorker();
    const done = await waitForStatus(t, o.orgId, id, ['imported', 'failed'], 60_000);
    assert.equal(done.status, 'imported', done.error ?? '');
    const counts = await sql<{ n: string; distinct_numbers: string }>`
      select count(*) as n, count(distinct upper(number)) as distinct_numbers from invoices where org_id = ${o.orgId}`.execute(
      t.owner,
    );
    assert.deepEqual(counts.rows[0], { n: String(ROWS), distinct_numbers: String(ROWS) });
    assert.deepEqual(
      [done.created_rows, done.skipped_existing, done.applied_rows],
      [ROWS, 0, ROWS],
      'counts survive the crash: committed batches are not counted twice',
    );
    const audit = await orgAudit(t, o.orgId, 'import.completed');
    assert.equal(audit.length, 1);
  });
});
