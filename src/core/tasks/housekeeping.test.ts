import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { signUp, useTestApp } from '../../testing/harness.ts';
import { PLATFORM_CLEANUPS } from './housekeeping.ts';
import type { TaskContext } from './tasks.ts';
import { orgIdOf } from '../../testing/factories.ts';

const t = useTestApp();

const DAY = 24 * 3600_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const hash = () => randomBytes(32);

async function runCleanup(name: string) {
  const c = PLATFORM_CLEANUPS.find((x) => x.task.name === name);
  assert.ok(c, name);
  const ctx: TaskContext = {
    ...t.services,
    runId: 'n/a',
    orgId: null,
    attempt: 1,
    maxAttempts: 3,
    db: t.db,
    progress: async () => undefined,
    transaction: () => Promise.reject(new Error('unused')),
  };
  return c.task.execute({}, ctx);
}

describe('housekeeping', () => {
  it('each cleanup is its own scheduled task at 03:xx UTC', () => {
    assert.equal(new Set(PLATFORM_CLEANUPS.map((c) => c.task.name)).size, 5);
    for (const c of PLATFORM_CLEANUPS) {
      assert.match(c.schedule.cron, /^\d+ 3 \* \* \*$/);
      assert.equal(c.schedule.task, c.task);
    }
  });

  it('deletes only what has expired, and reports the counts as the run result', async () => {
    const { email, slug } = await signUp(t.app);
    const user = await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const orgId = await orgIdOf(t, slug);
    const liveSessions = (await t.owner.selectFrom('sessions').select('id_hash').execute()).length;

    await t.owner
      .insertInto('sessions')
      .values([
        { id_hash: hash(), user_id: user.id, expires_at: ago(1) },
        { id_hash: hash(), user_id: user.id, expires_at: ago(0.01) },
        { id_hash: hash(), user_id: user.id, expires_at: ago(-1) },
      ])
      .execute();
    await t.owner
      .insertInto('user_tokens')
      .values([
        { id_hash: hash(), user_id: user.id, purpose: 'password_reset', created_at: ago(10), expires_at: ago(9) }, // expired 9 days ago: goes
        {
          id_hash: hash(),
          user_id: user.id,
          purpose: 'password_reset',
          created_at: ago(9),
          expires_at: ago(-1),
          used_at: ago(8),
        }, // used 8 days ago: goes
        { id_hash: hash(), user_id: user.id, purpose: 'password_reset', created_at: ago(3), expires_at: ago(2) }, // expired 2 days ago: stays
        { id_hash: hash(), user_id: user.id, purpose: 'password_reset', created_at: ago(1), expires_at: ago(-1) }, // open: stays
      ])
      .execute();
    const invitation = (email: string, expires: Date, extra: Record<string, Date> = {}) => ({
      org_id: orgId,
      email,
      role: 'member' as const,
      token_hash: hash(),
      created_at: ago(60),
      expires_at: expires,
      ...extra,
    });
    await t.owner
      .insertInto('invitations')
      .values([
        invitation('old@example.test', ago(31)), // goes
        invitation('recent@example.test', ago(10)), // stays
        invitation('accepted@example.test', ago(40), { accepted_at: ago(45) }), // answered: stays
        invitation('open@example.test', ago(-7)), // stays
      ])
      .execute();
    await t.owner
      .insertInto('form_submissions')
      .values([
        { key: crypto.randomUUID(), method: 'POST', path: '/x', created_at: ago(8) },
        { key: crypto.randomUUID(), method: 'POST', path: '/x', created_at: ago(1) },
      ])
      .execute();
    await t.owner
      .insertInto('csp_reports')
      .values([
        { raw: JSON.stringify({}), received_at: ago(91) },
        { raw: JSON.stringify({}), received_at: ago(10) },
      ])
      .execute();
    const formsBefore = (await t.owner.selectFrom('form_submissions').select('key').execute()).length;
    const cspBefore = (await t.owner.selectFrom('csp_reports').select('id').execute()).length;

    assert.deepEqual(await runCleanup('housekeeping.delete_expired_sessions'), { deleted: 2 });
    assert.deepEqual(await runCleanup('housekeeping.delete_old_user_tokens'), { deleted: 2 });
    assert.deepEqual(await runCleanup('housekeeping.delete_expired_invitations'), { deleted: 1 });
    assert.deepEqual(await runCleanup('housekeeping.delete_old_form_submissions'), { deleted: 1 });
    assert.deepEqual(await runCleanup('housekeeping.delete_old_csp_reports'), { deleted: 1 });

    assert.equal((await t.owner.selectFrom('sessions').select('id_hash').execute()).length, liveSessions + 1);
    assert.equal(
      (await t.owner.selectFrom('user_tokens').select('id_hash').where('user_id', '=', user.id).execute()).length,
      2,
    );
    const left = (
      await t.owner.selectFrom('invitations').select('email').where('org_id', '=', orgId).orderBy('email').execute()
    ).map((r) => r.email);
    assert.deepEqual(left, ['accepted@example.test', 'open@example.test', 'recent@example.test']);
    assert.equal((await t.owner.selectFrom('form_submissions').select('key').execute()).length, formsBefore - 1);
    assert.equal((await t.owner.selectFrom('csp_reports').select('id').execute()).length, cspBefore - 1);

    // Audited, org-less; and a second run finds nothing more.
    const audit = await t.owner
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'housekeeping.deleted')
      .execute();
    assert.equal(audit.length, 5);
    assert.deepEqual(await runCleanup('housekeeping.delete_expired_sessions'), { deleted: 0 });
    assert.deepEqual(await runCleanup('housekeeping.delete_expired_invitations'), { deleted: 0 });
  });
});
