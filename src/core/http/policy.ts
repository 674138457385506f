import type { Role } from '../db/schema.ts';
import { ForbiddenError } from './errors.ts';
import type { OrgContext } from './types.ts';

/** A module's rules: which roles may do each action, and how the README's table says it. */
export type PolicyRules = Record<string, { roles: readonly Role[]; label: string }>;

/**
 * The `can` / `authorize` pair of a module's policy.ts. `authorize` throws ForbiddenError, so a
 * service states the rule in one line; record rules (own submission, limits) stay beside it.
 */
export function definePolicy<R extends PolicyRules>(rules: R) {
  const can = (org: Pick<OrgContext, 'role'>, action: keyof R & string): boolean =>
    rules[action]!.roles.includes(org.role);
  const authorize = (org: Pick<OrgContext, 'role'>, action: keyof R & string): void => {
    if (!can(org, action)) throw new ForbiddenError();
  };
  return { can, authorize };
}
