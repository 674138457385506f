import type { Role } from '../../core/db/schema.ts';
import { ForbiddenError } from '../../core/http/errors.ts';
import { definePolicy, ROLE_GROUPS } from '../../core/http/policy.ts';

const { managers } = ROLE_GROUPS;
import type { OrgContext } from '../../core/http/types.ts';

/** Who may invite people into an organization. The README's permission table mirrors this. */
export const RULES = {
  'invitation.view': { roles: managers, label: 'see pending invitations' },
  'invitation.create': { roles: managers, label: 'invite people (admins: not as owner)' },
  'invitation.resend': { roles: managers, label: 'resend an invitation' },
  'invitation.revoke': { roles: managers, label: 'revoke an invitation' },
} as const satisfies Record<string, { roles: readonly Role[]; label: string }>;

export type InvitationAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);

/** Inviting someone as an owner hands them the organization: only owners may. */
export function authorizeInviteAs(org: Pick<OrgContext, 'role'>, role: Role): void {
  if (role === 'owner' && org.role !== 'owner') throw new ForbiddenError('Only an owner can invite another owner.');
}
