// Operators stop a stuck import from its back-office page. A run a worker holds ends at its next
// batch (the batch in progress rolls back, the committed ones stay, "Try again" resumes after them
// with no duplicate); a run that waits is failed for good with its job; all or nothing keeps no row.
// Refused: support (403), a page that is out of date (409), the file name mistyped (422), an import
// with nothing running (409), a person who is not staff (404).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { withOrg } from '../../core/db/tenancy.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { eventually } from '../../testing/harness.ts';
import { staffPerson, type StaffPerson } from '../../testing/staff.ts';
import { setImportBatchDelay } from './apply.ts';
import { BATCH_ROWS } from './check.ts';
import { checkImport } from './tasks.ts';
import { HEADER, importRow, upload, useImportTeam, waitForStatus } from './test-helpers.ts';

const { t, setUp, team, invoices } = useImportTeam();

let operator: StaffPerson;
let support: StaffPerson;

function csvOf(prefix: string, rows: number): string {
  const lines = Array.from(
    { length: rows },
    (_, i) => `${team.taxId},${prefix}-${i + 1},2026-11-01,2026-12-01,${(i % 90) + 10}.00,EUR,software,`,
  );
  return `${HEADER}\n${lines.join('\n')}\n`;
}

const page = (id: string) => `/staff/imports/${team.o.orgId}/${id}`;

function cancel(who: StaffPerson, id: string, fields: Record<string, string>) {
  return who.agent.post(`${page(id)}/cancel`, {
    cancel_reason: 'ticket 42: stuck for hours',
    cancel_confirm: 'big.csv',
    ...fields,
  });
}

const runOf = (runId: string) =>
  t.owner.selectFrom('task_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();

const mine = async (prefix: string) => (await invoices(team.o.orgId)).filter((i) => i.number.startsWith(`${prefix}-`));

describe('operators stop a stuck import', () => {
  before(async () => {
    await setUp();
    operator = await staffPerson(t, 'operator');
    support = await staffPerson(t, 'support');
  });
  after(() => setImportBatchDelay(0));

  it('a running "valid rows" import stops at its next batch, keeps the committed batches, and resumes after them', async () => {
    const { id } = await checkedFile('VR', 3 * BATCH_ROWS);
    setImportBatchDelay(1500);
    assert.equal((await apply(id, 'valid_rows')).statusCode, 303);
    const moving = await eventually(
      async () => {
        const r = await importRow(t, team.o.orgId, id);
        return r.applied_rows >= BATCH_ROWS ? r : null;
      },
      30_000,
      'the first batch to commit',
    );
    const shown = await operator.agent.get(page(id));
    assert.match(shown.body, new RegExp(`action="${page(id)}/cancel"`));
    assert.match(shown.body, /\d+ of 3000 rows are already imported/);
    assert.equal((await cancel(operator, id, { cancel_seen: 'importing' })).statusCode, 303);
    const stopped = await importRow(t, team.o.orgId, id);
    assert.equal(stopped.status, 'failed');
    assert.equal(stopped.failed_stage, 'apply');
    assert.match(stopped.error!, /Stopped by Ledgerworks support \(ticket 42: stuck for hours\)/);
    const run = await eventually(async () => {
      const r = await runOf(moving.apply_run_id!);
      return r.status === 'failed' ? r : null;
    }, 30_000);
    assert.match(run.error!, /Stopped by Ledgerworks support while it ran/);
    setImportBatchDelay(0);
    const kept = await mine('VR');
    const after = await importRow(t, team.o.orgId, id);
    assert.equal(kept.length, after.applied_rows, 'exactly the committed batches are there');
    assert.equal(kept.length % BATCH_ROWS, 0, 'no half batch');
    assert.ok(kept.length < 3 * BATCH_ROWS);
    const audit = await t.owner
      .selectFrom('audit_log')
      .select(['actor_user_id', 'changes'])
      .where('action', '=', 'import.cancelled')
      .where('target_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_user_id, operator.id);
    assert.deepEqual(
      [(audit.changes as Record<string, unknown>).reason, (audit.changes as Record<string, unknown>).run],
      ['ticket 42: stuck for hours', 'running'],
    );
    // The org sees why, and "Try again" resumes after the kept rows.
    const { o } = team;
    const theirs = await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    assert.match(theirs.body, /Stopped by Ledgerworks support/);
    assert.equal((await o.owner.agent.post(`/o/${o.slug}/imports/${id}/retry`, {})).statusCode, 303);
    const done = await waitForStatus(t, o.orgId, id, ['imported', 'failed'], 60_000);
    assert.equal(done.status, 'imported', done.error ?? '');
    const all = await mine('VR');
    assert.equal(all.length, 3 * BATCH_ROWS);
    assert.equal(new Set(all.map((i) => i.number)).size, all.length, 'no duplicate');
    // Each committed batch is in the audit log with it, before and after the stop: three in all.
    const batches = await t.owner
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'import.batch_applied')
      .where('target_id', '=', id)
      .execute();
    assert.equal(batches.length, 3);
  });

  it('an "all or nothing" import stopped while it runs keeps no row', async () => {
    const { id } = await checkedFile('AON', 3 * BATCH_ROWS);
    setImportBatchDelay(1500);
    assert.equal((await apply(id, 'all_or_nothing')).statusCode, 303);
    const runId = (await importRow(t, team.o.orgId, id)).apply_run_id!;
    await eventually(async () => ((await runOf(runId)).progress_done ?? 0) >= BATCH_ROWS, 30_000, 'a batch written');
    const shown = await operator.agent.get(page(id));
    assert.match(shown.body, /before any row is kept/);
    assert.equal((await cancel(operator, id, { cancel_seen: 'importing' })).statusCode, 303);
    await eventually(async () => (await runOf(runId)).status === 'failed', 30_000, 'the run to stop');
    setImportBatchDelay(0);
    assert.equal((await mine('AON')).length, 0);
    assert.equal((await importRow(t, team.o.orgId, id)).status, 'failed');
  });

  it('a check waiting in the queue is stopped with its job, for good', async () => {
    const { o } = team;
    const imp = await t.owner
      .insertInto('imports')
      .values({
        org_id: o.orgId,
        kind: 'invoices',
        status: 'checking',
        file_key: `${o.orgId}/waiting.csv`,
        file_name: 'big.csv',
        file_size: 10,
        created_by: o.owner.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const runId = await withOrg(t.db, o.orgId, null, (tx) =>
      enqueue(tx, checkImport, { importId: imp.id }, { orgId: o.orgId, runAt: new Date(Date.now() + 3600_000) }),
    );
    await t.owner.updateTable('imports').set({ check_run_id: runId }).where('id', '=', imp.id).execute();
    await operator.agent.get(page(imp.id));
    // Out of date, mistyped, the wrong role, not staff: nothing happens.
    assert.equal((await cancel(operator, imp.id, { cancel_seen: 'importing' })).statusCode, 409);
    const typo = await cancel(operator, imp.id, { cancel_seen: 'checking', cancel_confirm: 'big' });
    assert.equal(typo.statusCode, 422);
    assert.match(typo.body, /Type “big.csv” exactly/);
    assert.equal((await cancel(support, imp.id, { cancel_seen: 'checking' })).statusCode, 403);
    await o.owner.agent.get('/orgs');
    assert.equal((await o.owner.agent.post(`${page(imp.id)}/cancel`, {})).statusCode, 404);
    assert.equal((await importRow(t, o.orgId, imp.id)).status, 'checking');

    assert.equal((await cancel(operator, imp.id, { cancel_seen: 'checking' })).statusCode, 303);
    const r = await importRow(t, o.orgId, imp.id);
    assert.deepEqual([r.status, r.failed_stage], ['failed', 'check']);
    const run = await runOf(runId);
    assert.equal(run.status, 'failed');
    assert.match(run.error!, /ticket 42/);
    const job = await sql<{ attempts: number; max_attempts: number }>`
      select attempts, max_attempts from graphile_worker._private_jobs where id = ${run.job_id}::bigint`.execute(
      t.owner,
    );
    assert.equal(job.rows[0]!.attempts, job.rows[0]!.max_attempts, 'its job will not run');
    // Nothing runs now: the page offers nothing, and a second try is refused.
    assert.doesNotMatch((await operator.agent.get(page(imp.id))).body, /\/cancel"/);
    assert.equal((await cancel(operator, imp.id, { cancel_seen: 'checking' })).statusCode, 409);
  });
});

async function checkedFile(prefix: string, rows: number) {
  const { o } = team;
  const id = await upload(o.owner.agent, o.slug, csvOf(prefix, rows), { name: 'big.csv' });
  const row = await waitForStatus(t, o.orgId, id, ['checked', 'failed'], 60_000);
  assert.equal(row.status, 'checked', row.error ?? '');
  return { id, row };
}

async function apply(id: string, mode: 'valid_rows' | 'all_or_nothing') {
  const { o } = team;
  await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
  return o.owner.agent.post(`/o/${o.slug}/imports/${id}/apply`, { mode });
}
