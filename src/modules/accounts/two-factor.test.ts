import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from '../../core/http/app.ts';
import { appContext, buildCatalog } from '../../core/module.ts';
import { Agent, signUp, useTestApp } from '../../testing/harness.ts';
import { orgScope } from '../orgs/routes.ts';
import { accountsModule } from './module.ts';
import { codeAt } from './totp.ts';
import { openTotpSecret } from './two-factor.ts';

const t = useTestApp();

let ipCounter = 0;
function nextIp(): string {
  ipCounter += 1;
  return `10.60.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

async function userIdOf(email: string): Promise<string> {
  return (await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

async function secretOf(userId: string): Promise<string> {
  const row = await t.owner
    .selectFrom('users')
    .select('totp_secret')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  assert.ok(row.totp_secret, 'a secret is stored');
  return openTotpSecret(t.services.secrets, userId, row.totp_secret);
}

/** The code an authenticator app shows `steps` time steps from now. */
function code(secret: string, steps = 0): string {
  return codeAt(secret, Date.now() + steps * 30_000);
}

function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => code(secret, s)));
  let c = 123456;
  while (valid.has(String(c))) c += 1;
  return String(c);
}

/** As if the next time step had come: the replay guard would otherwise (rightly) refuse a second code within 30 s. */
async function nextTimeStep(userId: string): Promise<void> {
  await t.owner.updateTable('users').set({ totp_last_step: null }).where('id', '=', userId).execute();
}

/** Every person signUp() creates has this password. */
const PASSWORD = 'correct horse battery staple';

function recoveryCodesIn(html: string): string[] {
  return [...html.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!);
}

async function enrol(agent: Agent, userId: string): Promise<{ secret: string; codes: string[] }> {
  await agent.get('/account/two-factor');
  assert.equal((await agent.post('/account/two-factor/setup', {})).statusCode, 303);
  await agent.get('/account/two-factor');
  const secret = await secretOf(userId);
  const res = await agent.post('/account/two-factor/confirm', { code: code(secret), password: PASSWORD });
  assert.equal(res.statusCode, 200);
  await nextTimeStep(userId);
  return { secret, codes: recoveryCodesIn(res.body) };
}

/** A person with two-factor on, signed out, with what they need to sign in. */
async function personWithTwoFactor() {
  const s = await signUp(t.app, { ip: nextIp() });
  const userId = await userIdOf(s.email);
  const enrolled = await enrol(s.agent, userId);
  await s.agent.post('/logout', {});
  return { ...s, userId, ...enrolled };
}

/** Right password, on a fresh browser: lands on the code step. */
async function passwordStep(email: string, password: string, next?: string) {
  const agent = new Agent(t.app, nextIp());
  await agent.get('/login');
  const res = await agent.post(next ? `/login?next=${encodeURIComponent(next)}` : '/login', { email, password });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/login/two-factor');
  assert.equal((await agent.get('/login/two-factor')).statusCode, 200);
  return agent;
}

function actionsOf(userId: string) {
  return t.owner
    .selectFrom('audit_log')
    .select(['action', 'changes'])
    .where('target_id', '=', userId)
    .orderBy('id')
    .execute();
}

function mailsTo(email: string) {
  return t.owner
    .selectFrom('mail_outbox')
    .select(['subject', 'text_body'])
    .where('to_address', '=', email)
    .orderBy('id')
    .execute();
}

describe('two-factor enrolment', () => {
  it('a session alone cannot turn two-factor on: the password is needed, and other devices are signed out', async () => {
    const person = await signUp(t.app);
    const userId = (
      await t.owner.selectFrom('users').select('id').where('email', '=', person.email).executeTakeFirstOrThrow()
    ).id;
    const laptop = new Agent(t.app, '10.88.0.2');
    await laptop.get('/login');
    assert.equal((await laptop.post('/login', { email: person.email, password: PASSWORD })).statusCode, 303);
    await person.agent.get('/account/two-factor');
    await person.agent.post('/account/two-factor/setup', {});
    await person.agent.get('/account/two-factor');
    const secret = await secretOf(userId);
    const wrong = await person.agent.post('/account/two-factor/confirm', {
      code: code(secret),
      password: 'not my password',
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /not your current password/);
    const still = await t.owner
      .selectFrom('users')
      .select('totp_enabled_at')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(still.totp_enabled_at, null);
    assert.equal(
      (await person.agent.post('/account/two-factor/confirm', { code: code(secret), password: PASSWORD })).statusCode,
      200,
    );
    assert.equal((await laptop.get('/account')).statusCode, 302, 'the other device was signed out');
    assert.equal((await person.agent.get('/account')).statusCode, 200, 'this one stays signed in');
  });

  it('the two-factor page needs a signed-in person', async () => {
    const res = await new Agent(t.app, nextIp()).get('/account/two-factor');
    assert.equal(res.statusCode, 302);
    assert.match(String(res.headers.location), /^\/login\?next=/);
  });

  it('enrolment needs a valid code: a wrong code is refused with 422 and two-factor stays off', async () => {
    const { agent, email } = await signUp(t.app, { ip: nextIp() });
    const userId = await userIdOf(email);
    await agent.get('/account/two-factor');
    await agent.post('/account/two-factor/setup', {});
    const secret = await secretOf(userId);
    await agent.get('/account/two-factor');
    const res = await agent.post('/account/two-factor/confirm', { code: wrongCode(secret), password: PASSWORD });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That code is not valid/);
    const empty = await agent.post('/account/two-factor/confirm', { code: '', password: PASSWORD });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter the code/);
    const user = await t.owner
      .selectFrom('users')
      .select(['totp_secret', 'totp_enabled_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(user.totp_enabled_at, null);
    assert.match(String(user.totp_secret), /^v1\./, 'the secret is stored sealed');
    assert.ok(!String(user.totp_secret).includes(secret), 'never in plain text');
    assert.equal(
      await t.owner.selectFrom('recovery_codes').select('user_id').where('user_id', '=', userId).executeTakeFirst(),
      undefined,
    );
  });

  it('the enrolment page shows the secret and a QR code that needs no inline style (an SVG image, which img-src allows)', async () => {
    const { agent, email } = await signUp(t.app, { ip: nextIp() });
    const userId = await userIdOf(email);
    await agent.get('/account/two-factor');
    await agent.post('/account/two-factor/setup', {});
    const page = await agent.get('/account/two-factor');
    const secret = await secretOf(userId);
    assert.ok(page.body.includes(secret.replace(/(.{4})(?=.)/g, '$1 ')), 'the key for manual entry');
    const src = /<img class="two-factor-qr" src="data:image\/svg\+xml;base64,([^"]+)"/.exec(page.body)?.[1];
    assert.ok(src, 'a QR code image');
    const svg = Buffer.from(src, 'base64').toString('utf8');
    assert.match(svg, /^<svg /);
    assert.doesNotMatch(svg, /style|<script/i);
    assert.doesNotMatch(page.body, /\sstyle=/, 'no inline style attribute on the page');
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /img-src 'self' data:/);
    assert.match(csp, /style-src 'self'(;|$)/);
  });

  it('a valid code turns it on and shows 10 recovery codes once; only their keyed hashes are stored', async () => {
    const { agent, email } = await signUp(t.app, { ip: nextIp() });
    const userId = await userIdOf(email);
    await agent.get('/account/two-factor');
    await agent.post('/account/two-factor/setup', {});
    await agent.get('/account/two-factor');
    const key = agent.submissionKey!;
    const secret = await secretOf(userId);
    const res = await agent.post(
      '/account/two-factor/confirm',
      { code: code(secret), password: PASSWORD },
      { submission: key },
    );
    assert.equal(res.statusCode, 200);
    const codes = recoveryCodesIn(res.body);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);

    const again = await agent.post(
      '/account/two-factor/confirm',
      { code: code(secret), password: PASSWORD },
      { submission: key },
    );
    assert.equal(again.statusCode, 409, 'a resubmission does not show the codes again');
    assert.deepEqual(recoveryCodesIn(again.body), []);
    const status = await agent.get('/account/two-factor');
    assert.match(status.body, /On since/);
    assert.match(status.body, /10 unused recovery codes/);
    assert.deepEqual(recoveryCodesIn(status.body), []);

    const stored = await t.owner
      .selectFrom('recovery_codes')
      .select(['code_hash', 'used_at'])
      .where('user_id', '=', userId)
      .execute();
    assert.equal(stored.length, 10);
    const dump = stored.map((r) => `${r.code_hash.toString('hex')} ${r.code_hash.toString('latin1')}`).join(' ');
    for (const c of codes) assert.ok(!dump.includes(c) && !dump.includes(c.replace('-', '')), 'no code in plain text');
    assert.ok(stored.every((r) => r.code_hash.length === 32));

    const user = await t.owner
      .selectFrom('users')
      .select(['totp_enabled_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.ok(user.totp_enabled_at);
    const actions = (await actionsOf(userId)).map((a) => a.action);
    assert.ok(actions.includes('account.two_factor_setup_started') && actions.includes('account.two_factor_enabled'));
    assert.ok((await mailsTo(email)).some((m) => m.subject === 'Two-factor authentication is on'));
    const audit = JSON.stringify(await actionsOf(userId));
    assert.ok(!audit.includes(secret) && codes.every((c) => !audit.includes(c)), 'no secret in the audit log');
  });
});

describe('signing in with two-factor', () => {
  it('the right password alone does not sign in: no session cookie before the code', async () => {
    const { email, password, slug, userId } = await personWithTwoFactor();
    const agent = await passwordStep(email, password);
    assert.equal(agent.cookie('session'), undefined);
    assert.ok(agent.cookie('pending_login'), 'the pending login is carried in a cookie');
    assert.equal((await agent.get(`/o/${slug}`)).statusCode, 302);
    const logins = (await actionsOf(userId)).filter((a) => a.action === 'account.logged_in');
    assert.equal(logins.length, 1, 'only the sign-up login so far');
  });

  it('a wrong code is refused and wrong codes count toward the lockout', async () => {
    const { email, password, secret, userId } = await personWithTwoFactor();
    const agent = await passwordStep(email, password);
    const wrong = await agent.post('/login/two-factor', { code: wrongCode(secret) });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /That code is not valid/);
    assert.equal(agent.cookie('session'), undefined);
    for (let i = 0; i < 3; i++) await agent.post('/login/two-factor', { code: wrongCode(secret) });
    const fifth = await agent.post('/login/two-factor', { code: wrongCode(secret) });
    assert.match(fifth.body, /temporarily locked/);
    const user = await t.owner
      .selectFrom('users')
      .select(['failed_logins', 'lockouts', 'locked_until'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(user.lockouts, 1);
    assert.ok(user.locked_until && user.locked_until > new Date());
    // Locked: the right password no longer leads to the code step.
    const retry = new Agent(t.app, nextIp());
    await retry.get('/login');
    const refused = await retry.post('/login', { email, password });
    assert.equal(refused.statusCode, 401);
    assert.match(refused.body, /temporarily locked/);
    assert.equal(retry.cookie('pending_login'), undefined);
    const reasons = (await actionsOf(userId))
      .filter((a) => a.action === 'account.login_failed')
      .map((a) => (a.changes as { reason: string }).reason);
    assert.deepEqual(reasons, [...Array<string>(5).fill('wrong code'), 'locked']);
  });

  it('a valid code starts the session, honours next, and the login is audited with mfa: totp', async () => {
    const { email, password, slug, secret, userId } = await personWithTwoFactor();
    const agent = await passwordStep(email, password, `/o/${slug}/members`);
    const res = await agent.post('/login/two-factor', { code: code(secret) });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/o/${slug}/members`);
    assert.ok(agent.cookie('session'));
    assert.equal(agent.cookie('pending_login'), undefined, 'the pending login is cleared');
    assert.equal((await agent.get(`/o/${slug}/members`)).statusCode, 200);
    const last = (await actionsOf(userId)).filter((a) => a.action === 'account.logged_in').at(-1)!;
    assert.deepEqual(last.changes, { mfa: 'totp' });
  });

  it('a replayed code is refused, and so is a code older than the last one used', async () => {
    const { email, password, secret, userId } = await personWithTwoFactor();
    const used = code(secret);
    const first = await passwordStep(email, password);
    assert.equal((await first.post('/login/two-factor', { code: used })).statusCode, 303);
    const second = await passwordStep(email, password);
    const replay = await second.post('/login/two-factor', { code: used });
    assert.equal(replay.statusCode, 401);
    assert.equal(second.cookie('session'), undefined);
    const older = await second.post('/login/two-factor', { code: code(secret, -1) });
    assert.equal(older.statusCode, 401, 'a code of an earlier time step, though within the window');
    const user = await t.owner
      .selectFrom('users')
      .select('failed_logins')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(user.failed_logins, 2, 'replays count as failures');
  });

  it('an expired or forged pending-login cookie is refused', async () => {
    const { email, password, secret, userId } = await personWithTwoFactor();
    const agent = await passwordStep(email, password);
    const name = [...agent.cookies.keys()].find((k) => k.endsWith('pending_login'))!;
    const genuine = agent.cookies.get(name)!;

    // Forged: another value under the old signature, or no signature at all.
    const forged = encodeURIComponent(
      `${JSON.stringify({ userId, expires: Date.now() + 600_000, next: null })}.${decodeURIComponent(genuine).split('.').at(-1)}`,
    );
    for (const value of [
      forged,
      encodeURIComponent(JSON.stringify({ userId, expires: Date.now() + 600_000, next: null })),
    ]) {
      agent.cookies.set(name, value);
      const res = await agent.post('/login/two-factor', { code: code(secret) });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/login');
      assert.equal(agent.cookie('session'), undefined);
    }

    // Expired: correctly signed, but its ten minutes are over.
    agent.cookies.set(
      name,
      encodeURIComponent(t.app.signCookie(JSON.stringify({ userId, expires: Date.now() - 1000, next: null }))),
    );
    const expired = await agent.post('/login/two-factor', { code: code(secret) });
    assert.equal(expired.statusCode, 303);
    assert.equal(expired.headers.location, '/login');
    assert.equal(agent.cookie('session'), undefined);
    assert.match((await agent.get('/login')).body, /Your sign-in expired/);

    // The genuine one still works (nothing above spent the code).
    agent.cookies.set(name, genuine);
    assert.equal((await agent.post('/login/two-factor', { code: code(secret) })).statusCode, 303);
    assert.ok(agent.cookie('session'));
  });

  it('a recovery code signs in once; the second use is refused; its use is audited and emailed', async () => {
    const { email, password, codes, userId, slug } = await personWithTwoFactor();
    const agent = await passwordStep(email, password);
    const res = await agent.post('/login/two-factor', { code: codes[0]!.toUpperCase() });
    assert.equal(res.statusCode, 303);
    assert.equal((await agent.get(`/o/${slug}`)).statusCode, 200);
    const again = await passwordStep(email, password);
    const reuse = await again.post('/login/two-factor', { code: codes[0]! });
    assert.equal(reuse.statusCode, 401);
    assert.equal(again.cookie('session'), undefined);
    const audit = await actionsOf(userId);
    assert.deepEqual(audit.find((a) => a.action === 'account.recovery_code_used')?.changes, { codes_left: 9 });
    assert.deepEqual(audit.filter((a) => a.action === 'account.logged_in').at(-1)?.changes, { mfa: 'recovery_code' });
    const mail = (await mailsTo(email)).find((m) => m.subject === 'A recovery code was used to sign in');
    assert.match(String(mail?.text_body), /9 unused codes left/);
  });
});

describe('managing two-factor', () => {
  it('turning it off needs the current password and a current code', async () => {
    const { agent, email, password, secret, userId } = await personWithTwoFactor().then(async (p) => {
      const a = await passwordStep(p.email, p.password);
      await a.post('/login/two-factor', { code: code(p.secret) });
      await nextTimeStep(p.userId);
      return { ...p, agent: a };
    });
    await agent.get('/account/two-factor/disable');
    const noPassword = await agent.post('/account/two-factor/disable', {
      password: 'not my password',
      code: code(secret),
    });
    assert.equal(noPassword.statusCode, 422);
    assert.match(noPassword.body, /That is not your current password/);
    const noCode = await agent.post('/account/two-factor/disable', { password, code: wrongCode(secret) });
    assert.equal(noCode.statusCode, 422);
    assert.match(noCode.body, /That code is not valid/);
    const stillOn = await t.owner
      .selectFrom('users')
      .select('totp_enabled_at')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.ok(stillOn.totp_enabled_at);

    const off = await agent.post('/account/two-factor/disable', { password, code: code(secret) });
    assert.equal(off.statusCode, 303);
    const user = await t.owner
      .selectFrom('users')
      .select(['totp_secret', 'totp_enabled_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(user, { totp_secret: null, totp_enabled_at: null });
    assert.equal(
      await t.owner.selectFrom('recovery_codes').select('user_id').where('user_id', '=', userId).executeTakeFirst(),
      undefined,
    );
    assert.ok((await actionsOf(userId)).some((a) => a.action === 'account.two_factor_disabled'));
    assert.ok((await mailsTo(email)).some((m) => m.subject === 'Two-factor authentication was turned off'));
    // Signing in needs only the password again.
    const fresh = new Agent(t.app, nextIp());
    await fresh.get('/login');
    assert.equal((await fresh.post('/login', { email, password })).headers.location, '/');
  });

  it('new recovery codes need a current code, and the old ones stop working', async () => {
    const {
      agent,
      email,
      password,
      secret,
      codes: old,
      userId,
    } = await signUp(t.app, { ip: nextIp() }).then(async (s) => {
      const id = await userIdOf(s.email);
      return { ...s, userId: id, ...(await enrol(s.agent, id)) };
    });
    await agent.get('/account/two-factor/recovery-codes');
    const refused = await agent.post('/account/two-factor/recovery-codes', { code: wrongCode(secret) });
    assert.equal(refused.statusCode, 422);
    const byRecoveryCode = await agent.post('/account/two-factor/recovery-codes', { code: old[1]! });
    assert.equal(byRecoveryCode.statusCode, 422, 'a recovery code does not make new ones');
    const res = await agent.post('/account/two-factor/recovery-codes', { code: code(secret) });
    assert.equal(res.statusCode, 200);
    const fresh = recoveryCodesIn(res.body);
    assert.equal(fresh.length, 10);
    assert.ok(fresh.every((c) => !old.includes(c)));
    assert.ok((await actionsOf(userId)).some((a) => a.action === 'account.recovery_codes_regenerated'));

    await agent.post('/logout', {});
    const login = await passwordStep(email, password);
    assert.equal(
      (await login.post('/login/two-factor', { code: old[0]! })).statusCode,
      401,
      'an old code no longer works',
    );
    assert.equal((await login.post('/login/two-factor', { code: fresh[0]! })).statusCode, 303);
  });
});

describe('organizations that require two-factor', () => {
  it('a member without two-factor is sent to set it up, with the reason; a member with it gets in', async () => {
    const { agent, email, slug } = await signUp(t.app, { ip: nextIp(), org: 'Strict Books' });
    await t.owner.updateTable('organizations').set({ require_2fa: true }).where('slug', '=', slug).execute();
    const res = await agent.get(`/o/${slug}/members`);
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, `/account/two-factor?org=${slug}`);
    const page = await agent.get(String(res.headers.location));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Strict Books requires two-factor authentication/);

    await enrol(agent, await userIdOf(email));
    assert.equal((await agent.get(`/o/${slug}/members`)).statusCode, 200);
  });

  it("the reason names only an org of the person: another org's slug in ?org= says nothing", async () => {
    const other = await signUp(t.app, { ip: nextIp(), org: 'Secret Org Name' });
    await t.owner.updateTable('organizations').set({ require_2fa: true }).where('slug', '=', other.slug).execute();
    const { agent } = await signUp(t.app, { ip: nextIp() });
    const page = await agent.get(`/account/two-factor?org=${other.slug}`);
    assert.doesNotMatch(page.body, /Secret Org Name/);
  });

  describe('changes (non-GET requests)', () => {
    // No org page takes a POST yet, so the org scope is mounted on an app of its own with one.
    let scoped: FastifyInstance;
    before(async () => {
      const context = appContext({ db: t.db, pool: t.pool }, t.services, buildCatalog([]));
      scoped = await createHttpApp(context);
      // The accounts module's session lookup, without its routes.
      accountsModule.requestHooks?.(scoped, context);
      scoped.get('/form', { config: { access: 'public' } }, async (_request, reply) =>
        reply.type('text/html').send(`<input type="hidden" name="_csrf" value="${reply.generateCsrf()}">`),
      );
      await scoped.register(
        async (scope) => {
          orgScope(scope, t.db);
          scope.post('/change', { config: { access: 'org.view' } }, async () => 'changed');
        },
        { prefix: '/o/:org' },
      );
      await scoped.ready();
    });
    after(() => scoped?.close());

    it('a change in an org that requires two-factor is refused with 403 for a member without it, and allowed with it', async () => {
      const { agent, email, slug } = await signUp(t.app, { ip: nextIp(), org: 'Strict Changes' });
      await t.owner.updateTable('organizations').set({ require_2fa: true }).where('slug', '=', slug).execute();
      const there = new Agent(scoped, nextIp());
      there.cookies = agent.cookies;
      await there.get('/form');
      const refused = await there.post(`/o/${slug}/change`, {});
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /Strict Changes requires two-factor authentication/);

      await enrol(agent, await userIdOf(email));
      await there.get('/form');
      const allowed = await there.post(`/o/${slug}/change`, {});
      assert.equal(allowed.statusCode, 200);
      assert.equal(allowed.body, 'changed');
    });
  });
});
