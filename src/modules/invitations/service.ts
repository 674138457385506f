// Invitations: an owner or admin invites an email address with a role. The link is single
// use, expires after 7 days, can be revoked or resent, and only works for the invited address.
import { z } from 'zod';
import { recordAudit, type Actor, type UserActor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import { ROLES, type Role } from '../../core/roles.ts';
import { withOrg, withUser } from '../../core/db/tenancy.ts';
import { ConflictError, NotFoundError, TooManyRequestsError, ValidationError } from '../../core/http/errors.ts';
import type { OrgContext, OrgSummary } from '../../core/http/types.ts';
import type { Links } from '../../core/mail/links.ts';
import { emailAddress } from '../../core/schemas.ts';
import { hashToken, newToken } from '../../core/security/tokens.ts';
import { addMemberIn } from '../orgs/service.ts';
import { authorize, authorizeRecord } from './policy.ts';
import * as q from './queries.ts';
import { INVITATION_AUDIT } from './audit.ts';
import { sendInvitationMail } from './mail.ts';
export { invitationPaths } from './paths.ts';

export { can as canInvitations, rightsFor as invitationRightsFor } from './policy.ts';

const VALID_DAYS = 7;
/** A resend is refused until this long after the previous send, and after MAX_SENDS in all. */
const RESEND_AFTER_MINUTES = 10;
const MAX_SENDS = 5;

export const inviteSchema = z.object({
  email: emailAddress,
  role: z.enum(ROLES, { message: 'Choose a role.' }),
});

export async function pendingInvitations(db: Db, actor: UserActor, org: OrgContext) {
  authorize(org, 'invitation.view');
  return withOrg(db, org.id, actor.userId, (tx) => q.openInvitations(tx, org.id));
}

/**
 * Invites an address. Inviting a member, or an address with a live invitation, says so;
 * an expired invitation to the same address is closed and replaced.
 */
export async function invite(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  input: z.infer<typeof inviteSchema>,
  links: Links,
): Promise<{ id: string }> {
  authorize(org, 'invitation.create');
  authorizeRecord({ org, userId: actor.userId }, 'invitation.create', input);
  return withOrg(db, org.id, actor.userId, async (tx) => {
    if (await q.isMemberByEmail(tx, org.id, input.email))
      throw new ValidationError({ email: `${input.email} is already a member of ${org.name}.` });
    const open = await q.openInvitationFor(tx, org.id, input.email);
    if (open && !open.expired) {
      throw new ValidationError({
        email: `${input.email} has already been invited and has not answered yet. You can resend or revoke that invitation below.`,
      });
    }
    if (open) await q.closeExpired(tx, org.id, open.id);
    const token = newToken();
    const id = await q.insertInvitation(tx, {
      org_id: org.id,
      email: input.email,
      role: input.role,
      token_hash: hashToken(token),
      invited_by: actor.userId,
      days: VALID_DAYS,
    });
    if (!id) throw new ValidationError({ email: `${input.email} has just been invited (perhaps in another tab).` });
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: INVITATION_AUDIT.created,
      target: { type: 'invitation', id },
      changes: { email: input.email, role: input.role },
    });
    const inviter = await q.personName(tx, actor.userId);
    await sendInvitationMail(tx, links, org, { id, email: input.email, role: input.role }, token, inviter, 1);
    return { id };
  });
}

export async function openInvitationOrThrow(tx: Tx, orgId: string, id: string) {
  const inv = await q.invitation(tx, orgId, id, { forUpdate: true });
  if (!inv) throw new NotFoundError('That invitation does not exist.');
  if (inv.accepted_at || inv.declined_at || inv.revoked_at) {
    throw new ConflictError(
      `That invitation was already ${inv.accepted_at ? 'accepted' : inv.declined_at ? 'declined' : 'revoked'}.`,
    );
  }
  return inv;
}

type OpenInvitation = Awaited<ReturnType<typeof openInvitationOrThrow>>;

/** Sends a fresh link (the previous one stops working) and extends the expiry. */
export async function resend(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
  links: Links,
): Promise<{ email: string }> {
  authorize(org, 'invitation.resend');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const inv = await openInvitationOrThrow(tx, org.id, id);
    authorizeRecord({ org, userId: actor.userId }, 'invitation.resend', inv);
    return resendIn(tx, actor, org, inv, links, await q.personName(tx, actor.userId));
  });
}

/** The resend itself, once the invitation is open and the actor may resend it (an org admin, or support). */
export async function resendIn(
  tx: Tx,
  actor: UserActor,
  org: { id: string; name: string },
  inv: OpenInvitation,
  links: Links,
  inviter: string,
): Promise<{ email: string }> {
  if (inv.send_count >= MAX_SENDS)
    throw new TooManyRequestsError(
      `This invitation has been sent ${MAX_SENDS} times already. Revoke it and invite again if the address is right.`,
    );
  const token = newToken();
  const sendNo = await q.renewToken(tx, org.id, inv.id, hashToken(token), VALID_DAYS, RESEND_AFTER_MINUTES);
  if (sendNo === null) {
    const wait = Math.max(1, Math.ceil(RESEND_AFTER_MINUTES - (Date.now() - inv.last_sent_at.getTime()) / 60_000));
    throw new TooManyRequestsError(
      `This invitation was sent moments ago. You can resend it in ${wait} minute${wait === 1 ? '' : 's'}.`,
    );
  }
  await recordAudit(tx, {
    orgId: org.id,
    actor,
    action: INVITATION_AUDIT.resent,
    target: { type: 'invitation', id: inv.id },
    changes: { email: inv.email, send: sendNo },
  });
  await sendInvitationMail(tx, links, org, { id: inv.id, email: inv.email, role: inv.role }, token, inviter, sendNo);
  return { email: inv.email };
}

export async function revoke(db: Db, actor: UserActor, org: OrgContext, id: string): Promise<{ email: string }> {
  authorize(org, 'invitation.revoke');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const inv = await openInvitationOrThrow(tx, org.id, id);
    authorizeRecord({ org, userId: actor.userId }, 'invitation.revoke', inv);
    return revokeIn(tx, actor, org.id, inv);
  });
}

/** The revocation itself, once the invitation is open and the actor may revoke it. */
export async function revokeIn(tx: Tx, actor: UserActor, orgId: string, inv: OpenInvitation) {
  await q.close(tx, orgId, inv.id, 'revoked', actor.userId);
  await recordAudit(tx, {
    orgId,
    actor,
    action: INVITATION_AUDIT.revoked,
    target: { type: 'invitation', id: inv.id },
    changes: { email: inv.email, role: inv.role },
  });
  return { email: inv.email };
}

export type InvitationView = {
  orgId: string;
  id: string;
  orgName: string;
  orgSlug: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  expiresAt: Date;
  state: 'open' | 'expired' | 'accepted' | 'declined' | 'revoked';
};

/** What the invitation link shows; null for a token that matches nothing. */
export async function invitationForToken(db: Db, token: string): Promise<InvitationView | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const ref = await withUser(db, null, (tx) => q.invitationIdByToken(tx, hashToken(token)));
  if (!ref) return null;
  const inv = await withOrg(db, ref.org_id, null, (tx) => q.invitation(tx, ref.org_id, ref.id));
  if (!inv) return null;
  return {
    orgId: inv.org_id,
    id: inv.id,
    orgName: inv.org_name,
    orgSlug: inv.org_slug,
    email: inv.email,
    role: inv.role,
    invitedBy: inv.invited_by_name,
    expiresAt: inv.expires_at,
    state: inv.accepted_at
      ? 'accepted'
      : inv.declined_at
        ? 'declined'
        : inv.revoked_at
          ? 'revoked'
          : inv.expired
            ? 'expired'
            : 'open',
  };
}

/** The invitation is for another address than the signed-in person's: the page explains and offers to switch. */
export class WrongAccountError extends ConflictError {
  constructor(readonly invitedEmail: string) {
    super(`This invitation is for ${invitedEmail}.`);
  }
}

/**
 * Joins the invitation's org inside the caller's transaction (which must be scoped to that
 * org): the person's email must be the invited one, and the invitation open and unexpired.
 */
export async function acceptInvitationIn(
  tx: Tx,
  inv: InvitationView,
  person: { id: string; email: string },
  actor: Actor,
): Promise<OrgSummary> {
  if (person.email !== inv.email) throw new WrongAccountError(inv.email);
  const current = await q.invitation(tx, inv.orgId, inv.id, { forUpdate: true });
  if (!current || current.accepted_at || current.declined_at || current.revoked_at)
    throw new ConflictError('This invitation is no longer open.');
  if (current.expired) throw new ConflictError('This invitation has expired. Ask for a new one.');
  await q.close(tx, inv.orgId, inv.id, 'accepted', person.id);
  await addMemberIn(tx, { orgId: inv.orgId, userId: person.id, role: current.role, actor, via: 'invitation' });
  await recordAudit(tx, {
    orgId: inv.orgId,
    actor,
    action: INVITATION_AUDIT.accepted,
    target: { type: 'invitation', id: inv.id },
    changes: { email: inv.email, role: current.role },
  });
  return {
    id: inv.orgId,
    slug: current.org_slug,
    name: current.org_name,
    role: current.role,
    require2fa: current.org_require_2fa,
  };
}

export async function acceptInvitation(
  db: Db,
  actor: Actor,
  person: { id: string; email: string },
  token: string,
): Promise<OrgSummary> {
  const inv = await invitationForToken(db, token);
  if (!inv) throw new NotFoundError('This invitation link is not valid.');
  return withOrg(db, inv.orgId, person.id, (tx) => acceptInvitationIn(tx, inv, person, actor));
}

/** Anyone holding the link may decline: the link itself proves access to the invited mailbox. */
export async function declineInvitation(db: Db, actor: Actor, token: string): Promise<InvitationView> {
  const inv = await invitationForToken(db, token);
  if (!inv) throw new NotFoundError('This invitation link is not valid.');
  await withOrg(db, inv.orgId, actor.userId, async (tx) => {
    if (!(await q.close(tx, inv.orgId, inv.id, 'declined', null)))
      throw new ConflictError('This invitation is no longer open.');
    await recordAudit(tx, {
      orgId: inv.orgId,
      actor,
      action: INVITATION_AUDIT.declined,
      target: { type: 'invitation', id: inv.id },
      changes: { email: inv.email },
    });
  });
  return inv;
}
