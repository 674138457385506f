import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { hashToken } from '../../../core/security/tokens.ts';
import { signUp, useTestApp } from '../../../testing/harness.ts';
import { normalize, passwordResetHelpers } from './test-helpers.ts';
import { auditOf, mailsTo, passwordHashOf, tokenIn, tokensOf, userId } from '../test-helpers.ts';

const t = useTestApp();
const { freshAgent, requestReset, resetTasksDone, resetLink } = passwordResetHelpers(t);

describe('password reset: the emailed link', () => {
  before(async () => {
    await t.startWorker();
  });

  it('no account enumeration: an unknown and a known email get an identical answer, and both only enqueue a task', async () => {
    const { email } = await signUp(t.app);
    const known = await requestReset(email);
    const unknown = await requestReset('nobody-here@example.test');
    assert.equal(known.statusCode, 303);
    assert.equal(unknown.statusCode, known.statusCode);
    assert.equal(unknown.headers.location, known.headers.location);
    assert.equal(normalize(unknown.body), normalize(known.body));
    const pageKnown = await freshAgent().get(String(known.headers.location));
    const pageUnknown = await freshAgent().get(String(unknown.headers.location));
    assert.equal(pageKnown.statusCode, 200);
    assert.equal(normalize(pageUnknown.body), normalize(pageKnown.body));
    await resetTasksDone(email);
    await resetTasksDone('nobody-here@example.test');
    assert.equal(
      (await mailsTo(t.owner, 'nobody-here@example.test')).length,
      0,
      'nothing is sent to an unknown address',
    );
    assert.equal((await mailsTo(t.owner, email)).filter((m) => m.subject.startsWith('Reset')).length, 1);
  });

  it('the reset token is stored only as its sha256 hash, expiring in an hour', async () => {
    const { email } = await signUp(t.app);
    await requestReset(email);
    const token = await resetLink(email);
    const rows = await tokensOf(t.owner, email);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.purpose, 'password_reset');
    assert.ok(row.id_hash.equals(hashToken(token)));
    assert.ok(
      !row.id_hash.toString('latin1').includes(token) && !JSON.stringify(row).includes(token),
      'the token itself is not stored',
    );
    const minutes = (row.expires_at.getTime() - row.created_at.getTime()) / 60_000;
    assert.ok(minutes > 59 && minutes <= 60, `expires in an hour (got ${minutes} minutes)`);
    const audit = await auditOf(t.owner, await userId(t.owner, email), 'account.password_reset_requested');
    assert.equal(audit.length, 1);
  });

  it('an expired link is refused, with a way to ask for a new one, and changes nothing', async () => {
    const { email } = await signUp(t.app);
    await requestReset(email);
    const token = await resetLink(email);
    await t.owner
      .updateTable('user_tokens')
      .set({ created_at: sql<Date>`now() - interval '2 hours'`, expires_at: sql<Date>`now() - interval '1 hour'` })
      .where('id_hash', '=', hashToken(token))
      .execute();
    const before = await passwordHashOf(t.owner, email);
    const agent = freshAgent();
    await agent.get('/password/forgot'); // a CSRF token, as any page of the site gives
    const page = await agent.get(`/password/reset/${token}`);
    assert.equal(page.statusCode, 410);
    assert.match(page.body, /no longer works/);
    assert.match(page.body, /href="\/password\/forgot"/);
    const post = await agent.post(`/password/reset/${token}`, { password: 'a brand new password' });
    assert.equal(post.statusCode, 410);
    const after = await passwordHashOf(t.owner, email);
    assert.equal(after, before);
  });

  it('an unknown link is refused the same way', async () => {
    const res = await freshAgent().get('/password/reset/not-a-real-token-at-all-xxxxxxxxxxxxxxxxxx');
    assert.equal(res.statusCode, 410);
    assert.match(res.body, /Send me a new link/);
  });

  it('a used link is refused: a reset link works once', async () => {
    const { email } = await signUp(t.app);
    await requestReset(email);
    const token = await resetLink(email);
    const agent = freshAgent();
    await agent.get(`/password/reset/${token}`);
    assert.equal((await agent.post(`/password/reset/${token}`, { password: 'first new password' })).statusCode, 303);
    const again = freshAgent();
    await again.get('/password/forgot');
    assert.equal((await again.get(`/password/reset/${token}`)).statusCode, 410);
    assert.equal((await again.post(`/password/reset/${token}`, { password: 'second new password' })).statusCode, 410);
    const login = freshAgent();
    await login.get('/login');
    assert.equal(
      (await login.post('/login', { email, password: 'first new password' })).statusCode,
      303,
      'the first reset holds',
    );
  });

  it('a too-short new password gets a 422 beside the field and the link keeps working', async () => {
    const { email } = await signUp(t.app);
    await requestReset(email);
    const token = await resetLink(email);
    const agent = freshAgent();
    await agent.get(`/password/reset/${token}`);
    const res = await agent.post(`/password/reset/${token}`, { password: 'short' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Use at least 10 characters/);
    assert.equal((await agent.get(`/password/reset/${token}`)).statusCode, 200);
  });

  it('a reset ends every session (an old browser is signed out), unlocks a locked account, audits and sends a notice', async () => {
    const { agent: old, email, slug } = await signUp(t.app);
    const id = await userId(t.owner, email);
    await t.owner
      .updateTable('users')
      .set({ failed_logins: 7, lockouts: 2, locked_until: sql<Date>`now() + interval '1 hour'` })
      .where('id', '=', id)
      .execute();
    await requestReset(email);
    const token = await resetLink(email);
    const agent = freshAgent();
    const form = await agent.get(`/password/reset/${token}`);
    assert.equal(form.statusCode, 200);
    assert.equal(form.headers['referrer-policy'], 'no-referrer');
    const res = await agent.post(`/password/reset/${token}`, { password: 'a brand new password' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login');
    const login = await agent.get('/login');
    assert.match(login.body, /Sign in with your new password/);

    assert.equal((await old.get(`/o/${slug}`)).statusCode, 302, 'the old browser is signed out');
    assert.equal(
      Number(
        (
          await t.owner
            .selectFrom('sessions')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('user_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
      0,
    );
    const user = await t.owner.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([user.failed_logins, user.lockouts, user.locked_until], [0, 0, null]);
    assert.ok(user.password_changed_at);
    const audit = await auditOf(t.owner, id, 'account.password_reset');
    assert.equal(audit.length, 1);
    assert.equal((audit[0]!.changes as { devices_signed_out: number }).devices_signed_out, 1);
    assert.ok((await mailsTo(t.owner, email)).some((m) => m.subject === 'Your Ledgerworks password was changed'));
    const signIn = freshAgent();
    await signIn.get('/login');
    assert.equal((await signIn.post('/login', { email, password: 'a brand new password' })).statusCode, 303);
  });

  it('using one reset link uses up every other reset link of the account', async () => {
    const { email } = await signUp(t.app);
    const id = await userId(t.owner, email);
    await requestReset(email);
    const first = await resetLink(email);
    // A second link, as if requested after the two-minute window.
    await t.owner
      .updateTable('user_tokens')
      .set({ created_at: sql<Date>`now() - interval '3 minutes'` })
      .where('user_id', '=', id)
      .execute();
    await requestReset(email);
    await resetTasksDone(email, 2);
    const links = (await mailsTo(t.owner, email)).filter((m) => m.subject.startsWith('Reset'));
    assert.equal(links.length, 2);
    const second = tokenIn(links[1]!.text_body, '/password/reset/');
    const agent = freshAgent();
    await agent.get(`/password/reset/${second}`);
    assert.equal((await agent.post(`/password/reset/${second}`, { password: 'a brand new password' })).statusCode, 303);
    assert.equal((await freshAgent().get(`/password/reset/${first}`)).statusCode, 410);
  });
});
