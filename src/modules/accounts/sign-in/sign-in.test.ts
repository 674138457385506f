import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashToken } from '../../../core/security/tokens.ts';
import { Agent, postSignUp, signUp, useTestApp } from '../../../testing/harness.ts';

const t = useTestApp();

function auditActions(userId: string) {
  return t.owner
    .selectFrom('audit_log')
    .select(['action', 'changes', 'ip', 'request_id'])
    .where('actor_user_id', '=', userId)
    .orderBy('id')
    .execute();
}

async function orgCount() {
  return (
    await t.owner
      .selectFrom('organizations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;
}

describe('sign-up', () => {
  it('bad input gets a 422 with a message beside each field, keeping what was typed but never the password', async () => {
    const res = await postSignUp(new Agent(t.app), {
      name: 'Ada',
      email: 'not-an-email',
      password: 'short',
      organization: '',
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Enter a valid email address/);
    assert.match(res.body, /Use at least 10 characters/);
    assert.match(res.body, /Name your organization/);
    assert.match(res.body, /value="Ada"/);
    assert.match(res.body, /value="not-an-email"/);
    assert.doesNotMatch(res.body, /value="short"/);
    assert.equal(
      await t.owner.selectFrom('users').select('id').where('email', '=', 'not-an-email').executeTakeFirst(),
      undefined,
    );
  });

  it('creates the user, their organization with them as owner, a session and audit entries', async () => {
    const { agent, email, slug } = await signUp(t.app, { org: 'Acme Finance' });
    const user = await t.owner.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    assert.match(user.password_hash, /^\$argon2id\$/);
    const membership = await t.owner
      .selectFrom('memberships as m')
      .innerJoin('organizations as o', 'o.id', 'm.org_id')
      .select(['o.name', 'o.slug', 'm.role'])
      .where('m.user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(membership, { name: 'Acme Finance', slug, role: 'owner' });
    assert.match(slug, /^acme-finance/);
    const dashboard = await agent.get(`/o/${slug}`);
    assert.equal(dashboard.statusCode, 200);
    assert.match(dashboard.body, /Acme Finance is ready/);
    const actions = (await auditActions(user.id)).map((a) => a.action);
    assert.deepEqual(actions, ['account.signed_up', 'org.created', 'account.logged_in']);
  });

  it('an email that already has an account is refused next to the field, creating nothing', async () => {
    const { email } = await signUp(t.app);
    const orgsBefore = await orgCount();
    const res = await postSignUp(new Agent(t.app), {
      name: 'Twin',
      email: email.toUpperCase(),
      password: 'another long password',
      organization: 'Twin Org',
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /already exists/);
    assert.equal(await orgCount(), orgsBefore, 'no half-written organization');
  });

  it('two organizations with the same name get distinct addresses', async () => {
    const a = await signUp(t.app, { org: 'Same Name' });
    const b = await signUp(t.app, { org: 'Same Name' });
    assert.notEqual(a.slug, b.slug);
  });
});

describe('login and logout', () => {
  it('a wrong password and an unknown email get the same generic message, and both are audited', async () => {
    const { email } = await signUp(t.app);
    const agent = new Agent(t.app, '10.1.0.1');
    await agent.get('/login');
    const wrong = await agent.post('/login', { email, password: 'not the password' });
    const unknown = await agent.post('/login', { email: 'nobody@example.test', password: 'not the password' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    const message = /That email and password do not match an account/;
    assert.match(wrong.body, message);
    assert.match(unknown.body, message);
    const failures = await t.owner
      .selectFrom('audit_log')
      .select(['changes'])
      .where('action', '=', 'account.login_failed')
      .execute();
    const reasons = failures.map((f) => (f.changes as { reason: string; email: string }).reason);
    assert.ok(reasons.includes('wrong password') && reasons.includes('unknown email'));
    assert.ok(
      failures.every((f) => !JSON.stringify(f.changes).includes('not the password')),
      'no password in the audit log',
    );
  });

  it('the session id changes at login and is worthless after logout', async () => {
    const { agent: first, email, password, slug } = await signUp(t.app);
    const agent = new Agent(t.app, '10.1.0.2');
    await agent.get('/login');
    // A session planted before login (fixation) must not survive it.
    agent.cookies.set('lw_session', first.cookie('session') ?? '');
    const planted = agent.cookie('session');
    const res = await agent.post('/login', { email, password });
    assert.equal(res.statusCode, 303);
    const fresh = agent.cookie('session');
    assert.ok(fresh && fresh !== planted, 'a new session id is issued at login');
    const stale = new Agent(t.app);
    stale.cookies.set('lw_session', planted!);
    assert.equal((await stale.get(`/o/${slug}`)).statusCode, 302, 'the replaced session no longer signs anyone in');

    assert.equal((await agent.get(`/o/${slug}`)).statusCode, 200);
    const out = await agent.post('/logout', {});
    assert.equal(out.statusCode, 303);
    const replay = new Agent(t.app);
    replay.cookies.set('lw_session', fresh);
    const after = await replay.get(`/o/${slug}`);
    assert.equal(after.statusCode, 302);
    assert.match(String(after.headers.location), /^\/login\?next=/);
    const user = await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const actions = (await auditActions(user.id)).map((a) => a.action);
    assert.ok(actions.includes('account.logged_out'));
  });

  it('the session cookie is HttpOnly and SameSite=Lax', async () => {
    const { email, password } = await signUp(t.app);
    const agent = new Agent(t.app, '10.1.0.3');
    await agent.get('/login');
    const res = await agent.post('/login', { email, password });
    const cookie = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('lw_session='));
    assert.match(String(cookie), /HttpOnly/);
    assert.match(String(cookie), /SameSite=Lax/);
  });

  it('a session past its absolute expiry or idle too long is refused even with its cookie; a live one works', async () => {
    const expireBy = async (agent: Agent, set: { expires_at?: Date; last_seen_at?: Date }) =>
      t.owner
        .updateTable('sessions')
        .set(set)
        .where('id_hash', '=', hashToken(agent.cookie('session')!))
        .executeTakeFirstOrThrow();
    const refused = async (agent: Agent, slug: string) => {
      const res = await agent.get(`/o/${slug}`);
      assert.equal(res.statusCode, 302);
      assert.equal(res.headers.location, `/login?next=${encodeURIComponent(`/o/${slug}`)}`);
      assert.equal(agent.cookie('session'), undefined, 'the dead cookie is cleared');
    };
    const idleLimit = t.settings.sessionIdleMinutes * 60_000;

    const absolute = await signUp(t.app);
    assert.equal((await absolute.agent.get(`/o/${absolute.slug}`)).statusCode, 200, 'a fresh session works');
    const { numUpdatedRows } = await expireBy(absolute.agent, { expires_at: new Date(Date.now() - 1000) });
    assert.equal(numUpdatedRows, 1n);
    await refused(absolute.agent, absolute.slug);

    const idle = await signUp(t.app);
    await expireBy(idle.agent, { last_seen_at: new Date(Date.now() - idleLimit + 60_000) });
    assert.equal(
      (await idle.agent.get(`/o/${idle.slug}`)).statusCode,
      200,
      'a minute short of the idle limit still works',
    );
    await expireBy(idle.agent, { last_seen_at: new Date(Date.now() - idleLimit - 60_000) });
    await refused(idle.agent, idle.slug);
  });

  it('rate-limits login attempts per account, across addresses', async () => {
    const { email } = await signUp(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const agent = new Agent(t.app, `10.2.${i}.1`);
      await agent.get('/login');
      statuses.push((await agent.post('/login', { email, password: `guess ${i}` })).statusCode);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
    assert.deepEqual(statuses.slice(10), [429, 429]);
  });

  it('rate-limits login attempts per address, across accounts', async () => {
    const agent = new Agent(t.app, '10.3.0.1');
    await agent.get('/login');
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++)
      statuses.push((await agent.post('/login', { email: `someone${i}@example.test`, password: 'guess' })).statusCode);
    assert.equal(statuses.filter((s) => s === 429).length, 2);
    const last = await agent.post('/login', { email: 'x@example.test', password: 'guess' });
    assert.match(last.body, /Too many attempts/);
  });

  it('a redirect after login only ever goes to a path on this site', async () => {
    const { email, password } = await signUp(t.app);
    const agent = new Agent(t.app, '10.1.0.4');
    await agent.get('/login?next=//evil.example/x');
    const res = await agent.post('/login?next=//evil.example/x', { email, password });
    assert.equal(res.headers.location, '/');
  });
});
