// The org roles. They stay in core, not in the orgs module: core's policy kit (http/policy.ts)
// and the request's org context speak in roles, and core imports no module.
import type { Memberships } from './db/generated.ts';
import { valuesOf } from './db/values.ts';

export type Role = Memberships['role'];
export const ROLES = valuesOf<Role>()(['owner', 'admin', 'approver', 'accountant', 'member', 'viewer']);

/** One line per role, for role pickers. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'everything, including owners and settings',
  admin: 'members, invitations and settings',
  approver: 'approves invoices and payouts',
  accountant: 'prepares payouts',
  member: 'submits invoices',
  viewer: 'reads only',
};
