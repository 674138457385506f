import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { eventually, useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildOrg, buildVendor, EVERY_ROLE, orgAudit } from '../../testing/factories.ts';
import { filePath } from './files.ts';
import { deleteExpiredExports } from './service.ts';
import { csvRows, postExport } from './test-helpers.ts';

// Anything above 3 rows is built as a file by a task here.
const t = useTestApp({ EXPORT_DIRECT_MAX_ROWS: '3' });

describe('large exports (built by a task)', () => {
  it('runs as a task with progress, downloads while valid, answers 410 once expired, and housekeeping deletes the file', async () => {
    const { slug, orgId, owner, people } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    const v = await buildVendor(t, orgId);
    for (let i = 0; i < 5; i++)
      await buildInvoice(t, orgId, v.id, {
        number: `BIG-${i}`,
        status: 'submitted',
        submittedBy: people.member.id,
      });
    await buildInvoice(t, orgId, v.id, { number: 'DRAFT-NOT-EXPORTED' });

    const res = await postExport(owner.agent, `/o/${slug}/exports/invoices.csv?status=submitted`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/o/${slug}/exports`);
    const e = await t.owner.selectFrom('exports').selectAll().where('org_id', '=', orgId).executeTakeFirstOrThrow();
    assert.equal(e.status, 'queued');
    assert.ok(e.run_id);
    // While it waits, its row polls for itself.
    const waiting = await owner.agent.get(`/o/${slug}/exports`);
    assert.match(waiting.body, /That is 5 rows, so the file is being prepared/);
    assert.match(waiting.body, new RegExp(`hx-get="/o/${slug}/exports/${e.id}/row" hx-trigger="every 1s"`));
    // Not downloadable before it is ready.
    assert.equal((await owner.agent.get(`/o/${slug}/exports/${e.id}/download`)).statusCode, 409);

    await t.startWorker();
    // The task marks the export ready, then the worker marks the run succeeded once the task has
    // returned: two transactions in that order, so wait for the later one and check both.
    const { ready, run } = await eventually(
      async () => {
        const run = await t.owner
          .selectFrom('task_runs')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('id', '=', e.run_id!)
          .executeTakeFirstOrThrow();
        if (run.status !== 'succeeded') return null;
        const ready = await t.owner
          .selectFrom('exports')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('id', '=', e.id)
          .executeTakeFirstOrThrow();
        return { ready, run };
      },
      15_000,
      'the export run to succeed',
    );
    assert.equal(ready.status, 'ready', 'a succeeded run has its file recorded');
    assert.equal(ready.row_count, 5);
    assert.ok(
      ready.expires_at && Math.abs(ready.expires_at.getTime() - Date.now() - 24 * 3600_000) < 60_000,
      'valid for 24 hours',
    );
    assert.deepEqual([run.progress_done, run.progress_total], [5, 5]);

    // Finished: the row stops polling and offers the file.
    const row = await owner.agent.get(`/o/${slug}/exports/${e.id}/row`, { 'hx-request': 'true' });
    assert.doesNotMatch(row.body, /hx-trigger/);
    assert.match(row.body, new RegExp(`/o/${slug}/exports/${e.id}/download`));

    const file = await people.approver.agent.get(`/o/${slug}/exports/${e.id}/download`);
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers['content-disposition']), /^attachment; filename="invoices-/);
    assert.equal(file.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(
      csvRows(file.body)
        .map((r) => r.number)
        .sort(),
      ['BIG-0', 'BIG-1', 'BIG-2', 'BIG-3', 'BIG-4'],
    );
    // Someone who may not export invoices cannot fetch the file either.
    assert.equal((await people.viewer.agent.get(`/o/${slug}/exports/${e.id}/download`)).statusCode, 403);

    const actions = async () => (await orgAudit(t, orgId, 'export.%')).map((a) => [a.action, a.actor_user_id]);
    assert.deepEqual(await actions(), [
      ['export.created', owner.id],
      ['export.file_ready', null],
      ['export.downloaded', people.approver.id],
    ]);

    // A day later the link is gone, with a page that says why and what to do.
    await t.owner
      .updateTable('exports')
      .set({ expires_at: sql<Date>`now() - interval '1 minute'` })
      .where('org_id', '=', orgId)
      .where('id', '=', e.id)
      .execute();
    const gone = await owner.agent.get(`/o/${slug}/exports/${e.id}/download`);
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /This export has expired: export files are kept for 24 hours/);
    assert.match(String(gone.headers['content-type']), /text\/html/);

    const path = filePath(t.settings.uploadDir, ready.file_key!);
    assert.ok(existsSync(path));
    assert.deepEqual(await deleteExpiredExports(t.db, t.settings.uploadDir), { deleted: 1 });
    assert.ok(!existsSync(path), 'the file is deleted');
    const expired = await t.owner
      .selectFrom('exports')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', e.id)
      .executeTakeFirstOrThrow();
    assert.equal(expired.status, 'expired');
    assert.equal(expired.file_key, null);
    assert.equal((await owner.agent.get(`/o/${slug}/exports/${e.id}/download`)).statusCode, 410);
    assert.deepEqual((await actions()).at(-1), ['export.expired', null]);
    // Running housekeeping again finds nothing more to do.
    assert.deepEqual(await deleteExpiredExports(t.db, t.settings.uploadDir), { deleted: 0 });
  });

  it('housekeeping leaves files that are still valid alone', async () => {
    const { slug, orgId, owner } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    const v = await buildVendor(t, orgId);
    for (let i = 0; i < 4; i++) await buildInvoice(t, orgId, v.id);
    assert.equal((await postExport(owner.agent, `/o/${slug}/exports/invoices.csv`)).statusCode, 303);
    await t.startWorker();
    const e = await eventually(
      async () =>
        t.owner
          .selectFrom('exports')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('status', '=', 'ready')
          .executeTakeFirst(),
      15_000,
      'ready',
    );
    await deleteExpiredExports(t.db, t.settings.uploadDir);
    assert.ok(existsSync(filePath(t.settings.uploadDir, e.file_key!)));
    assert.equal((await owner.agent.get(`/o/${slug}/exports/${e.id}/download`)).statusCode, 200);
  });
});
