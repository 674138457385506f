import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { anonymousActor, recordAudit, userActor, type Actor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import { withOrg, withUser } from '../../core/db/tenancy.ts';
import { ValidationError } from '../../core/http/errors.ts';
import type { StaffRole } from '../../core/http/staff-access.ts';
import type { OrgSummary, Viewer } from '../../core/http/types.ts';
import { emailAddress } from '../../core/schemas.ts';
import { decoyHash, hashPassword, verifyPassword } from '../../core/security/passwords.ts';
import { hashToken, newToken } from '../../core/security/tokens.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { createOrganizationIn, orgsOf } from '../orgs/service.ts';
import * as q from './queries.ts';
import { auditLockedAttempt, clearFailuresUnlessLocked, lockedUntil, recordFailedAttempt } from './lockout.ts';
import { sendWelcomeEmail } from './tasks.ts';
import type { Links } from '../../core/mail/links.ts';
import { ACCOUNT_AUDIT } from './audit.ts';

export const newPassword = z
  .string('Use at least 10 characters.')
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.')
  .refine((p) => p.trim().length > 0, 'A password of spaces is not a password.');

/**
 * The sign-up form. Signing up from an invitation (its token in `invitation`) joins the inviting
 * organization; only a sign-up without one names a new organization.
 */
export const signUpFormSchema = z
  .object({
    name: z.string('Tell us your name.').trim().min(1, 'Tell us your name.').max(200, 'That name is too long.'),
    email: emailAddress,
    password: newPassword,
    organization: z.string().trim().max(200, 'That name is too long.').optional(),
    invitation: z.string().optional(),
  })
  .refine((form) => form.invitation || form.organization, {
    path: ['organization'],
    message: 'Name your organization (you can change it later).',
    // Shown with the other fields' messages, not only once they are fixed.
    when: () => true,
  });

export const logInSchema = z.object({
  email: z.string('Enter your email.').trim().toLowerCase().min(1, 'Enter your email.').max(254),
  password: z.string('Enter your password.').min(1, 'Enter your password.').max(200),
});

export type SessionMeta = { requestId: string; ip: string; userAgent: string | null };
export type SessionSettings = { idleMinutes: number; absoluteHours: number };

async function startSession(
  tx: Tx,
  userId: string,
  meta: SessionMeta,
  settings: SessionSettings,
  lastOrgId: string | null,
): Promise<string> {
  const token = newToken();
  await q.insertSession(tx, {
    id_hash: hashToken(token),
    user_id: userId,
    last_org_id: lastOrgId,
    ip: meta.ip,
    user_agent: meta.userAgent?.slice(0, 500) ?? null,
    absoluteHours: settings.absoluteHours,
  });
  return token;
}

/** Joining an existing organization instead of creating one (sign-up from an invitation). */
export type JoinOnSignUp = {
  orgId: string;
  join: (tx: Tx, person: { id: string; email: string }, actor: Actor) => Promise<OrgSummary>;
};

/**
 * Creates the person, their first organization (with them as owner) and a session, in
 * one transaction; the welcome email is enqueued in it too, so a failed sign-up sends nothing.
 * With `joining`, the person joins that organization instead of creating one.
 */
export async function signUp(
  db: Db,
  meta: SessionMeta,
  input: Pick<z.infer<typeof signUpFormSchema>, 'name' | 'email' | 'password' | 'organization'>,
  settings: SessionSettings,
  joining?: JoinOnSignUp,
): Promise<{ token: string; org: OrgSummary; userId: string }> {
  const userId = randomUUID();
  const orgId = joining?.orgId ?? randomUUID();
  const passwordHash = await hashPassword(input.password);
  return withOrg(db, orgId, userId, async (tx) => {
    const created = await q.insertUser(tx, {
      id: userId,
      email: input.email,
      name: input.name,
      password_hash: passwordHash,
    });
    if (!created) throw new ValidationError({ email: 'An account with this email already exists. Sign in instead.' });
    const actor = userActor(meta, userId);
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: ACCOUNT_AUDIT.signed_up,
      target: { type: 'user', id: userId },
      changes: { email: input.email, name: input.name },
    });
    if (!joining && !input.organization) throw new Error('sign-up needs an organization to create or to join');
    const org = joining
      ? await joining.join(tx, { id: userId, email: input.email }, actor)
      : await createOrganizationIn(tx, { orgId, name: input.organization ?? '', ownerId: userId, actor });
    await enqueue(tx, sendWelcomeEmail, { userId, orgSlug: org.slug }, { orgId, createdBy: userId });
    const token = await startSession(tx, userId, meta, settings, orgId);
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: ACCOUNT_AUDIT.logged_in,
      target: { type: 'user', id: userId },
      changes: { via: 'sign-up' },
    });
    return { token, org, userId };
  });
}

export type LogInOutcome =
  | { kind: 'signed_in'; token: string; userId: string }
  /** Right password, two-factor on: no session until the code (see two-factor-login.ts). */
  | { kind: 'needs_code'; userId: string }
  | { kind: 'locked'; until: Date }
  | { kind: 'failed' };

/**
 * Checks the password (the same work whether or not the email exists) and starts a new
 * session; the previous session of this browser, if any, is ended (fixation defence).
 * A wrong email and a wrong password give one generic outcome; wrong passwords count
 * toward a temporary lock (lockout.ts), during which even the right one is refused.
 */
export async function logIn(
  db: Db,
  links: Links,
  meta: SessionMeta,
  input: z.infer<typeof logInSchema>,
  settings: SessionSettings,
  previousSession: Buffer | null,
): Promise<LogInOutcome> {
  const user = await q.userByEmail(db, input.email);
  const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), input.password);
  const anonymous = anonymousActor(meta);
  if (!user || !user.is_active) {
    await withUser(db, null, (tx) =>
      recordAudit(tx, {
        orgId: null,
        actor: anonymous,
        action: ACCOUNT_AUDIT.login_failed,
        target: user ? { type: 'user', id: user.id } : undefined,
        changes: { email: input.email, reason: !user ? 'unknown email' : !ok ? 'wrong password' : 'inactive account' },
      }),
    );
    return { kind: 'failed' };
  }
  if (!ok) {
    const until = await withUser(db, null, (tx) =>
      recordFailedAttempt(tx, links, user, anonymous, 'wrong password', input.email),
    );
    return until ? { kind: 'locked', until } : { kind: 'failed' };
  }
  return withUser(db, user.id, async (tx): Promise<LogInOutcome> => {
    const until = user.totp_enabled_at ? await lockedUntil(tx, user.id) : await clearFailuresUnlessLocked(tx, user.id);
    if (until) {
      await auditLockedAttempt(tx, anonymous, user.id, input.email);
      return { kind: 'locked', until };
    }
    if (user.totp_enabled_at) return { kind: 'needs_code', userId: user.id };
    return {
      kind: 'signed_in',
      token: await beginSession(tx, user.id, meta, settings, previousSession),
      userId: user.id,
    };
  });
}

/** Ends this browser's previous session (fixation defence), starts a new one and audits the login. */
export async function beginSession(
  tx: Tx,
  userId: string,
  meta: SessionMeta,
  settings: SessionSettings,
  previousSession: Buffer | null,
  how?: Record<string, unknown>,
): Promise<string> {
  if (previousSession) await q.deleteSession(tx, previousSession);
  const token = await startSession(tx, userId, meta, settings, await q.lastUsedOrg(tx, userId));
  await recordAudit(tx, {
    orgId: null,
    actor: userActor(meta, userId),
    action: ACCOUNT_AUDIT.logged_in,
    target: { type: 'user', id: userId },
    changes: how,
  });
  return token;
}

/** Ends the session on the server: the cookie alone is worth nothing afterwards. */
export async function logOut(db: Db, meta: SessionMeta, sessionIdHash: Buffer): Promise<void> {
  await withUser(db, null, async (tx) => {
    const userId = await q.deleteSession(tx, sessionIdHash);
    if (userId)
      await recordAudit(tx, {
        orgId: null,
        actor: userActor(meta, userId),
        action: ACCOUNT_AUDIT.logged_out,
        target: { type: 'user', id: userId },
      });
  });
}

/**
 * A live session: the person, and the staff member acting as them when the session is an
 * impersonation (none yet: sessions are only ever started by the person themselves until the
 * back-office starts impersonation sessions).
 */
export type LiveSession = { viewer: Viewer; impersonatorId: string | null };

/** The person behind a session token, with their organizations; null when the session is not live. */
export async function sessionFor(db: Db, idHash: Buffer, settings: SessionSettings): Promise<LiveSession | null> {
  const s = await q.liveSession(db, idHash, settings.idleMinutes);
  if (!s) return null;
  if (s.stale) await q.touchSession(db, idHash);
  const orgs = await withUser(db, s.user_id, (tx) => orgsOf(tx, s.user_id));
  return { viewer: viewerOf(s, orgs), impersonatorId: null };
}

function viewerOf(s: NonNullable<Awaited<ReturnType<typeof q.liveSession>>>, orgs: OrgSummary[]): Viewer {
  return {
    id: s.user_id,
    email: s.email,
    name: s.name,
    timeZone: s.time_zone,
    staffRole: s.staff_role,
    twoFactorEnabled: s.two_factor_enabled,
    authenticatedAt: s.authenticated_at,
    staffSeenAt: s.staff_seen_at,
    orgs,
    lastOrgId: s.last_org_id,
  };
}

/** For the operator's command line and demo data: a person with a password, no organization yet. */
export async function createUser(
  db: Db,
  input: { email: string; name: string; password: string; staffRole?: StaffRole },
): Promise<string> {
  const parsed = z
    .object({ email: emailAddress, name: z.string().trim().min(1).max(200), password: newPassword })
    .safeParse(input);
  if (!parsed.success)
    throw new ValidationError(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
  const id = randomUUID();
  const passwordHash = await hashPassword(parsed.data.password);
  await withUser(db, id, async (tx) => {
    const created = await q.insertUser(tx, {
      id,
      email: parsed.data.email,
      name: parsed.data.name,
      password_hash: passwordHash,
      staff_role: input.staffRole ?? null,
    });
    if (!created) throw new ValidationError({ email: 'An account with this email already exists.' });
    await recordAudit(tx, {
      orgId: null,
      actor: { userId: null },
      action: input.staffRole ? ACCOUNT_AUDIT.staff_created : ACCOUNT_AUDIT.created,
      target: { type: 'user', id },
      changes: { email: parsed.data.email, ...(input.staffRole && { staff_role: input.staffRole }) },
    });
  });
  return id;
}

export async function userCount(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export { sendWelcomeEmail };
export { markStaffSeen, reauthenticate } from './reauthenticate.ts';
