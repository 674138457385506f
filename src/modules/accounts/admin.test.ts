// The back-office lists of users and sessions: their filters (staff role, two-factor, locked,
// deactivated), the email search, and that no password hash, TOTP secret or token hash is shown.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { useTestApp } from '../../testing/harness.ts';
import { staffPerson, type StaffPerson } from '../../testing/staff.ts';

const t = useTestApp();

let support: StaffPerson;
let plain: StaffPerson;
let locked: StaffPerson;
let gone: StaffPerson;
let operator: StaffPerson;

/** In the page's table, not in the header's menu (which names the viewer). */
const shows = (body: string, p: StaffPerson) => body.slice(body.indexOf('<main')).includes(p.email);

describe('the users and sessions lists', () => {
  before(async () => {
    support = await staffPerson(t, 'support');
    operator = await staffPerson(t, 'operator');
    plain = await staffPerson(t, null, false);
    locked = await staffPerson(t, null, false);
    gone = await staffPerson(t, null, false);
    await t.owner
      .updateTable('users')
      .set({ locked_until: sql<Date>`now() + interval '10 minutes'`, failed_logins: 5 })
      .where('id', '=', locked.id)
      .execute();
    await t.owner
      .updateTable('users')
      .set({ is_active: false, deactivated_at: new Date() })
      .where('id', '=', gone.id)
      .execute();
  });

  it('filters by staff role, two-factor, lockout and deactivation', async () => {
    const get = async (q: string) => (await support.agent.get(`/staff/users?${q}`)).body;
    const staffOnly = await get('staff=any');
    assert.ok(shows(staffOnly, support) && shows(staffOnly, operator) && !shows(staffOnly, plain));
    const operators = await get('staff=operator');
    assert.ok(shows(operators, operator) && !shows(operators, support));
    const noTwoFactor = await get('two_factor=no');
    assert.ok(shows(noTwoFactor, plain) && !shows(noTwoFactor, support));
    const lockedNow = await get('locked=yes');
    assert.ok(shows(lockedNow, locked) && !shows(lockedNow, plain));
    const deactivated = await get('state=deactivated');
    assert.ok(shows(deactivated, gone) && !shows(deactivated, plain));
    assert.match(deactivated, />Deactivated</);
    assert.match(lockedNow, />Locked</);
  });

  it('finds a person by part of their email, and by their id', async () => {
    const part = plain.email.split('@')[0]!.slice(-8);
    const found = (await support.agent.get(`/staff/users?q=${encodeURIComponent(part.toUpperCase())}`)).body;
    assert.ok(shows(found, plain), 'case-insensitive part of the email');
    assert.ok(!shows(found, locked));
    const byId = (await support.agent.get(`/staff/users?q=${plain.id}`)).body;
    assert.ok(shows(byId, plain) && !shows(byId, locked));
    assert.match(byId, />1 record</);
  });

  it('never shows a password hash, a TOTP secret or a session token hash', async () => {
    await t.owner
      .updateTable('users')
      .set({ totp_secret: 'v1.KNOWNSECRETVALUE' })
      .where('id', '=', support.id)
      .execute();
    const user = await t.owner
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', plain.id)
      .executeTakeFirstOrThrow();
    const session = await t.owner
      .selectFrom('sessions')
      .select('id_hash')
      .where('user_id', '=', plain.id)
      .executeTakeFirstOrThrow();
    for (const page of ['/staff/users', '/staff/sessions', `/staff/sessions?q=${encodeURIComponent(plain.email)}`]) {
      const body = (await operator.agent.get(page)).body;
      for (const secret of [
        user.password_hash,
        'KNOWNSECRETVALUE',
        session.id_hash.toString('hex'),
        session.id_hash.toString('base64'),
        session.id_hash.toString('base64url'),
      ])
        assert.ok(!body.includes(secret), `${page} shows a secret`);
    }
  });

  it('sessions: by person and by state', async () => {
    await t.owner
      .updateTable('sessions')
      .set({ expires_at: sql<Date>`now() - interval '1 minute'`, created_at: sql<Date>`now() - interval '2 days'` })
      .where('user_id', '=', locked.id)
      .execute();
    const mine = (await support.agent.get(`/staff/sessions?q=${encodeURIComponent(plain.email)}`)).body;
    assert.ok(shows(mine, plain) && !shows(mine, locked));
    const expired = (await support.agent.get('/staff/sessions?state=expired')).body;
    assert.ok(shows(expired, locked) && !shows(expired, plain));
    const active = (await support.agent.get('/staff/sessions?state=active')).body;
    assert.ok(shows(active, plain) && !shows(active, locked));
  });
});
