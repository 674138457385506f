import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit, userActor, type RequestOrigin, type UserActor } from '../../../core/audit/audit.ts';
import type { Db, Tx } from '../../../core/db/pool.ts';
import { withOrg, withStaff, withUser } from '../../../core/db/tenancy.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../core/http/errors.ts';
import { staffMay } from '../../../core/http/staff-access.ts';
import type { OrgSummary } from '../../../core/http/types.ts';
import { recordId } from '../../../core/http/params.ts';
import { orgsOf, supportAccessOf } from '../../orgs/service.ts';
import { IMPERSONATION_AUDIT } from '../audit.ts';
import * as q from '../queries.ts';
import { startImpersonationSession, type SessionMeta } from '../sessions/sessions.ts';
import * as iq from './queries.ts';

// A staff member (support or superuser) signs in as a person to see what they see: with a reason
// (a ticket reference), for at most an hour, inside one of the person's orgs, read-only unless a
// second reason allows changes. Its own session row; the staff member's session waits for them.
// Never into a staff account nor a deactivated one (a trigger checks that too, and the grant an
// org may ask for). Start and end are audited in the org's log and in the person's own.

export const DEFAULT_MINUTES = 15;
export const MAX_MINUTES = 60;

const reasonText = (what: string) =>
  z
    .string(`Give ${what}.`)
    .trim()
    .min(3, `Give ${what} (at least 3 characters).`)
    .max(200, 'Keep it under 200 characters.');

export const impersonationForm = z
  .object({
    org_id: z.union([recordId, z.literal('')]).optional(),
    reason: reasonText('the reason, e.g. the ticket reference'),
    minutes: z.coerce
      .number('Say for how many minutes.')
      .int('Whole minutes.')
      .min(1, 'At least one minute.')
      .max(MAX_MINUTES, `At most ${MAX_MINUTES} minutes.`),
    allow_changes: z.literal('on').optional(),
    change_reason: z.string().trim().max(200, 'Keep it under 200 characters.').optional(),
  })
  .refine((f) => !f.allow_changes || (f.change_reason ?? '').length >= 3, {
    path: ['change_reason'],
    message: 'Say why changes are needed (at least 3 characters), or leave changes off.',
    when: () => true,
  });
export type ImpersonationInput = z.infer<typeof impersonationForm>;

/** Who the staff member is about to sign in as, and the orgs they may open. */
export type ImpersonationTarget = {
  id: string;
  name: string;
  email: string;
  isStaff: boolean;
  isActive: boolean;
  orgs: (OrgSummary & { supportAccess: 'open' | 'grant'; grantedUntil: Date | null })[];
};

export async function impersonationTarget(
  db: Db,
  staffUserId: string,
  userId: string,
): Promise<ImpersonationTarget | null> {
  const user = await q.userById(db, userId);
  if (!user) return null;
  // One transaction on the staff read path: the person's orgs and each one's support access.
  const orgs = await withStaff(db, staffUserId, async (tx) => {
    const out = [];
    for (const org of await orgsOf(tx, userId)) out.push({ ...org, ...(await supportAccessOf(tx, org.id)) });
    return out;
  });
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    isStaff: user.staff_role !== null,
    isActive: user.is_active,
    orgs,
  };
}

/** Why this person cannot be impersonated at all, or null. */
export function refusal(target: ImpersonationTarget): string | null {
  if (target.isStaff) return 'Staff accounts are never impersonated.';
  if (!target.isActive) return 'This account is deactivated: it cannot be impersonated.';
  return null;
}

/**
 * Starts the impersonation: checks the staff member's role afresh, the person, the org and its
 * support access, then writes the impersonation, its session and the audit entries in one
 * transaction. Returns the session token for the browser's cookie.
 */
export async function startImpersonation(
  db: Db,
  actor: UserActor,
  meta: SessionMeta,
  userId: string,
  input: ImpersonationInput,
): Promise<{ token: string; impersonationId: string; endsAt: Date; orgSlug: string | null }> {
  if (actor.impersonatorId) throw new ForbiddenError('Stop the current impersonation first.');
  const target = await impersonationTarget(db, actor.userId, userId);
  if (!target) throw new ValidationError({}, 'There is no such account.');
  const refused = refusal(target);
  if (refused) throw new ConflictError(refused);
  const orgId = input.org_id || null;
  const org = target.orgs.find((o) => o.id === orgId) ?? null;
  if (target.orgs.length > 0 && !org)
    throw new ValidationError({ org_id: 'Choose the organization you need to look at.' });
  if (org && org.supportAccess === 'grant' && !org.grantedUntil)
    throw new ValidationError({
      org_id: `${org.name} asks support to ask first: one of its owners must grant access (Settings → Support access).`,
    });
  const id = randomUUID();
  const minutes = input.minutes;
  const changes = {
    reason: input.reason,
    minutes,
    allows_changes: !!input.allow_changes,
    ...(input.allow_changes && { change_reason: input.change_reason }),
    user: target.email,
  };
  const run = async (tx: Tx) => {
    const staff = await q.userById(tx, actor.userId);
    if (!staffMay(staff?.staff_role, 'staff:support'))
      throw new ForbiddenError('Only support and superuser staff may impersonate.');
    const endsAt = await iq.insertImpersonation(tx, {
      id,
      staff_user_id: actor.userId,
      user_id: userId,
      org_id: orgId,
      reason: input.reason,
      allows_changes: !!input.allow_changes,
      change_reason: input.allow_changes ? (input.change_reason ?? null) : null,
      minutes,
    });
    const token = await startImpersonationSession(tx, { id, userId, orgId, endsAt }, meta);
    const target_ = { type: 'user', id: userId };
    // One entry in the person's own log (their security activity), one in the org's (its Activity).
    await recordAudit(tx, { orgId: null, actor, action: IMPERSONATION_AUDIT.started, target: target_, changes });
    if (orgId) await recordAudit(tx, { orgId, actor, action: IMPERSONATION_AUDIT.started, target: target_, changes });
    return { token, impersonationId: id, endsAt, orgSlug: org?.slug ?? null };
  };
  try {
    return await (orgId ? withOrg(db, orgId, actor.userId, run) : withUser(db, actor.userId, run));
  } catch (err) {
    throw refusedByDatabase(err) ?? err;
  }
}

/** The trigger's refusals (a change between the form and the insert) as the app's messages. */
function refusedByDatabase(err: unknown): Error | null {
  const constraint = (err as { constraint?: string }).constraint;
  if (constraint === 'impersonations_target_not_staff')
    return new ConflictError('Staff accounts are never impersonated.');
  if (constraint === 'impersonations_target_active')
    return new ConflictError('This account is deactivated: it cannot be impersonated.');
  if (constraint === 'impersonations_member_of_org')
    return new ValidationError({ org_id: 'The person is no longer a member of that organization.' });
  if (constraint === 'impersonations_access_granted')
    return new ValidationError({ org_id: 'That organization asks support to ask first: no access grant is live.' });
  if (constraint === 'impersonations_impersonator_role')
    return new ForbiddenError('Only support and superuser staff may impersonate.');
  return null;
}

export type EndedHow = 'stopped' | 'expired' | 'signed_out';

/**
 * Ends an impersonation (stopped, signed out, or found expired) once: closes its record, ends its
 * session, and audits it in both logs. Returns false when it had already ended.
 */
export async function endImpersonation(
  db: Db,
  origin: RequestOrigin,
  impersonationId: string,
  how: EndedHow,
): Promise<boolean> {
  const imp = await iq.impersonationById(db, impersonationId);
  if (!imp) return false;
  const run = async (tx: Tx) => {
    const ended = await iq.closeImpersonation(tx, impersonationId, how);
    if (!ended) return false;
    await iq.deleteImpersonationSession(tx, impersonationId);
    const actor = userActor(origin, imp.staff_user_id);
    const target = { type: 'user', id: imp.user_id };
    const changes = { how, reason: imp.reason };
    await recordAudit(tx, { orgId: null, actor, action: IMPERSONATION_AUDIT.stopped, target, changes });
    if (imp.org_id)
      await recordAudit(tx, { orgId: imp.org_id, actor, action: IMPERSONATION_AUDIT.stopped, target, changes });
    return true;
  };
  return imp.org_id ? withOrg(db, imp.org_id, imp.staff_user_id, run) : withUser(db, imp.staff_user_id, run);
}

/** Ends the impersonation a session (live or expired, not yet cleaned up) belonged to, if any. */
export async function endImpersonationOfSession(db: Db, origin: RequestOrigin, idHash: Buffer): Promise<void> {
  const id = await iq.impersonationOfSession(db, idHash);
  if (id) await endImpersonation(db, origin, id, 'expired');
}

/** Closes the impersonations whose time ran out without anyone stopping them (nightly and on return). */
export async function endExpiredImpersonations(db: Db, origin: RequestOrigin): Promise<number> {
  let n = 0;
  for (const id of await iq.expiredOpenImpersonations(db)) if (await endImpersonation(db, origin, id, 'expired')) n++;
  return n;
}
