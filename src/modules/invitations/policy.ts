import type { Role } from '../../core/roles.ts';
import { definePolicy, defineRules, ROLE_GROUPS, type PolicyActor } from '../../core/http/policy.ts';

const { managers } = ROLE_GROUPS;

/** Who may invite people into an organization. The README's permission table mirrors this. */
export const RULES = defineRules({
  'invitation.view': { roles: managers, label: 'see pending invitations' },
  'invitation.create': { roles: managers, label: 'invite people (admins: not as owner)' },
  'invitation.resend': { roles: managers, label: 'resend an invitation' },
  'invitation.revoke': { roles: managers, label: 'revoke an invitation' },
});

export type InvitationAction = keyof typeof RULES;

/** Inviting someone as an owner hands them the organization: only owners invite, resend or revoke one. */
const ownerInvitation = (actor: PolicyActor, invitation: { role: Role }) =>
  invitation.role === 'owner' && actor.org.role !== 'owner' ? 'Only an owner can invite another owner.' : null;

export const { can, authorize, authorizeRecord, rightsFor } = definePolicy<typeof RULES, { role: Role }>(RULES, {
  'invitation.create': ownerInvitation,
  'invitation.resend': ownerInvitation,
  'invitation.revoke': ownerInvitation,
});
