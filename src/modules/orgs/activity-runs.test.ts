import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildOrg } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';

const t = useTestApp();

/** An org with its owner (on the Activity page, holding its CSRF token) and a member. */
async function orgWithPeople() {
  const o = await buildOrg(t, { name: 'Runs Org', roles: ['member'] });
  await o.owner.agent.get(`/o/${o.slug}/activity`);
  return { owner: o.owner, ownerId: o.owner.id, member: o.people.member, orgId: o.orgId, slug: o.slug };
}

async function failedRun(orgId: string, createdBy: string, status: 'failed' | 'running' = 'failed') {
  const started = new Date(Date.now() - 65_000);
  return t.owner
    .insertInto('task_runs')
    .values({
      org_id: orgId,
      task: 'notifications.payout_paid',
      input: JSON.stringify({ payoutId: '00000000-0000-4000-8000-000000000001', actorId: createdBy }),
      status,
      attempts: 5,
      max_attempts: 5,
      error: status === 'failed' ? 'SMTP relay refused the connection' : null,
      created_by: createdBy,
      started_at: started,
      finished_at: status === 'failed' ? new Date(started.getTime() + 3_500) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

const retryUrl = (slug: string, runId: string) => `/o/${slug}/activity/runs/${runId}/retry`;

describe('task runs on the Activity page', () => {
  it('a member cannot retry a run (403); a run of another org answers 404; nothing is enqueued', async () => {
    const a = await orgWithPeople();
    const b = await orgWithPeople();
    const runA = await failedRun(a.orgId, a.ownerId);
    const runB = await failedRun(b.orgId, b.ownerId);
    assert.equal((await a.member.agent.post(retryUrl(a.slug, runA.id), {})).statusCode, 403);
    assert.equal((await a.owner.agent.post(retryUrl(a.slug, runB.id), {})).statusCode, 404);
    assert.equal((await a.owner.agent.post(retryUrl(a.slug, 'not-an-id'), {})).statusCode, 404);
    const retries = await t.owner
      .selectFrom('task_runs')
      .select('id')
      .where('retry_of', 'in', [runA.id, runB.id])
      .execute();
    assert.equal(retries.length, 0);
  });

  it('shows runs by their label, who started them, duration and the error; a run that failed for good says so and offers Retry', async () => {
    const a = await orgWithPeople();
    const run = await failedRun(a.orgId, a.ownerId);
    const page = await a.owner.agent.get(`/o/${a.slug}/activity`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Tell people a payout was paid/);
    assert.ok(!page.body.includes('>notifications.payout_paid<'));
    assert.match(page.body, /Failed for good/);
    assert.match(page.body, /SMTP relay refused the connection/);
    assert.match(page.body, /3\.5 s/);
    assert.ok(page.body.includes(`action="${retryUrl(a.slug, run.id)}"`));
    const row = page.body.slice(page.body.indexOf(`id="run-${run.id}"`));
    assert.ok(!row.slice(0, row.indexOf('</tr>')).includes('<progress'), 'a failed run never shows progress');
  });

  it('an owner retries a failed run: a new run of the same task and input, linked to the old one, audited; a second retry is refused (409)', async () => {
    const a = await orgWithPeople();
    const run = await failedRun(a.orgId, a.ownerId);
    const res = await a.owner.agent.post(retryUrl(a.slug, run.id), {});
    assert.equal(res.statusCode, 303);
    const retry = await t.owner
      .selectFrom('task_runs')
      .selectAll()
      .where('retry_of', '=', run.id)
      .executeTakeFirstOrThrow();
    assert.equal(retry.task, run.task);
    assert.deepEqual(retry.input, run.input);
    assert.equal(retry.status, 'queued');
    assert.equal(retry.org_id, a.orgId);
    assert.equal(retry.created_by, a.ownerId);
    const jobs = await sql<{
      n: string;
    }>`select count(*)::text as n from graphile_worker._private_jobs where payload->>'runId' = ${retry.id}`.execute(
      t.owner,
    );
    assert.equal(jobs.rows[0]?.n, '1');
    const old = await t.owner.selectFrom('task_runs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow();
    assert.equal(old.status, 'failed', 'the failed run keeps its story');
    const audit = await t.owner
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'task.retried')
      .where('org_id', '=', a.orgId)
      .executeTakeFirstOrThrow();
    assert.equal(audit.target_id, run.id);
    assert.equal((audit.changes as { new_run_id: string }).new_run_id, retry.id);
    assert.equal((await a.owner.agent.post(retryUrl(a.slug, run.id), {})).statusCode, 409);
    const page = await a.owner.agent.get(`/o/${a.slug}/activity`);
    assert.match(page.body, /Retried \(see the newer run\)/);
    assert.match(page.body, /Retry of an earlier run/);
  });

  it('a run that has not failed for good cannot be retried (409)', async () => {
    const a = await orgWithPeople();
    const run = await failedRun(a.orgId, a.ownerId, 'running');
    const res = await a.owner.agent.post(retryUrl(a.slug, run.id), {});
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /only a run that failed for good can be retried/);
  });
});
