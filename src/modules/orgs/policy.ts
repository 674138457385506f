import type { Role } from '../../core/db/schema.ts';
import { ForbiddenError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';

/** What each role may do in an organization. The README's permission table mirrors this. */
const RULES = {
  'org.view': ['owner', 'admin', 'approver', 'accountant', 'member', 'viewer'],
  'org.view_members': ['owner', 'admin', 'approver', 'accountant', 'member', 'viewer'],
  'org.view_activity': ['owner', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type OrgAction = keyof typeof RULES;

export function can(org: Pick<OrgContext, 'role'>, action: OrgAction): boolean {
  return (RULES[action] as readonly Role[]).includes(org.role);
}

export function authorize(org: Pick<OrgContext, 'role'>, action: OrgAction): void {
  if (!can(org, action)) throw new ForbiddenError();
}
