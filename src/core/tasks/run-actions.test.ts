// Operators act on task runs from the back-office: a retrying run runs now, a failed one runs again
// as a new run, a waiting one is cancelled; each through graphile-worker's functions on the run's
// job, audited. Refused: support (403), a run that moved on since the page (409), a job a worker
// holds (409), a run of nothing (404).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { withOrg, withUser } from '../db/tenancy.ts';
import { deliverMail } from '../mail/mail.ts';
import { buildOrg, type BuiltOrg } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';
import { staffPerson, type StaffPerson } from '../../testing/staff.ts';
import { CANCELLED_ERROR } from './run-actions.ts';
import type { TaskStatus } from './runs.ts';
import { enqueue } from './tasks.ts';

const t = useTestApp();

let org: BuiltOrg;
let operator: StaffPerson;
let superuser: StaffPerson;
let support: StaffPerson;

type JobRow = { id: string; run_at: Date; attempts: number; max_attempts: number; locked_at: Date | null };

/** A real run with its graphile-worker job (no worker runs here), put into `status`. */
async function makeRun(orgId: string | null, status: TaskStatus, input: Record<string, unknown> = {}) {
  const messageId = randomUUID();
  const add = (tx: Parameters<Parameters<typeof withUser>[2]>[0]) => enqueue(tx, deliverMail, { messageId }, { orgId });
  const runId = await (orgId ? withOrg(t.db, orgId, null, add) : withUser(t.db, null, add));
  if (Object.keys(input).length)
    await t.owner
      .updateTable('task_runs')
      .set({ input: JSON.stringify({ messageId, ...input }) })
      .where('id', '=', runId)
      .execute();
  const attempts = status === 'queued' ? 0 : status === 'retrying' ? 2 : 8;
  await t.owner
    .updateTable('task_runs')
    .set({ status, attempts, error: status === 'queued' ? null : 'SMTP said 451' })
    .where('id', '=', runId)
    .execute();
  await sql`update graphile_worker._private_jobs set attempts = ${attempts},
              run_at = now() + interval '1 hour', last_error = 'SMTP said 451'
             where id = (select job_id from task_runs where id = ${runId}::uuid)`.execute(t.owner);
  return runId;
}

async function jobOf(runId: string): Promise<JobRow | undefined> {
  const r = await sql<JobRow>`select id::text as id, run_at, attempts, max_attempts, locked_at
      from graphile_worker._private_jobs where id = (select job_id from task_runs where id = ${runId}::uuid)`.execute(
    t.owner,
  );
  return r.rows[0];
}

const runRow = (id: string) =>
  t.owner.selectFrom('task_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const auditOf = (runId: string) =>
  t.owner
    .selectFrom('audit_log')
    .select(['action', 'actor_user_id', 'org_id', 'changes'])
    .where('target_type', '=', 'task_run')
    .where('target_id', '=', runId)
    .where('action', 'like', 'task_run.%')
    .execute();

describe('operators act on task runs', () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Queue Holdings' });
    operator = await staffPerson(t, 'operator');
    superuser = await staffPerson(t, 'superuser');
    support = await staffPerson(t, 'support');
  });

  it("a run's page shows its input with secrets masked, its job and error; operators get the actions, support does not", async () => {
    const runId = await makeRun(org.orgId, 'retrying', { resetToken: 'tok-very-secret-123', note: 'hello' });
    const res = await operator.agent.get(`/staff/task-runs/${runId}`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.match(res.body, /Task run mail\.deliver/);
    assert.match(res.body, /SMTP said 451/);
    assert.match(res.body, /Failed, will retry/);
    assert.match(res.body, /\[masked\]/);
    assert.match(res.body, /hello/);
    assert.doesNotMatch(res.body, /tok-very-secret-123/);
    assert.match(res.body, /href="\/staff\/mail\/[0-9a-f-]{36}"/, 'the message id links to its page');
    assert.match(res.body, new RegExp(`action="/staff/task-runs/${runId}/retry"[^>]*data-confirm=`));
    assert.match(res.body, new RegExp(`action="/staff/task-runs/${runId}/cancel"`));
    const list = await operator.agent.get(`/staff/task-runs?org=${org.slug}`);
    assert.match(
      list.body,
      new RegExp(`href="/staff/task-runs/${runId}"`),
      'a run of an org is addressed by its id alone',
    );
    const bySupport = await support.agent.get(`/staff/task-runs/${runId}`);
    assert.equal(bySupport.statusCode, 200);
    assert.doesNotMatch(bySupport.body, /\/retry"/);
    assert.match(bySupport.body, /Retry now: needs the operator or superuser role/);
    const viewed = await t.owner
      .selectFrom('audit_log')
      .select('org_id')
      .where('action', '=', 'staff.viewed')
      .where('target_id', '=', runId)
      .execute();
    assert.deepEqual(
      viewed.map((v) => v.org_id),
      [org.orgId, org.orgId],
    );
  });

  it('Retry now on a retrying run moves its job to now, keeps its attempts, and is audited in its org', async () => {
    const runId = await makeRun(org.orgId, 'retrying');
    const res = await operator.agent.post(`/staff/task-runs/${runId}/retry`, { retry_seen: 'retrying' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal(res.headers.location, `/staff/task-runs/${runId}`);
    const job = (await jobOf(runId))!;
    assert.ok(job.run_at.getTime() <= Date.now() + 1000, 'due now');
    assert.equal(job.attempts, 2);
    const audit = await auditOf(runId);
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.action, 'task_run.retried');
    assert.equal(audit[0]!.actor_user_id, operator.id);
    assert.equal(audit[0]!.org_id, org.orgId);
    assert.equal((audit[0]!.changes as { how: string }).how, 'now');
  });

  it('Retry now on a run that failed for good enqueues a new run linked to it; a second retry is refused', async () => {
    const runId = await makeRun(org.orgId, 'failed');
    const res = await superuser.agent.post(`/staff/task-runs/${runId}/retry`, { retry_seen: 'failed' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const next = await t.owner
      .selectFrom('task_runs')
      .selectAll()
      .where('retry_of', '=', runId)
      .executeTakeFirstOrThrow();
    assert.equal(res.headers.location, `/staff/task-runs/${next.id}`);
    assert.equal(next.status, 'queued');
    assert.equal(next.created_by, superuser.id);
    assert.ok(await jobOf(next.id), 'the new run has its job');
    assert.equal((await runRow(runId)).error, 'SMTP said 451', 'the failed run keeps its error');
    assert.equal((await auditOf(runId))[0]!.action, 'task_run.retried');
    const again = await superuser.agent.post(`/staff/task-runs/${runId}/retry`, { retry_seen: 'failed' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /no longer applies/);
  });

  it('Cancel fails the job for good, so no worker takes it, and marks the run; audited', async () => {
    const runId = await makeRun(org.orgId, 'queued');
    const res = await operator.agent.post(`/staff/task-runs/${runId}/cancel`, {
      cancel_seen: 'queued',
      cancel_confirm: 'mail.deliver',
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const job = (await jobOf(runId))!;
    assert.equal(job.attempts, job.max_attempts);
    const run = await runRow(runId);
    assert.equal(run.status, 'failed');
    assert.equal(run.error, CANCELLED_ERROR);
    assert.ok(run.finished_at);
    const audit = await auditOf(runId);
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_user_id]),
      [['task_run.cancelled', operator.id]],
    );
  });

  it('a run of no org (scheduled, platform) is addressed by its id alone and cancelled outside any org', async () => {
    const runId = await makeRun(null, 'retrying');
    const page = await operator.agent.get(`/staff/task-runs/${runId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /none \(platform\)/);
    const res = await operator.agent.post(`/staff/task-runs/${runId}/cancel`, {
      cancel_seen: 'retrying',
      cancel_confirm: 'mail.deliver',
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal((await runRow(runId)).status, 'failed');
    assert.deepEqual(
      (await auditOf(runId)).map((a) => a.org_id),
      [null],
    );
  });

  it('support may not retry or cancel (403); nothing changes and nothing is audited', async () => {
    const runId = await makeRun(org.orgId, 'retrying');
    const before = await jobOf(runId);
    for (const action of ['retry', 'cancel']) {
      const res = await support.agent.post(`/staff/task-runs/${runId}/${action}`, {
        [`${action}_seen`]: 'retrying',
        cancel_confirm: 'mail.deliver',
      });
      assert.equal(res.statusCode, 403, `${action}: ${res.statusCode}`);
    }
    assert.deepEqual(await jobOf(runId), before);
    assert.equal((await runRow(runId)).status, 'retrying');
    assert.equal((await auditOf(runId)).length, 0);
  });

  it('a run whose state changed since the page was opened is refused with 409, saying where it is now', async () => {
    const runId = await makeRun(org.orgId, 'retrying');
    await t.owner.updateTable('task_runs').set({ status: 'succeeded' }).where('id', '=', runId).execute();
    for (const action of ['retry', 'cancel']) {
      const res = await operator.agent.post(`/staff/task-runs/${runId}/${action}`, {
        [`${action}_seen`]: 'retrying',
        cancel_confirm: 'mail.deliver',
      });
      assert.equal(res.statusCode, 409, `${action}: ${res.statusCode}`);
      assert.match(res.body, /no longer applies to this record: it changed/);
    }
    // The state it is in now does not take the action either: a succeeded run is neither retried nor cancelled.
    const res = await operator.agent.post(`/staff/task-runs/${runId}/cancel`, {
      cancel_seen: 'succeeded',
      cancel_confirm: 'mail.deliver',
    });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /no longer applies/);
    assert.equal((await auditOf(runId)).length, 0);
  });

  it('a job a worker holds right now is left alone (409)', async () => {
    const runId = await makeRun(org.orgId, 'queued');
    await sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'test-worker'
               where id = (select job_id from task_runs where id = ${runId}::uuid)`.execute(t.owner);
    const res = await operator.agent.post(`/staff/task-runs/${runId}/cancel`, {
      cancel_seen: 'queued',
      cancel_confirm: 'mail.deliver',
    });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /no longer applies/);
    assert.match((await operator.agent.get(`/staff/task-runs/${runId}`)).body, /a worker holds it/);
    assert.equal((await runRow(runId)).status, 'queued');
    assert.equal((await auditOf(runId)).length, 0);
  });

  it('a run id of nothing answers 404, a malformed one too, and a made-up state 409', async () => {
    const nothing = randomUUID();
    assert.equal((await operator.agent.get(`/staff/task-runs/${nothing}`)).statusCode, 404);
    const res = await operator.agent.post(`/staff/task-runs/${nothing}/retry`, { retry_seen: 'failed' });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /There is no such record/);
    assert.equal(
      (await operator.agent.post('/staff/task-runs/not-an-id/retry', { retry_seen: 'failed' })).statusCode,
      404,
    );
    const runId = await makeRun(org.orgId, 'failed');
    const bad = await operator.agent.post(`/staff/task-runs/${runId}/retry`, { retry_seen: 'exploded' });
    assert.equal(bad.statusCode, 409, 'a state the page never showed is not the state the run is in');
  });
});
