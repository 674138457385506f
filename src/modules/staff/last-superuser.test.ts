// The last superuser keeps the role, in the database too (migration 0013): raw SQL as the app's
// runtime role and as the owner is refused, a second superuser makes it possible, and two
// superusers stepping down at the same moment leave one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { useTestApp } from '../../testing/harness.ts';
import { person } from '../../testing/staff.ts';

const t = useTestApp();

const superusers = async () =>
  (await t.owner.selectFrom('users').select('id').where('staff_role', '=', 'superuser').execute()).map((r) => r.id);

const stepDown = (id: string) => sql`update users set staff_role = 'support' where id = ${id}`;

describe('the last superuser, in the database', () => {
  it('refuses taking the role from the only superuser, or deleting them, whoever runs the SQL', async () => {
    const only = await person(t);
    await t.owner.updateTable('users').set({ staff_role: 'superuser' }).where('id', '=', only.id).execute();
    assert.deepEqual(await superusers(), [only.id]);
    for (const db of [t.db, t.owner]) {
      await assert.rejects(stepDown(only.id).execute(db), /the last superuser keeps the role/);
      await assert.rejects(
        sql`delete from users where id = ${only.id}`.execute(db),
        /the last superuser keeps the role/,
      );
    }
    assert.deepEqual(await superusers(), [only.id]);
    // Another change to the same row is not refused: only the role is guarded.
    await sql`update users set name = 'Still Super' where id = ${only.id}`.execute(t.db);

    const second = await person(t);
    await sql`update users set staff_role = 'superuser' where id = ${second.id}`.execute(t.db);
    await stepDown(only.id).execute(t.db);
    assert.deepEqual(await superusers(), [second.id]);
  });

  it('two superusers stepping down at the same moment: one succeeds, the other is refused, one remains', async () => {
    const [a, b] = [await person(t), await person(t)];
    await sql`update users set staff_role = 'superuser' where id in (${a.id}, ${b.id})`.execute(t.owner);
    for (const id of await superusers()) if (id !== a.id && id !== b.id) await stepDown(id).execute(t.owner);
    assert.deepEqual((await superusers()).sort(), [a.id, b.id].sort());
    const results = await Promise.allSettled(
      [a.id, b.id].map((id) =>
        t.db.transaction().execute(async (tx) => {
          await stepDown(id).execute(tx);
          // Both hold their change open for a moment, so that each runs its check while the other is in flight.
          await sql`select pg_sleep(0.2)`.execute(tx);
        }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
    assert.equal((await superusers()).length, 1);
  });
});
