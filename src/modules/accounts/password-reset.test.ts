import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { maskUrlSecrets } from '../../core/observability/logging.ts';
import { hashToken, newToken } from '../../core/security/tokens.ts';
import { Agent, eventually, signUp, useTestApp } from '../../testing/harness.ts';
import { auditOf, mailsTo, tokenIn, userId } from './test-helpers.ts';

const t = useTestApp();

let ipCounter = 0;
function freshAgent() {
  ipCounter += 1;
  return new Agent(t.app, `10.40.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`);
}

async function requestReset(email: string, agent = freshAgent()) {
  await agent.get('/password/forgot');
  return agent.post('/password/forgot', { email }, { submission: agent.submissionKey ?? undefined });
}

/** Waits until every reset task for this address has run. */
async function resetTasksDone(email: string, count = 1) {
  await eventually(
    async () => {
      const runs = await t.owner
        .selectFrom('task_runs')
        .select('status')
        .where('task', '=', 'accounts.send_password_reset')
        .where(sql<string>`input->>'email'`, '=', email)
        .execute();
      return runs.length >= count && runs.every((r) => r.status === 'succeeded');
    },
    10_000,
    `reset task for ${email}`,
  );
}

async function resetLink(email: string): Promise<string> {
  await resetTasksDone(email);
  const mail = (await mailsTo(t.owner, email)).find((m) => m.subject === 'Reset your Ledgerworks password');
  assert.ok(mail, 'a reset email was sent');
  return tokenIn(mail.text_body, '/password/reset/');
}

/** A page without its per-request secrets (CSRF token, submission key, CSP nonce). */
const normalize = (body: string) =>
  body
    .replace(/value="[^"]*"/g, 'value=""')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/x-csrf-token&quot;:&quot;[^&]*&quot;/g, 'x-csrf-token&quot;:&quot;&quot;');

describe('password reset', () => {
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
    const rows = await t.owner
      .selectFrom('user_tokens')
      .selectAll()
      .where('user_id', '=', await userId(t.owner, email))
      .execute();
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
    const before = await t.owner
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const agent = freshAgent();
    await agent.get('/password/forgot'); // a CSRF token, as any page of the site gives
    const page = await agent.get(`/password/reset/${token}`);
    assert.equal(page.statusCode, 410);
    assert.match(page.body, /no longer works/);
    assert.match(page.body, /href="\/password\/forgot"/);
    const post = await agent.post(`/password/reset/${token}`, { password: 'a brand new password' });
    assert.equal(post.statusCode, 410);
    const after = await t.owner
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(after.password_hash, before.password_hash);
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

  it('two quick submits send one email (no second link within two minutes)', async () => {
    const { email } = await signUp(t.app);
    const agent = freshAgent();
    assert.equal((await requestReset(email, agent)).statusCode, 303);
    assert.equal((await requestReset(email, agent)).statusCode, 303);
    await resetTasksDone(email, 2);
    assert.equal((await mailsTo(t.owner, email)).filter((m) => m.subject.startsWith('Reset')).length, 1);
    assert.equal(
      (
        await t.owner
          .selectFrom('user_tokens')
          .select('id_hash')
          .where('user_id', '=', await userId(t.owner, email))
          .execute()
      ).length,
      1,
    );
  });

  it('per-email rate limit: the fourth request for one address within an hour is refused, whether or not it has an account', async () => {
    const { email } = await signUp(t.app);
    for (const address of [email, 'ghost-account@example.test']) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await requestReset(i % 2 ? address.toUpperCase() : address)).statusCode);
      assert.deepEqual(statuses, [303, 303, 303, 429], address);
    }
    const agent = freshAgent();
    await agent.get('/password/forgot');
    const res = await agent.post('/password/forgot', { email: 'ghost-account@example.test' });
    assert.match(res.body, /Too many reset requests for this address/);
  });

  it('per-address rate limit: one client gets ten requests an hour', async () => {
    const agent = freshAgent();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await requestReset(`someone${i}@example.test`, agent)).statusCode);
    assert.deepEqual(statuses, [...Array<number>(10).fill(303), 429]);
  });

  it('a deactivated account gets no reset email', async () => {
    const { email } = await signUp(t.app);
    await t.owner
      .updateTable('users')
      .set({ is_active: false, deactivated_at: sql<Date>`now()` })
      .where('email', '=', email)
      .execute();
    assert.equal((await requestReset(email)).statusCode, 303);
    await resetTasksDone(email);
    assert.equal((await mailsTo(t.owner, email)).filter((m) => m.subject.startsWith('Reset')).length, 0);
  });

  it('a bad email address gets a 422 beside the field; the login page links to the reset', async () => {
    const agent = freshAgent();
    await agent.get('/password/forgot');
    const res = await agent.post('/password/forgot', { email: 'not-an-email' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Enter a valid email address/);
    assert.match(res.body, /value="not-an-email"/);
    const login = await agent.get('/login');
    assert.match(login.body, /href="\/password\/forgot"[^>]*>Forgot your password\?/);
  });

  it('the token of a reset link is masked in request logs', () => {
    const token = newToken();
    assert.equal(maskUrlSecrets(`/password/reset/${token}`), '/password/reset/[redacted]');
    assert.equal(maskUrlSecrets(`/account/email/confirm/${token}?x=1`), '/account/email/confirm/[redacted]?x=1');
    assert.equal(maskUrlSecrets('/o/acme-finance/members'), '/o/acme-finance/members');
  });
});
