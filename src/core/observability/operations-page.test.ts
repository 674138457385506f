// The operations overview: the runs still failing (not the ones retried since) with their next
// attempt, the job queue's depth and oldest waiting job, CSP reports of the last 7 days grouped by
// directive and blocked origin per day, runs and mail by state; any staff role reads it, and the
// back-office's navigation leads to it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { withOrg } from '../db/tenancy.ts';
import { deliverMail } from '../mail/mail.ts';
import { enqueue } from '../tasks/tasks.ts';
import { buildOrg, type BuiltOrg } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';
import { staffPerson, type StaffPerson } from '../../testing/staff.ts';
import { formatAge } from './operations-page.tsx';
import { cspDays } from './operations-read.ts';

const t = useTestApp();

let org: BuiltOrg;
let support: StaffPerson;
let body: string;
let failedId: string;
let retryingId: string;
let nextAttempt: Date;

async function enqueueMail(): Promise<string> {
  return withOrg(t.db, org.orgId, null, (tx) =>
    enqueue(tx, deliverMail, { messageId: randomUUID() }, { orgId: org.orgId }),
  );
}

const jobSet = (runId: string, set: ReturnType<typeof sql>) =>
  sql`update graphile_worker._private_jobs set ${set}
       where id = (select job_id from task_runs where id = ${runId}::uuid)`.execute(t.owner);

async function csp(directive: string, blocked: string, daysAgo: number, n: number) {
  for (let i = 0; i < n; i++)
    await t.owner
      .insertInto('csp_reports')
      .values({
        violated_directive: directive,
        blocked_uri: blocked,
        disposition: 'report',
        raw: '{}',
        received_at: sql<Date>`now() - make_interval(days => ${daysAgo})`,
      })
      .execute();
}

describe('the operations overview', () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Overview Holdings' });
    support = await staffPerson(t, 'support');
    failedId = await enqueueMail();
    await t.owner
      .updateTable('task_runs')
      .set({ status: 'failed', attempts: 8, error: 'ledger disk full' })
      .where('id', '=', failedId)
      .execute();
    const retriedId = await enqueueMail();
    await t.owner
      .updateTable('task_runs')
      .set({ status: 'failed', attempts: 8, error: 'an old error, retried since' })
      .where('id', '=', retriedId)
      .execute();
    await t.owner
      .insertInto('task_runs')
      .values({ org_id: org.orgId, task: 'mail.deliver', max_attempts: 8, retry_of: retriedId })
      .execute();
    retryingId = await enqueueMail();
    await t.owner
      .updateTable('task_runs')
      .set({ status: 'retrying', attempts: 2, error: 'SMTP said 451' })
      .where('id', '=', retryingId)
      .execute();
    await jobSet(retryingId, sql`attempts = 2, run_at = now() + interval '30 minutes'`);
    const r = await sql<{ run_at: Date }>`select run_at from graphile_worker._private_jobs
        where id = (select job_id from task_runs where id = ${retryingId}::uuid)`.execute(t.owner);
    nextAttempt = r.rows[0]!.run_at;
    // The oldest job waiting for a worker: due 10 minutes ago.
    await jobSet(await enqueueMail(), sql`run_at = now() - interval '10 minutes'`);
    // A month old: a run still waiting counts as waiting now; one that failed then is in no window.
    for (const status of ['queued', 'failed'] as const)
      await t.owner
        .insertInto('task_runs')
        .values({ org_id: org.orgId, task: 'mail.deliver', max_attempts: 8, status })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then(({ id }) =>
          sql`update task_runs set created_at = now() - interval '30 days' where id = ${id}::uuid`.execute(t.owner),
        );
    await csp('script-src-elem', 'https://cdn.evil.test/x.js?token=1', 0, 3);
    await csp('script-src-elem', 'https://cdn.evil.test/other/y.js', 3, 2);
    await csp('style-src-attr', 'inline', 0, 1);
    await csp('img-src', 'https://long-ago.test/a.png', 10, 4);
    await t.owner
      .insertInto('mail_outbox')
      .values({
        dedupe_key: 'overview:1',
        to_address: 'x@example.test',
        subject: 's',
        text_body: 'b',
        status: 'failed',
      })
      .execute();
    const res = await support.agent.get('/staff/operations');
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    body = res.body;
  });

  it('lists the runs still failing, with links to them, their org and the next attempt of a retrying one', () => {
    assert.match(body, new RegExp(`href="/staff/task-runs/${failedId}"`));
    assert.match(body, /ledger disk full/);
    assert.match(body, new RegExp(`href="/staff/task-runs/${retryingId}"`));
    assert.match(body, /SMTP said 451/);
    assert.match(body, new RegExp(`datetime="${nextAttempt.toISOString()}"`), 'the next attempt is shown');
    assert.match(body, new RegExp(`org=${org.slug}"`));
    assert.doesNotMatch(body, /an old error, retried since/, 'a run retried since is no longer failing');
  });

  it("shows graphile-worker's queue: how many jobs wait, and how long the oldest has", () => {
    const oldest = /Oldest waiting<\/span><span class="stat-value">([^<]+)</.exec(body)?.[1];
    assert.equal(oldest, '10 min');
    assert.match(body, /Waiting, due now<\/span><span class="stat-value">\d+</);
    assert.match(body, /Waiting jobs by task/);
    assert.match(body, /mail\.deliver/);
  });

  it('groups the CSP reports of the last 7 days by directive and blocked origin, per day', () => {
    assert.match(body, /6 reports, by UTC day/, 'the one from 10 days ago is left out');
    assert.doesNotMatch(body, /long-ago\.test/);
    const row = /<code>script-src-elem<\/code>.*?<\/tr>/s.exec(body)?.[0] ?? '';
    assert.match(row, /href="\/staff\/csp-reports\?q=https%3A%2F%2Fcdn.evil.test">https:\/\/cdn.evil.test<\/a>/);
    assert.doesNotMatch(body, /x\.js|token=1/, 'paths and queries are dropped');
    const cells = [...row.matchAll(/<td class="num[^"]*">(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    assert.deepEqual(cells, ['0', '0', '0', '2', '0', '0', '3', '5']);
    assert.match(body, /<code>style-src-attr<\/code>/);
    assert.match(body, /class="chart"/);
  });

  it('counts open runs whatever their age, and runs made in the last day and week, never the whole table', () => {
    const card = /<h2[^>]*>Task runs by state<\/h2>.*?<\/table>/s.exec(body)?.[0] ?? '';
    const cells = (status: string) => {
      const row = new RegExp(`<tr>(?:(?!</tr>).)*status=${status}".*?</tr>`, 's').exec(card)?.[0] ?? '';
      return [...row.matchAll(/<td class="num[^"]*">(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    };
    // Sign-ups queue welcome mails too: the month-old runs are what sets the columns apart.
    const [now, day, week] = cells('queued').map(Number) as [number, number, number];
    assert.ok(day >= 2, 'the runs queued here');
    assert.deepEqual([now, day], [week + 1, week], 'the month-old waiting run is waiting now, in no window');
    assert.deepEqual(cells('failed'), ['—', '2', '2'], 'the month-old failure is in no window');
    assert.deepEqual(cells('retrying'), ['1', '1', '1']);
  });

  it('counts task runs and mail by state, each linking to its list', () => {
    assert.match(body, /href="\/staff\/task-runs\?status=failed"/);
    assert.match(body, /href="\/staff\/mail\?status=failed"/);
    assert.match(body, /Task runs by state/);
    assert.match(body, /Mail outbox by delivery state/);
  });

  it("is in the back-office's navigation: the home page and the side nav of the lists", async () => {
    assert.match((await support.agent.get('/staff')).body, /href="\/staff\/operations"/);
    assert.match((await support.agent.get('/staff/task-runs')).body, /href="\/staff\/operations"/);
    assert.match(body, /href="\/staff\/operations" aria-current="page"/);
  });

  it('formats ages and days as people read them', () => {
    assert.deepEqual(
      [formatAge(40_000), formatAge(12 * 60_000), formatAge(185 * 60_000), formatAge(3 * 86400_000)],
      ['40 s', '12 min', '3 h 5 min', '3 days'],
    );
    assert.deepEqual(cspDays(new Date('2026-03-02T10:00:00Z')), [
      '2026-02-24',
      '2026-02-25',
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });
});
