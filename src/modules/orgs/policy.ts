import type { Role } from '../../core/roles.ts';
import { ForbiddenError } from '../../core/http/errors.ts';
import { definePolicy, defineRules, ROLE_GROUPS, type PolicyActor } from '../../core/http/policy.ts';

import type { OrgContext } from '../../core/http/types.ts';

const { everyone, managers } = ROLE_GROUPS;

/**
 * What each role may do in an organization, with the words the README's permission table
 * uses (a test keeps the table and these rules identical).
 */
export const RULES = defineRules({
  'org.view': { roles: everyone, label: 'see the dashboard' },
  'org.view_members': { roles: everyone, label: 'see the members' },
  'org.view_activity': { roles: managers, label: 'see the activity (audit log, task runs)' },
  'task.retry': { roles: managers, label: 'retry a background task that failed for good' },
  'org.view_two_factor': { roles: managers, label: 'see who has two-factor authentication' },
  'org.manage_settings': { roles: managers, label: 'change the organization settings' },
  'org.manage_support_access': {
    roles: ['owner'],
    label: 'choose whether Ledgerworks support must ask first; grant and revoke support access',
  },
  'member.change_role': { roles: managers, label: "change a member's role (admins: not to or from owner)" },
  'member.set_approval_limit': { roles: managers, label: "set a member's approval limit (admins: not an owner's)" },
  'member.remove': { roles: managers, label: 'remove a member (admins: not an owner)' },
  'member.leave': { roles: everyone, label: 'leave the organization (not its last owner)' },
});

export type OrgAction = keyof typeof RULES;

/** Only an owner may make someone an owner, or change or remove an owner. */
export function canActOnRole(org: Pick<OrgContext, 'role'>, role: Role): boolean {
  return role !== 'owner' || org.role === 'owner';
}

const OWNER_ONLY = 'Only an owner can grant, change or remove the owner role.';
const ownerRule = (actor: PolicyActor, member: { role: Role }) =>
  canActOnRole(actor.org, member.role) ? null : OWNER_ONLY;

/** Acting on one member: an owner is changed, limited or removed only by an owner. */
export const { can, authorize, rightsFor } = definePolicy<typeof RULES, { role: Role }>(RULES, {
  'member.change_role': ownerRule,
  'member.set_approval_limit': ownerRule,
  'member.remove': ownerRule,
});

export function authorizeRole(org: Pick<OrgContext, 'role'>, role: Role): void {
  if (!canActOnRole(org, role)) throw new ForbiddenError(OWNER_ONLY);
}
