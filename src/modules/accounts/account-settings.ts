import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg, withUser } from '../../core/db/tenancy.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { queueMail } from '../../core/mail/mail.ts';
import { isUuid } from '../../core/schemas.ts';
import { hashPassword, verifyPassword } from '../../core/security/passwords.ts';
import { orgsOf } from '../orgs/service.ts';
import * as aq from './account-queries.ts';
import { accountDeactivatedMail, passwordChangedMail } from './emails.ts';
import { userById } from './queries.ts';
import { newPassword } from './service.ts';
import { describeDevice } from './user-agent.ts';
import type { Links } from '../../core/mail/links.ts';
import { ACCOUNT_AUDIT } from './audit.ts';
import { MEMBER_AUDIT, ORG_AUDIT } from '../orgs/service.ts';

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

export const deleteAccountSchema = z.object({
  current_password: z.string().min(1, 'Enter your current password.').max(200),
  confirm: z.literal('yes', { message: 'Tick the box to confirm that you want to delete your account.' }),
});

async function activeUser(db: Db, userId: string) {
  const user = await userById(db, userId);
  if (!user?.is_active) throw new ConflictError('This account is no longer active.');
  return user;
}

async function checkPassword(passwordHash: string, password: string): Promise<void> {
  if (!(await verifyPassword(passwordHash, password)))
    throw new ValidationError({ current_password: 'That is not your current password.' });
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
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: ACCOUNT_AUDIT.profile_updated,
      target: { type: 'user', id: actor.userId },
      changes,
    });
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
  const user = await activeUser(db, actor.userId);
  await checkPassword(user.password_hash, input.current_password);
  const passwordHash = await hashPassword(input.password);
  await withUser(db, actor.userId, async (tx) => {
    await aq.lockUser(tx, user.id);
    await tx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', user.id)
      .execute();
    await aq.retireTokens(tx, user.id, ['password_reset']);
    const sessionsEnded = await aq.deleteSessionsOf(tx, user.id, { except: currentSession });
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: ACCOUNT_AUDIT.password_changed,
      target: { type: 'user', id: user.id },
      changes: { devices_signed_out: sessionsEnded },
    });
    await queueMail(tx, null, {
      dedupeKey: `password-changed:${actor.requestId ?? randomUUID()}`,
      to: user.email,
      ...passwordChangedMail(links, user.name, 'changed'),
    });
  });
}

export type SessionRow = {
  publicId: string;
  device: string;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

export async function sessionsOf(
  db: Db,
  userId: string,
  currentSession: Buffer | null,
  idleMinutes: number,
): Promise<SessionRow[]> {
  const rows = await withUser(db, userId, (tx) => aq.liveSessionsOf(tx, userId, idleMinutes));
  return rows.map((s) => ({
    publicId: s.public_id,
    device: describeDevice(s.user_agent),
    ip: s.ip,
    createdAt: s.created_at,
    lastSeenAt: s.last_seen_at,
    current: currentSession !== null && s.id_hash.equals(currentSession),
  }));
}

/** Signs out one session of the user's own; another person's session id answers 404. Returns whether it was this one. */
export async function revokeSession(
  db: Db,
  actor: UserActor,
  currentSession: Buffer | null,
  publicId: string,
): Promise<{ wasCurrent: boolean }> {
  if (!isUuid(publicId)) throw new NotFoundError('We could not find that session.');
  return withUser(db, actor.userId, async (tx) => {
    const gone = await aq.deleteSessionByPublicId(tx, actor.userId, publicId);
    if (!gone) throw new NotFoundError('We could not find that session. It may have ended already.');
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: ACCOUNT_AUDIT.session_revoked,
      target: { type: 'user', id: actor.userId },
      changes: { public_id: publicId, ip: gone.ip, device: describeDevice(gone.user_agent) },
    });
    return { wasCurrent: currentSession !== null && gone.id_hash.equals(currentSession) };
  });
}

export type SecurityEvent = { id: string; action: string; detail: string | null; ip: string | null; createdAt: Date };

/** The last sign-ins and security changes of the person's own account. */
export async function securityActivity(db: Db, userId: string, limit = 15): Promise<SecurityEvent[]> {
  const rows = await withUser(db, userId, (tx) => aq.securityEvents(tx, userId, limit));
  return rows.map((r) => {
    const changes = (r.changes ?? {}) as Record<string, unknown>;
    const detail =
      typeof changes.reason === 'string'
        ? changes.reason
        : typeof changes.mfa === 'string'
          ? `with ${changes.mfa.replace('_', ' ')}`
          : typeof changes.device === 'string'
            ? changes.device
            : null;
    return { id: r.id, action: r.action, detail, ip: r.ip, createdAt: r.created_at };
  });
}

export async function revokeOtherSessions(db: Db, actor: UserActor, currentSession: Buffer): Promise<number> {
  return withUser(db, actor.userId, async (tx) => {
    const ended = await aq.deleteSessionsOf(tx, actor.userId, { except: currentSession });
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: ACCOUNT_AUDIT.other_sessions_revoked,
      target: { type: 'user', id: actor.userId },
      changes: { devices_signed_out: ended },
    });
    return ended;
  });
}

/** Orgs the user alone owns while others are members: they must hand ownership over first. */
export async function orgsBlockingDeletion(db: Db, userId: string): Promise<string[]> {
  const orgs = await withUser(db, userId, (tx) => orgsOf(tx, userId));
  const blocking: string[] = [];
  for (const org of orgs.filter((o) => o.role === 'owner')) {
    const head = await withOrg(db, org.id, userId, (tx) => aq.orgHeadcount(tx, org.id, userId));
    if (head && head.others > 0 && head.otherOwners === 0) blocking.push(head.name);
  }
  return blocking;
}

function soleOwnerError(names: string[]): ValidationError {
  return new ValidationError(
    {},
    `You are the only owner of ${names.join(', ')}, which ${names.length > 1 ? 'have' : 'has'} other members. Make another member an owner first, then delete your account.`,
  );
}

/**
 * Deactivates the account: leaves every org (an org where the user is the only member goes
 * with them), ends every session and frees the email address. One transaction per org,
 * because row-level security scopes membership changes to the current org. Records the
 * user created stay in their orgs' history.
 */
export async function deactivateAccount(
  db: Db,
  actor: UserActor,
  input: z.infer<typeof deleteAccountSchema>,
): Promise<void> {
  const user = await activeUser(db, actor.userId);
  await checkPassword(user.password_hash, input.current_password);
  const blocking = await orgsBlockingDeletion(db, user.id);
  if (blocking.length) throw soleOwnerError(blocking);

  for (const org of await withUser(db, user.id, (tx) => orgsOf(tx, user.id))) {
    await leaveOrg(db, actor, org.id);
  }
  await withUser(db, user.id, async (tx) => {
    const current = await aq.lockUser(tx, user.id);
    if (!current?.is_active) throw new ConflictError('This account is no longer active.');
    // The notice goes to the address the person knows, before it is freed.
    await queueMail(tx, null, {
      dedupeKey: `account-deactivated:${user.id}`,
      to: current.email,
      ...accountDeactivatedMail(current.name),
    });
    await tx
      .updateTable('users')
      .set({
        is_active: false,
        deactivated_at: sql<Date>`now()`,
        email: `deactivated+${user.id}@deactivated.invalid`,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', user.id)
      .execute();
    await aq.retireTokens(tx, user.id, ['password_reset', 'email_change', 'email_change_report']);
    const sessionsEnded = await aq.deleteSessionsOf(tx, user.id);
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: ACCOUNT_AUDIT.deactivated,
      target: { type: 'user', id: user.id },
      changes: { email: current.email, devices_signed_out: sessionsEnded },
    });
  });
}

/** One org's part of a deactivation, in that org's transaction. */
async function leaveOrg(db: Db, actor: UserActor, orgId: string): Promise<void> {
  const userId = actor.userId;
  try {
    await withOrg(db, orgId, userId, async (tx) => {
      const head = await aq.orgHeadcount(tx, orgId, userId);
      if (!head) return;
      if (head.others === 0) {
        await aq.deleteOrganization(tx, orgId);
        await recordAudit(tx, {
          orgId: null,
          actor,
          action: ORG_AUDIT.deleted,
          target: { type: 'organization', id: orgId },
          changes: { name: head.name, reason: 'last member deleted their account' },
        });
        return;
      }
      // Checked again under the org's lock: an owner may have left since the check above.
      if (head.role === 'owner' && head.otherOwners === 0) throw soleOwnerError([head.name]);
      await aq.deleteMembership(tx, orgId, userId);
      await recordAudit(tx, {
        orgId,
        actor,
        action: MEMBER_AUDIT.removed,
        target: { type: 'user', id: userId },
        changes: { role: head.role, reason: 'account deleted' },
      });
    });
  } catch (err) {
    // The database's last-owner rule (a deferred trigger) is the final word on a race.
    if ((err as { constraint?: string }).constraint === 'memberships_last_owner')
      throw soleOwnerError(['one of your organizations']);
    throw err;
  }
}
