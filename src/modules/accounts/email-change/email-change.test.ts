import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Agent, postSignUp, signUp, useTestApp } from '../../../testing/harness.ts';
import { auditOf, mailsTo, tokenIn, tokensOf, userId } from '../test-helpers.ts';

const t = useTestApp();

const newAddress = () => `new.${randomBytes(4).toString('hex')}@example.test`;

async function requestChange(agent: Agent, fields: { new_email: string; current_password: string }) {
  await agent.get('/account');
  return agent.post('/account/email', fields);
}

async function emailOf(id: string) {
  return (await t.owner.selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
}

/** Signs up, asks to change the address, and returns both links from the two emails. */
async function pendingChange() {
  const person = await signUp(t.app);
  const id = await userId(t.owner, person.email);
  const target = newAddress();
  const res = await requestChange(person.agent, { new_email: target, current_password: person.password });
  assert.equal(res.statusCode, 303);
  const [confirmMail] = await mailsTo(t.owner, target);
  const noticeMail = (await mailsTo(t.owner, person.email)).find((m) => m.subject.includes('is being changed'));
  assert.ok(confirmMail && noticeMail, 'a confirmation to the new address and a notice to the old one');
  return {
    ...person,
    id,
    target,
    confirm: tokenIn(confirmMail.text_body, '/account/email/confirm/'),
    report: tokenIn(noticeMail.text_body, '/account/email/report/'),
  };
}

describe('email change', () => {
  it('requires the right current password: a wrong one gets a 422 beside the field and sends nothing', async () => {
    const { agent, email } = await signUp(t.app);
    const target = newAddress();
    const res = await requestChange(agent, { new_email: target, current_password: 'not my password' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That is not your current password/);
    assert.match(res.body, new RegExp(`value="${target}"`), 'the typed address is kept');
    assert.equal((await mailsTo(t.owner, target)).length, 0);
    assert.equal((await tokensOf(t.owner, email)).length, 0);
  });

  it('an address that belongs to another account is refused beside the field', async () => {
    const other = await signUp(t.app);
    const { agent, password } = await signUp(t.app);
    const res = await requestChange(agent, { new_email: other.email.toUpperCase(), current_password: password });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /That address belongs to another account/);
    assert.equal((await mailsTo(t.owner, other.email)).filter((m) => m.subject.includes('Confirm')).length, 0);
  });

  it('an invalid address is refused beside the field', async () => {
    const { agent, password } = await signUp(t.app);
    const res = await requestChange(agent, { new_email: 'nope', current_password: password });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Enter a valid email address/);
  });

  it('nothing changes until confirmed: the account keeps its address, and both mails and the audit entry are written', async () => {
    const change = await pendingChange();
    assert.equal(await emailOf(change.id), change.email);
    const page = await change.agent.get('/account');
    assert.match(page.body, /We sent a confirmation link/);
    const audit = await auditOf(t.owner, change.id, 'account.email_change_requested');
    assert.deepEqual(audit[0]?.changes, { email: change.email, new_email: change.target });
    const tokens = await t.owner
      .selectFrom('user_tokens')
      .select(['purpose', 'new_email', 'used_at'])
      .where('user_id', '=', change.id)
      .orderBy('purpose')
      .execute();
    assert.deepEqual(
      tokens.map((r) => [r.purpose, r.new_email, r.used_at]),
      [
        ['email_change', change.target, null],
        ['email_change_report', change.target, null],
      ],
    );
  });

  it('a GET of the confirmation link changes nothing (mail scanners prefetch links)', async () => {
    const change = await pendingChange();
    const stranger = new Agent(t.app, '10.50.0.1');
    for (let i = 0; i < 2; i++) {
      const page = await stranger.get(`/account/email/confirm/${change.confirm}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Confirm new address/);
    }
    assert.equal(await emailOf(change.id), change.email);
    const token = (await tokensOf(t.owner, change.email)).find((tk) => tk.purpose === 'email_change');
    assert.equal(token?.used_at, null);
  });

  it('confirming works once: the address changes, is audited with old and new, and a second confirm is refused', async () => {
    const change = await pendingChange();
    const browser = new Agent(t.app, '10.50.0.2');
    await browser.get(`/account/email/confirm/${change.confirm}`);
    const res = await browser.post(`/account/email/confirm/${change.confirm}`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(await emailOf(change.id), change.target);
    const audit = await auditOf(t.owner, change.id, 'account.email_changed');
    assert.deepEqual(audit[0]?.changes, { old_email: change.email, new_email: change.target });
    assert.ok(
      (await mailsTo(t.owner, change.target)).some((m) => m.subject === 'Your Ledgerworks email address was changed'),
    );
    assert.equal((await browser.post(`/account/email/confirm/${change.confirm}`, {})).statusCode, 410);
    const page = await change.agent.get('/account');
    assert.match(page.body, new RegExp(`You sign in with <strong>${change.target}</strong>`));
    const login = new Agent(t.app, '10.50.0.3');
    await login.get('/login');
    assert.equal((await login.post('/login', { email: change.target, password: change.password })).statusCode, 303);
  });

  it('an address taken between request and confirmation gets a clear message, not a 500, and changes nothing', async () => {
    const change = await pendingChange();
    const signed = await postSignUp(new Agent(t.app, '10.50.0.4'), {
      name: 'Rival',
      email: change.target,
      password: 'rival password 123',
      organization: 'Rival Org',
    });
    assert.equal(signed.statusCode, 303);
    const browser = new Agent(t.app, '10.50.0.5');
    await browser.get(`/account/email/confirm/${change.confirm}`);
    const res = await browser.post(`/account/email/confirm/${change.confirm}`, {});
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /belongs to another account/);
    assert.equal(await emailOf(change.id), change.email);
  });

  it('when the unique index settles a race for the address, the confirmation gets a clear 409, never a 500', async () => {
    const change = await pendingChange();
    const rival = await signUp(t.app);
    const rivalId = await userId(t.owner, rival.email);
    // Another transaction takes the address but has not committed: the re-check cannot see it.
    let release!: () => void;
    let taken!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const addressTaken = new Promise<void>((resolve) => (taken = resolve));
    const holder = t.owner.transaction().execute(async (tx) => {
      await tx.updateTable('users').set({ email: change.target }).where('id', '=', rivalId).execute();
      taken();
      await held;
    });
    // The rival's update must hold the address before the confirmation starts, or the race goes the other way.
    await addressTaken;
    const browser = new Agent(t.app, '10.50.1.1');
    await browser.get(`/account/email/confirm/${change.confirm}`);
    const pending = browser.post(`/account/email/confirm/${change.confirm}`, {});
    await new Promise((r) => setTimeout(r, 300));
    release();
    await holder;
    const res = await pending;
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /belongs to another account/);
    assert.equal(await emailOf(change.id), change.email);
  });

  it('"this was not me" cancels the pending change, signs out every device, and is audited', async () => {
    const change = await pendingChange();
    const browser = new Agent(t.app, '10.50.0.6');
    const page = await browser.get(`/account/email/report/${change.report}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /This was not me/);
    assert.equal((await change.agent.get('/account')).statusCode, 200, 'a GET of the report link changes nothing');
    const res = await browser.post(`/account/email/report/${change.report}`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/password/forgot');
    assert.match(
      (await browser.get('/password/forgot')).body,
      /We cancelled the email change and signed out every device/,
    );
    assert.equal((await change.agent.get('/account')).statusCode, 302, 'the signed-in browser is signed out');
    const confirmer = new Agent(t.app, '10.50.0.7');
    await confirmer.get('/password/forgot');
    assert.equal((await confirmer.get(`/account/email/confirm/${change.confirm}`)).statusCode, 410);
    assert.equal((await confirmer.post(`/account/email/confirm/${change.confirm}`, {})).statusCode, 410);
    assert.equal(await emailOf(change.id), change.email);
    const audit = await auditOf(t.owner, change.id, 'account.email_change_reported');
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]?.changes, {
      reported_email: change.target,
      pending_change_cancelled: true,
      already_changed: false,
      devices_signed_out: 1,
    });
    assert.ok(
      (await mailsTo(t.owner, change.email)).some((m) => m.subject.startsWith('We cancelled the email change')),
    );
  });

  it('a new request replaces the pending one: the older confirmation link stops working', async () => {
    const change = await pendingChange();
    const second = newAddress();
    assert.equal(
      (await requestChange(change.agent, { new_email: second, current_password: change.password })).statusCode,
      303,
    );
    const browser = new Agent(t.app, '10.50.0.8');
    assert.equal((await browser.get(`/account/email/confirm/${change.confirm}`)).statusCode, 410);
  });
});
