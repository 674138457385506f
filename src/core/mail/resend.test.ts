// A message's back-office page and its Resend: never the body, a failed message queued again with
// a new delivery run (audited), and the refusals: support (403), a message sent meanwhile (409),
// a message of nothing (404).
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { staffPerson, type StaffPerson } from '../../testing/staff.ts';

const t = useTestApp();

let operator: StaffPerson;
let support: StaffPerson;

async function message(status: 'failed' | 'sent' | 'queued') {
  const tag = randomBytes(4).toString('hex');
  const row = await t.owner
    .insertInto('mail_outbox')
    .values({
      dedupe_key: `resend-test:${tag}`,
      to_address: `ann.${tag}@example.test`,
      subject: `Reset your password ${tag}`,
      text_body: `Open https://app.example.test/reset/secret-link-${tag}`,
      status,
      error: status === 'failed' ? '550 mailbox unavailable' : null,
    })
    .returning(['id', 'to_address'])
    .executeTakeFirstOrThrow();
  return { ...row, tag };
}

const audits = (id: string) =>
  t.owner
    .selectFrom('audit_log')
    .select(['action', 'actor_user_id', 'org_id', 'changes'])
    .where('target_type', '=', 'mail')
    .where('target_id', '=', id)
    .where('action', '=', 'mail.resent')
    .execute();

describe('resending a failed message', () => {
  before(async () => {
    operator = await staffPerson(t, 'operator');
    support = await staffPerson(t, 'support');
  });

  it("the message's page shows address, subject and delivery, never the body; the outbox list links to it", async () => {
    const m = await message('failed');
    const res = await operator.agent.get(`/staff/mail/${m.id}`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.match(res.body, new RegExp(`Reset your password ${m.tag}`));
    assert.match(res.body, /550 mailbox unavailable/);
    assert.match(res.body, /never shown here/);
    assert.doesNotMatch(res.body, /secret-link-/);
    assert.match(res.body, new RegExp(`action="/staff/mail/${m.id}/resend"[^>]*data-confirm=`));
    assert.match((await operator.agent.get('/staff/mail')).body, new RegExp(`href="/staff/mail/${m.id}"`));
    const bySupport = await support.agent.get(`/staff/mail/${m.id}`);
    assert.equal(bySupport.statusCode, 200);
    assert.doesNotMatch(bySupport.body, /\/resend"/);
  });

  it('Resend queues it again with a new delivery run, and is audited', async () => {
    const m = await message('failed');
    const res = await operator.agent.post(`/staff/mail/${m.id}/resend`, { resend_seen: 'failed' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal(res.headers.location, `/staff/mail/${m.id}`);
    const row = await t.owner.selectFrom('mail_outbox').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'queued');
    assert.equal(row.error, null);
    const runs = await t.owner
      .selectFrom('task_runs')
      .selectAll()
      .where('task', '=', 'mail.deliver')
      .where('created_by', '=', operator.id)
      .execute();
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0]!.input, { messageId: m.id });
    assert.ok(runs[0]!.job_id, 'the run has its graphile-worker job');
    const audit = await audits(m.id);
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_user_id, operator.id);
    assert.equal((audit[0]!.changes as { run_id: string }).run_id, runs[0]!.id);
    // The page now says it was resent (its history) and offers no second Resend.
    const page = await operator.agent.get(`/staff/mail/${m.id}`);
    assert.match(page.body, /mail\.resent/);
    assert.doesNotMatch(page.body, /\/resend"/);
  });

  it('a message sent meanwhile is refused (409) and left as it is', async () => {
    const m = await message('failed');
    await operator.agent.get(`/staff/mail/${m.id}`);
    await t.owner.updateTable('mail_outbox').set({ status: 'sent', error: null }).where('id', '=', m.id).execute();
    const res = await operator.agent.post(`/staff/mail/${m.id}/resend`, { resend_seen: 'failed' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /no longer applies to this record: it changed/);
    assert.equal((await audits(m.id)).length, 0);
  });

  it('support may not resend (403); a message of nothing answers 404', async () => {
    const m = await message('failed');
    assert.equal((await support.agent.post(`/staff/mail/${m.id}/resend`, { resend_seen: 'failed' })).statusCode, 403);
    const row = await t.owner
      .selectFrom('mail_outbox')
      .select('status')
      .where('id', '=', m.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'failed');
    assert.equal((await audits(m.id)).length, 0);
    assert.equal(
      (await operator.agent.post(`/staff/mail/${randomUUID()}/resend`, { resend_seen: 'failed' })).statusCode,
      404,
    );
    assert.equal((await operator.agent.get(`/staff/mail/${randomUUID()}`)).statusCode, 404);
  });
});
