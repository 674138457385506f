// Operators stop a stuck export from its back-office page: a waiting one fails for good with its
// run and job; a build in progress ends at its next batch and leaves no file. The org sees it
// stopped by support, and its download is refused with a way forward. Refused: support (403), an
// out-of-date page (409), the org's name mistyped (422), an export with nothing to stop (409).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { withOrg } from '../../core/db/tenancy.ts';
import { enqueue, TaskCancelled } from '../../core/tasks/tasks.ts';
import { buildInvoice, buildOrg, buildVendor, type BuiltOrg } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';
import { staffPerson, type StaffPerson } from '../../testing/staff.ts';
import { buildExportFile } from './build-export.ts';
import { fileKeyFor, filePath } from './files.ts';
import { buildExport } from './tasks.ts';

const uploadDir = mkdtempSync(path.join(tmpdir(), 'lw-export-cancel-'));
const t = useTestApp({ UPLOAD_DIR: uploadDir });

let org: BuiltOrg;
let operator: StaffPerson;
let support: StaffPerson;

async function waitingExport(): Promise<{ id: string; runId: string }> {
  const e = await t.owner
    .insertInto('exports')
    .values({ org_id: org.orgId, kind: 'invoices', created_by: org.owner.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const runId = await withOrg(t.db, org.orgId, null, (tx) =>
    enqueue(tx, buildExport, { exportId: e.id }, { orgId: org.orgId, runAt: new Date(Date.now() + 3600_000) }),
  );
  await t.owner.updateTable('exports').set({ run_id: runId }).where('id', '=', e.id).execute();
  return { id: e.id, runId };
}

const page = (id: string) => `/staff/exports/${org.orgId}/${id}`;
const cancel = (who: StaffPerson, id: string, fields: Record<string, string> = {}) =>
  who.agent.post(`${page(id)}/cancel`, {
    cancel_reason: 'ticket 9: asked by mistake',
    cancel_confirm: org.slug,
    cancel_seen: 'queued',
    ...fields,
  });
const exportRow = (id: string) =>
  t.owner.selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('operators stop a stuck export', () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Export Stoppers' });
    const v = await buildVendor(t, org.orgId);
    for (let i = 0; i < 5; i++) await buildInvoice(t, org.orgId, v.id, { number: `STOP-${i}` });
    operator = await staffPerson(t, 'operator');
    support = await staffPerson(t, 'support');
  });

  it('a waiting export is stopped with its run and job, audited; the org sees it and cannot download it', async () => {
    const { id, runId } = await waitingExport();
    const shown = await operator.agent.get(page(id));
    assert.equal(shown.statusCode, 200, shown.body.slice(0, 300));
    assert.match(shown.body, /Export of invoices/);
    assert.match(shown.body, new RegExp(`action="${page(id)}/cancel"`));
    assert.match(shown.body, new RegExp(`href="/staff/task-runs/${runId}"`));
    const list = await operator.agent.get(`/staff/exports?org=${org.slug}`);
    assert.match(list.body, new RegExp(`href="${page(id)}"`));

    assert.equal((await cancel(operator, id, { cancel_seen: 'running' })).statusCode, 409);
    const typo = await cancel(operator, id, { cancel_confirm: 'nope' });
    assert.equal(typo.statusCode, 422);
    assert.match(typo.body, new RegExp(`Type “${org.slug}” exactly`));
    const noReason = await cancel(operator, id, { cancel_reason: '' });
    assert.equal(noReason.statusCode, 422);
    await support.agent.get(page(id));
    assert.equal((await cancel(support, id)).statusCode, 403);
    assert.equal((await exportRow(id)).status, 'queued', 'nothing happened');

    assert.equal((await cancel(operator, id)).statusCode, 303);
    const e = await exportRow(id);
    assert.equal(e.status, 'cancelled');
    assert.ok(e.finished_at);
    const run = await t.owner.selectFrom('task_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    assert.equal(run.status, 'failed');
    assert.match(run.error!, /ticket 9/);
    const job = await sql<{ attempts: number; max_attempts: number }>`
      select attempts, max_attempts from graphile_worker._private_jobs where id = ${run.job_id}::bigint`.execute(
      t.owner,
    );
    assert.equal(job.rows[0]!.attempts, job.rows[0]!.max_attempts, 'its job will not run');
    const audit = await t.owner
      .selectFrom('audit_log')
      .select(['actor_user_id', 'org_id', 'changes'])
      .where('action', '=', 'export.cancelled')
      .where('target_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [audit.actor_user_id, audit.org_id, (audit.changes as Record<string, unknown>).reason],
      [operator.id, org.orgId, 'ticket 9: asked by mistake'],
    );

    const theirs = await org.owner.agent.get(`/o/${org.slug}/exports`);
    assert.match(theirs.body, /Stopped by support/);
    const download = await org.owner.agent.get(`/o/${org.slug}/exports/${id}/download`);
    assert.equal(download.statusCode, 409);
    assert.match(download.body, /support stopped this export/);
    // Nothing to stop any more: not offered, and refused when posted.
    assert.doesNotMatch((await operator.agent.get(page(id))).body, /\/cancel"/);
    assert.equal((await cancel(operator, id, { cancel_seen: 'cancelled' })).statusCode, 409);
  });

  it('a build in progress ends at its next batch when the export is stopped, and leaves no file', async () => {
    const e = await t.owner
      .insertInto('exports')
      .values({ org_id: org.orgId, kind: 'invoices', created_by: org.owner.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    let batches = 0;
    const building = buildExportFile(t.db, uploadDir, org.orgId, e.id, async (done) => {
      if (done === 0) return;
      batches += 1;
      // Staff stop it while the worker writes the file.
      await t.owner.updateTable('exports').set({ status: 'cancelled' }).where('id', '=', e.id).execute();
    });
    await assert.rejects(building, TaskCancelled);
    assert.equal(batches, 1, 'it stopped at the first batch after the cancel');
    const final = filePath(uploadDir, fileKeyFor(org.orgId, e.id));
    assert.equal(existsSync(final), false);
    assert.equal(existsSync(`${final}.part`), false, 'the partial file is deleted');
    const row = await exportRow(e.id);
    assert.deepEqual([row.status, row.file_key], ['cancelled', null]);
  });
});
