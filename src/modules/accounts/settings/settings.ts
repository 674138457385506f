import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { UserActor } from '../../../core/audit/audit.ts';
import type { Db } from '../../../core/db/pool.ts';
import { withUser } from '../../../core/db/tenancy.ts';
import { ConflictError, ValidationError } from '../../../core/http/errors.ts';
import type { Links } from '../../../core/mail/links.ts';
import { queueMail } from '../../../core/mail/mail.ts';
import { hashPassword, verifyPassword } from '../../../core/security/passwords.ts';
import * as aq from '../account-locks.ts';
import * as tokens from '../tokens.ts';
import { passwordChangedMail } from '../emails.ts';
import { userById } from '../queries.ts';
import { newPassword } from '../passwords.ts';
import { auditAccount } from '../audit.ts';

// The person's own profile and password. The sessions are in sessions/devices.ts, deleting the
// account in deletion/delete-account.ts.

export type { UserActor };

const timeZones = new Set(Intl.supportedValuesOf('timeZone'));
export function timeZoneList(): string[] {
  return ['UTC', ...[...timeZones].filter((z) => z !== 'UTC').sort()];
}

export const profileSchema = z.object({
  name: z.string().trim().min(1, 'Tell us your name.').max(200, 'That name is too long.'),
  time_zone: z.string().refine((tz) => tz === 'UTC' || timeZones.has(tz), 'Choose a time zone from the list.'),
});

export const passwordChangeSchema = z.object({
  current_password: z.string().min(1, 'Enter your current password.').max(200),
  password: newPassword,
});

export async function activeUser(db: Db, userId: string) {
  const user = await userById(db, userId);
  if (!user?.is_active) throw new ConflictError('This account is no longer active.');
  return user;
}

/** The active account of a person who proved it is them with their current password. */
export async function userWithPassword(db: Db, userId: string, currentPassword: string) {
  const user = await activeUser(db, userId);
  if (!(await verifyPassword(user.password_hash, currentPassword)))
    throw new ValidationError({ current_password: 'That is not your current password.' });
  return user;
}

export async function accountOverview(db: Db, userId: string) {
  const user = await activeUser(db, userId);
  return {
    name: user.name,
    email: user.email,
    timeZone: user.time_zone,
    passwordChangedAt: user.password_changed_at,
    twoFactor: user.totp_enabled_at !== null,
  };
}

export async function updateProfile(db: Db, actor: UserActor, input: z.infer<typeof profileSchema>): Promise<void> {
  await withUser(db, actor.userId, async (tx) => {
    const before = await aq.lockUser(tx, actor.userId);
    if (!before?.is_active) throw new ConflictError('This account is no longer active.');
    const changes: Record<string, { from: string; to: string }> = {};
    if (before.name !== input.name) changes.name = { from: before.name, to: input.name };
    if (before.time_zone !== input.time_zone) changes.time_zone = { from: before.time_zone, to: input.time_zone };
    if (!Object.keys(changes).length) return;
    await tx
      .updateTable('users')
      .set({ name: input.name, time_zone: input.time_zone, updated_at: sql<Date>`now()` })
      .where('id', '=', actor.userId)
      .execute();
    await auditAccount(tx, actor, actor.userId, 'profile_updated', changes);
  });
}

/**
 * Changes the password knowing the current one. Every other session ends (whoever else
 * knew the old password is signed out); this one stays signed in.
 */
export async function changePassword(
  db: Db,
  actor: UserActor,
  links: Links,
  currentSession: Buffer,
  input: z.infer<typeof passwordChangeSchema>,
): Promise<void> {
  const user = await userWithPassword(db, actor.userId, input.current_password);
  const passwordHash = await hashPassword(input.password);
  await withUser(db, actor.userId, async (tx) => {
    await aq.lockUser(tx, user.id);
    await tx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', user.id)
      .execute();
    await tokens.retireTokens(tx, user.id, ['password_reset']);
    const sessionsEnded = await aq.deleteSessionsOf(tx, user.id, { except: currentSession });
    await auditAccount(tx, actor, user.id, 'password_changed', { devices_signed_out: sessionsEnded });
    await queueMail(tx, null, {
      dedupeKey: `password-changed:${actor.requestId ?? randomUUID()}`,
      to: user.email,
      ...passwordChangedMail(links, user.name, 'changed'),
    });
  });
}
