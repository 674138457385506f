import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { z } from 'zod';
import { withOrg } from '../db/tenancy.ts';
import { deliver, deliverMail, queueMail } from '../mail/mail.ts';
import { buildMail, orgIdOf } from '../../testing/factories.ts';
import { eventually, signUp, startTestWorker, useTestApp } from '../../testing/harness.ts';
import { defineTask, enqueue } from './tasks.ts';

const t = useTestApp();

/** graphile-worker backs off exponentially; brings the retry of `task` forward instead of waiting. */
async function retryNow(task: string) {
  await sql`update graphile_worker._private_jobs set run_at = now() where task_id = (select id from graphile_worker._private_tasks where identifier = ${task})`.execute(
    t.owner,
  );
}

describe('tasks', () => {
  it('a task enqueued in a rolled-back transaction never exists, so never runs', async () => {
    const { slug } = await signUp(t.app);
    const orgId = await orgIdOf(t, slug);
    const marker = `rollback-${randomUUID()}`;
    const count = async () => ({
      jobs: (await sql<{ n: string }>`select count(*)::text as n from graphile_worker._private_jobs`.execute(t.owner))
        .rows[0]?.n,
      runs: (
        await t.owner
          .selectFrom('task_runs')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    });
    const before = await count();
    await assert.rejects(
      withOrg(t.db, orgId, null, async (tx) => {
        assert.equal(
          await queueMail(tx, orgId, { dedupeKey: marker, to: 'x@example.test', subject: 'never', text: 'never' }),
          true,
        );
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.deepEqual(await count(), before, 'no job and no run row survive the rollback');
    await t.startWorker();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(
      await t.owner.selectFrom('mail_outbox').select('id').where('dedupe_key', '=', marker).executeTakeFirst(),
      undefined,
    );
  });

  it('the welcome email lands in the outbox exactly once, even when its task runs again', async () => {
    const { email, slug } = await signUp(t.app);
    await t.startWorker();
    const sent = await eventually(
      () =>
        t.owner
          .selectFrom('mail_outbox')
          .selectAll()
          .where('to_address', '=', email)
          .where('status', '=', 'sent')
          .executeTakeFirst(),
      15_000,
      'the welcome email to be sent',
    );
    assert.equal(sent.subject, 'Welcome to Ledgerworks');
    assert.match(sent.text_body, new RegExp(`/o/${slug}`));
    const run = await eventually(
      () =>
        t.owner
          .selectFrom('task_runs')
          .selectAll()
          .where('task', '=', 'accounts.send_welcome_email')
          .where('status', '=', 'succeeded')
          .where('input', '@>', sql`${JSON.stringify({ orgSlug: slug })}::jsonb` as never)
          .executeTakeFirst(),
      5_000,
      'the welcome run to succeed',
    );
    assert.equal(run.attempts, 1);
    // A retry of the same task (as after a crash between sending and recording) adds nothing.
    const orgId = await orgIdOf(t, slug);
    const user = await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    // Found by name in the app's task list: core's tests do not import a module.
    const sendWelcomeEmail = t.app.appContext.tasks.get('accounts.send_welcome_email');
    assert.ok(sendWelcomeEmail);
    const again = await sendWelcomeEmail.execute(
      { userId: user.id, orgSlug: slug },
      {
        ...t.services,
        runId: run.id,
        orgId,
        attempt: 2,
        maxAttempts: 5,
        db: t.db,
        progress: async () => undefined,
        transaction: (fn) => withOrg(t.db, orgId, null, fn),
      },
    );
    assert.deepEqual(again, { queued: false });
    const all = await t.owner.selectFrom('mail_outbox').select('id').where('to_address', '=', email).execute();
    assert.equal(all.length, 1);
  });

  it('a delivery retried after a crash mid-send is not sent twice', async () => {
    const id = await buildMail(t, 'crash', { to_address: 'y@example.test', status: 'sending' });
    assert.deepEqual(await deliver(t.db, t.services.mail, id), { outcome: 'interrupted' });
    const row = await t.owner.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'failed');
    assert.equal(row.sent_at, null);
    assert.deepEqual(await deliver(t.db, t.services.mail, id), { outcome: 'already failed' });
  });

  it('a sent message is never sent again by a duplicate delivery job', async () => {
    const id = await buildMail(t, 'dup', { to_address: 'z@example.test' });
    assert.deepEqual(await deliver(t.db, t.services.mail, id), { outcome: 'sent' });
    assert.deepEqual(await deliver(t.db, t.services.mail, id), { outcome: 'already sent' });
    assert.ok(deliverMail.maxAttempts > 1);
  });

  it('a failing task is retried with its attempts visible, then marked failed with its error', async () => {
    const { slug } = await signUp(t.app);
    const orgId = await orgIdOf(t, slug);
    const flaky = defineTask({
      name: 'test.always_fails',
      label: 'Always fails',
      input: z.object({ n: z.number() }),
      maxAttempts: 2,
      run: async () => {
        throw new Error('the bank is down');
      },
    });
    const runId = await withOrg(t.db, orgId, null, (tx) => enqueue(tx, flaky, { n: 1 }, { orgId }));
    const queued = await withOrg(t.db, orgId, null, (tx) =>
      tx.selectFrom('task_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow(),
    );
    assert.equal(queued.status, 'queued');
    const worker = await startTestWorker(t, t.services, t.app.log, { tasks: [flaky], concurrency: 1 });
    try {
      await eventually(
        async () =>
          (await t.owner.selectFrom('task_runs').select('status').where('id', '=', runId).executeTakeFirst())
            ?.status === 'retrying',
        10_000,
        'retrying',
      );
      await retryNow('test.always_fails');
      const failed = await eventually(
        async () => {
          const r = await t.owner.selectFrom('task_runs').selectAll().where('id', '=', runId).executeTakeFirst();
          return r?.status === 'failed' ? r : null;
        },
        15_000,
        'failed',
      );
      assert.equal(failed.attempts, 2);
      assert.equal(failed.error, 'the bank is down');
      assert.ok(failed.finished_at);
    } finally {
      await worker.stop();
    }
  });

  it('a scheduled job gets a run row of its own, the same one on every attempt', async () => {
    let calls = 0;
    const nightly = defineTask({
      name: 'test.nightly_job',
      label: 'Nightly job',
      input: z.object({ days: z.number() }),
      maxAttempts: 2,
      run: async ({ days }) => {
        calls += 1;
        if (calls === 1) throw new Error('first try fails');
        return { days };
      },
    });
    const worker = await startTestWorker(t, t.services, t.app.log, { tasks: [nightly], concurrency: 1 });
    try {
      // What graphile-worker's cron enqueues at a tick.
      await sql`select graphile_worker.add_job('test.nightly_job', ${JSON.stringify({ scheduled: true, input: { days: 30 }, _cron: { ts: new Date().toISOString(), backfilled: false } })}::json, max_attempts => 2)`.execute(
        t.owner,
      );
      await eventually(
        async () =>
          (
            await t.owner
              .selectFrom('task_runs')
              .select('status')
              .where('task', '=', 'test.nightly_job')
              .executeTakeFirst()
          )?.status === 'retrying',
        10_000,
        'retrying',
      );
      await retryNow('test.nightly_job');
      const done = await eventually(
        async () => {
          const rows = await t.owner
            .selectFrom('task_runs')
            .selectAll()
            .where('task', '=', 'test.nightly_job')
            .execute();
          return rows.length === 1 && rows[0]!.status === 'succeeded' ? rows : null;
        },
        15_000,
        'succeeded',
      );
      assert.equal(done[0]!.attempts, 2);
      assert.equal(done[0]!.org_id, null);
      assert.deepEqual(done[0]!.result, { days: 30 });
    } finally {
      await worker.stop();
    }
  });

  it('enqueue refuses input its task schema rejects, before anything is written', async () => {
    const { slug } = await signUp(t.app);
    const orgId = await orgIdOf(t, slug);
    await assert.rejects(
      withOrg(t.db, orgId, null, (tx) => enqueue(tx, deliverMail, { messageId: 'not-a-uuid' }, { orgId })),
    );
  });
});
