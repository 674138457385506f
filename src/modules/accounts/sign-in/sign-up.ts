import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { userActor, type Actor } from '../../../core/audit/audit.ts';
import type { Tx, Db } from '../../../core/db/pool.ts';
import { withOrg } from '../../../core/db/tenancy.ts';
import { ValidationError } from '../../../core/http/errors.ts';
import type { OrgSummary } from '../../../core/http/types.ts';
import { emailAddress } from '../../../core/schemas.ts';
import { hashPassword } from '../../../core/security/passwords.ts';
import { enqueue } from '../../../core/tasks/tasks.ts';
import { createOrganizationIn } from '../../orgs/service.ts';
import { auditAccount } from '../audit.ts';
import { newPassword } from '../passwords.ts';
import * as q from '../queries.ts';
import { startSession, type SessionMeta, type SessionSettings } from '../sessions/sessions.ts';
import { sendWelcomeEmail } from '../tasks.ts';

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
    await auditAccount(tx, actor, userId, 'signed_up', { email: input.email, name: input.name });
    if (!joining && !input.organization) throw new Error('sign-up needs an organization to create or to join');
    const org = joining
      ? await joining.join(tx, { id: userId, email: input.email }, actor)
      : await createOrganizationIn(tx, { orgId, name: input.organization ?? '', ownerId: userId, actor });
    await enqueue(tx, sendWelcomeEmail, { userId, orgSlug: org.slug }, { orgId, createdBy: userId });
    const token = await startSession(tx, userId, meta, settings, orgId);
    await auditAccount(tx, actor, userId, 'logged_in', { via: 'sign-up' });
    return { token, org, userId };
  });
}
