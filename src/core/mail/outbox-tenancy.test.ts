// The outbox is tenant data where a mail belongs to an org (migration 0018): an org's mail is
// visible only in that org's context and to staff reads, a person's account mail is read as before,
// no org can record a mail in another's name, and the delivery worker still sends any of them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { signUp, useTestApp } from '../../testing/harness.ts';
import { staffPerson } from '../../testing/staff.ts';
import type { Db, Tx } from '../db/pool.ts';
import { withOrg, withStaff, withUser } from '../db/tenancy.ts';
import { deliver, queueMail } from './mail.ts';

const t = useTestApp();

let alpha: { id: string; slug: string; agent: Awaited<ReturnType<typeof signUp>>['agent'] };
let beta: string;

async function orgId(slug: string) {
  return (await t.owner.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

function mail(tag: string) {
  return { dedupeKey: `tenancy:${tag}`, to: `ann.${tag}@example.test`, subject: `Invoice INV-${tag}`, text: 'Acme' };
}

const visible = (tx: Tx | Db, id: string) =>
  tx.selectFrom('mail_outbox').select('id').where('id', '=', id).executeTakeFirst();

async function queued(orgOf: string | null, tag: string): Promise<string> {
  const run = (tx: Tx) => queueMail(tx, orgOf, mail(tag));
  assert.equal(orgOf ? await withOrg(t.db, orgOf, null, run) : await withUser(t.db, null, run), true);
  return (
    await t.owner
      .selectFrom('mail_outbox')
      .select('id')
      .where('dedupe_key', '=', `tenancy:${tag}`)
      .executeTakeFirstOrThrow()
  ).id;
}

describe('the mail outbox is tenant data', () => {
  before(async () => {
    const a = await signUp(t.app);
    alpha = { id: await orgId(a.slug), slug: a.slug, agent: a.agent };
    beta = await orgId((await signUp(t.app)).slug);
  });

  it("an org's mail is hidden from another org and from no-org contexts, and seen in its own", async () => {
    const id = await queued(alpha.id, randomBytes(4).toString('hex'));
    const row = await t.owner.selectFrom('mail_outbox').select('org_id').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.org_id, alpha.id);
    assert.equal(await withOrg(t.db, beta, null, (tx) => visible(tx, id)), undefined);
    assert.equal(await withUser(t.db, null, (tx) => visible(tx, id)), undefined);
    assert.equal(await visible(t.db, id), undefined, 'outside any transaction context too');
    assert.ok(await withOrg(t.db, alpha.id, null, (tx) => visible(tx, id)));
    const changed = await withOrg(t.db, beta, null, (tx) =>
      tx.updateTable('mail_outbox').set({ status: 'failed' }).where('id', '=', id).executeTakeFirst(),
    );
    assert.equal(changed.numUpdatedRows, 0n, 'another org cannot change it either');
  });

  it("a mail of no org (a person's account mail) is read as before, in any context", async () => {
    const id = await queued(null, randomBytes(4).toString('hex'));
    assert.ok(await withUser(t.db, null, (tx) => visible(tx, id)));
    assert.ok(await withOrg(t.db, beta, null, (tx) => visible(tx, id)));
  });

  it("an org cannot record a mail in another org's name", async () => {
    const tag = randomBytes(4).toString('hex');
    await assert.rejects(
      withOrg(t.db, beta, null, (tx) => queueMail(tx, alpha.id, mail(tag))),
      /row-level security/,
    );
  });

  it('staff read every mail; the back-office list and page show an org mail', async () => {
    const id = await queued(alpha.id, randomBytes(4).toString('hex'));
    const operator = await staffPerson(t, 'operator');
    assert.ok(await withStaff(t.db, operator.id, (tx) => visible(tx, id)));
    assert.equal((await operator.agent.get(`/staff/mail/${id}`)).statusCode, 200);
    assert.match((await operator.agent.get('/staff/mail')).body, new RegExp(`href="/staff/mail/${id}"`));
  });

  it("the delivery worker sends an org's mail whatever its run's context, once", async () => {
    const id = await queued(alpha.id, randomBytes(4).toString('hex'));
    assert.deepEqual(await deliver(t.db, t.services.mail, id), { outcome: 'sent' });
    assert.deepEqual(await deliver(t.db, t.services.mail, id), { outcome: 'already sent' });
    const row = await t.owner.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    assert.equal(row.message_id, `<${id}@ledgerworks>`);
    assert.ok(row.sent_at);
  });

  it('an invitation mail belongs to its org; a failed one is resent in that org', async () => {
    const email = `invitee.${randomBytes(4).toString('hex')}@example.test`;
    await alpha.agent.get(`/o/${alpha.slug}/invitations`);
    const sent = await alpha.agent.post(`/o/${alpha.slug}/invitations`, { email, role: 'member' });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 300));
    const row = await t.owner
      .selectFrom('mail_outbox')
      .select(['id', 'org_id'])
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(row.org_id, alpha.id);
    await t.owner.updateTable('mail_outbox').set({ status: 'failed', error: 'x' }).where('id', '=', row.id).execute();
    const operator = await staffPerson(t, 'operator');
    await operator.agent.get(`/staff/mail/${row.id}`);
    const res = await operator.agent.post(`/staff/mail/${row.id}/resend`, { resend_seen: 'failed' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const run = await t.owner
      .selectFrom('task_runs')
      .select('org_id')
      .where('created_by', '=', operator.id)
      .where('task', '=', 'mail.deliver')
      .executeTakeFirstOrThrow();
    assert.equal(run.org_id, alpha.id);
  });
});
