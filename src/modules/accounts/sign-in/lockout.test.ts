import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from '../../../testing/harness.ts';
import { auditOf } from '../test-helpers.ts';

const t = useTestApp();

let ipCounter = 0;
/** A browser at an address of its own, on the login page (so the per-address limit stays out of the way). */
async function browser(): Promise<Agent> {
  ipCounter += 1;
  const agent = new Agent(t.app, `10.50.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`);
  await agent.get('/login');
  return agent;
}

async function attempt(email: string, password: string) {
  return (await browser()).post('/login', { email, password });
}

async function failTimes(email: string, n: number) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await attempt(email, `wrong guess ${i}`));
  return results;
}

function userRow(email: string) {
  return t.owner
    .selectFrom('users')
    .select(['id', 'failed_logins', 'lockouts', 'locked_until'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
}

function lockMails(email: string) {
  return t.owner
    .selectFrom('mail_outbox')
    .select(['subject', 'text_body', 'dedupe_key'])
    .where('to_address', '=', email)
    .where('subject', 'like', '%locked%')
    .execute();
}

function minutesFromNow(d: Date | null): number {
  assert.ok(d, 'a lock is in force');
  return (d.getTime() - Date.now()) / 60_000;
}

const GENERIC = /That email and password do not match an account/;
const LOCKED = /temporarily locked/;

describe('lockout after repeated failed logins', () => {
  it('5 wrong passwords in a row lock the account for 15 minutes and email the user once', async () => {
    const { email } = await signUp(t.app);
    const first = await failTimes(email, 4);
    assert.deepEqual(
      first.map((r) => r.statusCode),
      [401, 401, 401, 401],
    );
    assert.ok(
      first.every((r) => GENERIC.test(r.body) && !LOCKED.test(r.body)),
      'four failures do not lock',
    );
    assert.equal((await userRow(email)).locked_until, null);

    const fifth = await attempt(email, 'wrong guess 5');
    assert.equal(fifth.statusCode, 401);
    assert.match(fifth.body, LOCKED);
    const user = await userRow(email);
    assert.equal(user.lockouts, 1);
    const minutes = minutesFromNow(user.locked_until);
    assert.ok(minutes > 14.5 && minutes <= 15, `locked for 15 minutes, not ${minutes}`);

    const sixth = await attempt(email, 'wrong guess 6');
    assert.match(sixth.body, LOCKED);
    assert.equal((await userRow(email)).failed_logins, 5, 'attempts during the lock are refused, not counted');

    const mails = await lockMails(email);
    assert.equal(mails.length, 1, 'one email per lock');
    assert.match(mails[0]!.text_body, /\/password\/forgot/);
    assert.match(mails[0]!.text_body, /5 failed sign-in attempts/);

    const audit = await t.owner
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('target_id', '=', user.id)
      .orderBy('id')
      .execute();
    const locked = audit.filter((a) => a.action === 'account.locked');
    assert.equal(locked.length, 1);
    assert.deepEqual(Object.keys(locked[0]!.changes as object).sort(), ['attempts', 'lockouts', 'until']);
    assert.equal((locked[0]!.changes as { attempts: number }).attempts, 5);
    const reasons = audit
      .filter((a) => a.action === 'account.login_failed')
      .map((a) => (a.changes as { reason: string }).reason);
    assert.deepEqual(reasons, [...Array<string>(5).fill('wrong password'), 'locked']);
    assert.ok(
      audit.every((a) => !JSON.stringify(a.changes).includes('wrong guess')),
      'no password in the audit log',
    );
  });

  it('while locked, even the right password is refused, saying until when and that a password reset unlocks it', async () => {
    const { email, password, slug } = await signUp(t.app);
    await failTimes(email, 5);
    const agent = await browser();
    const res = await agent.post('/login', { email, password });
    assert.equal(res.statusCode, 401);
    assert.match(res.body, /This account is temporarily locked after too many failed sign-in attempts/);
    assert.match(res.body, /Try again in about 15 minutes/);
    assert.match(res.body, /href="\/password\/forgot"/);
    assert.doesNotMatch(res.body, GENERIC, 'the lock is said plainly, not as a wrong password');
    assert.equal(agent.cookie('session'), undefined, 'no session');
    assert.equal((await agent.get(`/o/${slug}`)).statusCode, 302);
    const user = await userRow(email);
    const reasons = await auditOf(t.owner, user.id, 'account.login_failed');
    assert.equal((reasons.at(-1)!.changes as { reason: string }).reason, 'locked');
  });

  it('unknown emails never lock and keep the one generic message', async () => {
    const results = await failTimes('nobody-here@example.test', 6);
    assert.ok(results.every((r) => r.statusCode === 401 && GENERIC.test(r.body) && !LOCKED.test(r.body)));
  });

  it('the lock expires: once locked_until has passed, the right password signs in and the counters start over', async () => {
    const { email, password } = await signUp(t.app);
    await failTimes(email, 5);
    await t.owner
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('email', '=', email)
      .execute();
    const res = await attempt(email, password);
    assert.equal(res.statusCode, 303);
    const user = await userRow(email);
    assert.deepEqual([user.failed_logins, user.lockouts, user.locked_until], [0, 0, null]);
  });

  it('each new lock lasts twice as long as the previous one, up to 24 hours', async () => {
    const { email } = await signUp(t.app);
    await failTimes(email, 5);
    assert.ok(Math.abs(minutesFromNow((await userRow(email)).locked_until) - 15) < 0.5);

    // The first lock has passed; five more failures lock again, for twice as long.
    await t.owner
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('email', '=', email)
      .execute();
    const again = await failTimes(email, 5);
    assert.ok(!LOCKED.test(again[3]!.body) && LOCKED.test(again[4]!.body));
    let user = await userRow(email);
    assert.equal(user.lockouts, 2);
    assert.ok(Math.abs(minutesFromNow(user.locked_until) - 30) < 0.5, 'the second lock lasts 30 minutes');
    assert.equal((await lockMails(email)).length, 2, 'each lock is emailed once');

    // After many locks the period stops growing at 24 hours. (Another account: this one has
    // used up its per-account rate limit.)
    const { email: other } = await signUp(t.app);
    await t.owner.updateTable('users').set({ lockouts: 9, failed_logins: 49 }).where('email', '=', other).execute();
    await attempt(other, 'one more wrong guess');
    user = await userRow(other);
    assert.equal(user.lockouts, 10);
    assert.ok(Math.abs(minutesFromNow(user.locked_until) - 24 * 60) < 0.5, 'capped at 24 hours');
  });

  it('concurrent wrong passwords all count (the counter is incremented in SQL)', async () => {
    const { email } = await signUp(t.app);
    const agents = await Promise.all([browser(), browser(), browser(), browser()]);
    const results = await Promise.all(
      agents.map((a, i) => a.post('/login', { email, password: `parallel guess ${i}` })),
    );
    assert.ok(results.every((r) => r.statusCode === 401));
    assert.equal((await userRow(email)).failed_logins, 4);
  });

  it('concurrent failures crossing the threshold start exactly one lock and send one email', async () => {
    const { email } = await signUp(t.app);
    const agents = await Promise.all(Array.from({ length: 7 }, () => browser()));
    await Promise.all(agents.map((a, i) => a.post('/login', { email, password: `parallel guess ${i}` })));
    const user = await userRow(email);
    assert.equal(user.lockouts, 1);
    assert.equal(user.failed_logins, 5, 'the attempts after the lock began were refused, not counted');
    assert.equal((await lockMails(email)).length, 1);
  });

  it('a successful login resets the count of failures', async () => {
    const { email, password } = await signUp(t.app);
    await failTimes(email, 4);
    assert.equal((await attempt(email, password)).statusCode, 303);
    assert.equal((await userRow(email)).failed_logins, 0);
    const more = await failTimes(email, 4);
    assert.ok(
      more.every((r) => !LOCKED.test(r.body)),
      'four new failures do not lock: the old ones were forgiven',
    );
  });
});
