// A person's choice, per kind of notification: an email at once, a daily digest, or nothing.
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { NOTIFICATION_DELIVERIES, type NotificationDelivery } from './kinds.ts';
import { withUser } from '../../core/db/tenancy.ts';
import { DEFAULT_DELIVERY, NOTIFICATION_KINDS, type NotificationKind } from './kinds.ts';
import { PREFERENCES_AUDIT } from './audit.ts';

export type Preferences = Record<NotificationKind, NotificationDelivery>;

const delivery = z.enum(NOTIFICATION_DELIVERIES, { error: 'Choose email at once, daily digest or off.' });
export const preferencesSchema = z.object(
  Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, delivery])) as Record<NotificationKind, typeof delivery>,
);

export async function notificationPreferences(db: Db, userId: string): Promise<Preferences> {
  return withUser(db, userId, async (tx) => {
    const rows = await tx
      .selectFrom('notification_preferences')
      .select(['kind', 'delivery'])
      .where('user_id', '=', userId)
      .execute();
    const saved = new Map(rows.map((r) => [r.kind, r.delivery]));
    return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, saved.get(k) ?? DEFAULT_DELIVERY])) as Preferences;
  });
}

/** Saves the choices that changed, audited with their old and new value. */
export async function setNotificationPreferences(
  db: Db,
  actor: UserActor,
  next: Preferences,
): Promise<{ changed: NotificationKind[] }> {
  const before = await notificationPreferences(db, actor.userId);
  const changed = NOTIFICATION_KINDS.filter((k) => before[k] !== next[k]);
  if (changed.length === 0) return { changed };
  await withUser(db, actor.userId, async (tx) => {
    await tx
      .insertInto('notification_preferences')
      .values(changed.map((kind) => ({ user_id: actor.userId, kind, delivery: next[kind] })))
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'kind'])
          .doUpdateSet({ delivery: (eb) => eb.ref('excluded.delivery'), updated_at: sql<Date>`now()` }),
      )
      .execute();
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: PREFERENCES_AUDIT.notification_preferences_changed,
      target: { type: 'user', id: actor.userId },
      changes: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: next[k] }])),
    });
  });
  return { changed };
}
