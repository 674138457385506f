import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from '../../../testing/harness.ts';
import { auditOf } from '../test-helpers.ts';

const t = useTestApp();

describe('account page and profile', () => {
  it('signed out, the account pages send you to sign in', async () => {
    const res = await new Agent(t.app).get('/account/sessions');
    assert.equal(res.statusCode, 302);
    assert.match(String(res.headers.location), /^\/login\?next=/);
  });

  it('an unknown time zone is refused beside the field, keeping the name typed', async () => {
    const { agent, email } = await signUp(t.app);
    await agent.get('/account');
    const res = await agent.post('/account/profile', { name: 'Renamed Person', time_zone: 'Mars/Olympus_Mons' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Choose a time zone from the list/);
    assert.match(res.body, /value="Renamed Person"/);
    const user = await t.owner
      .selectFrom('users')
      .select(['name', 'time_zone'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(user.time_zone, 'UTC');
  });

  it('the profile form saves name and time zone, and audits what changed', async () => {
    const { agent, email } = await signUp(t.app);
    const page = await agent.get('/account');
    assert.match(page.body, /href="\/account\/two-factor"/, 'links to two-factor settings');
    assert.match(page.body, /href="\/account"[^>]*>\s*Account settings/, 'the user menu links here');
    const res = await agent.post('/account/profile', { name: 'New Name', time_zone: 'Europe/Zurich' });
    assert.equal(res.statusCode, 303);
    const user = await t.owner
      .selectFrom('users')
      .select(['id', 'name', 'time_zone'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.deepEqual([user.name, user.time_zone], ['New Name', 'Europe/Zurich']);
    const audit = await auditOf(t.owner, user.id, 'account.profile_updated');
    assert.deepEqual((audit[0]?.changes as { time_zone: unknown }).time_zone, { from: 'UTC', to: 'Europe/Zurich' });
  });
});
