import type { Tx } from '../db/pool.ts';
import type { Role } from '../roles.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { OrgContext } from './types.ts';

/** The role groups every policy speaks in (one meaning each). */
export const ROLE_GROUPS = {
  everyone: ['owner', 'admin', 'approver', 'accountant', 'member', 'viewer'],
  /** Everyone who works on invoices: all but viewers. */
  contributors: ['owner', 'admin', 'approver', 'accountant', 'member'],
  /** Who approves invoices and payouts. */
  approvers: ['owner', 'admin', 'approver'],
  /** Who prepares and settles payments: vendors, payouts, imports. */
  finance: ['owner', 'admin', 'accountant'],
  /** Who reads the money in bulk: finance and approvers (exports). */
  financeReaders: ['owner', 'admin', 'approver', 'accountant'],
  /** Who runs the organization: members, settings, activity. */
  managers: ['owner', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

/** A module's rules: which roles may do each action, and how the README's table says it. */
export type PolicyRules = Record<string, { roles: readonly Role[]; label: string }>;

/** Declares a module's rules: each one checked, each action name kept as a literal for `can`. */
export function defineRules<const R extends PolicyRules>(rules: R): R {
  return rules;
}

/** Who asks: the org membership (role) and the person. */
export type PolicyActor = { org: Pick<OrgContext, 'role'>; userId: string };

/**
 * A record rule: why this actor may not do the action to this record (a sentence the page can
 * show), or null when they may. Shared by the service (authorize) and the page (rightsFor).
 */
export type RecordRule<T> = (actor: PolicyActor, record: T) => string | null;

/** For each action: allowed, or the reason it is not (absent when the role alone refuses). */
export type Rights<A extends string> = Record<A, { allowed: boolean; reason?: string }>;

/**
 * The `can` / `authorize` pair of a module's policy.ts. `authorize` throws ForbiddenError, so a
 * service states the rule in one line. Record rules (`when`) give the reason an allowed role
 * still may not act on one record; `rightsFor` answers every action at once for a page.
 */
export function definePolicy<R extends PolicyRules, T = never>(
  rules: R,
  when: { [A in keyof R]?: RecordRule<T> } = {},
) {
  type Action = keyof R & string;
  const can = (org: Pick<OrgContext, 'role'>, action: Action): boolean => rules[action]!.roles.includes(org.role);
  const authorize = (org: Pick<OrgContext, 'role'>, action: Action): void => {
    if (!can(org, action)) throw new ForbiddenError();
  };
  /** As authorize, with the record rule: throws ForbiddenError with the rule's reason. */
  const authorizeRecord = (actor: PolicyActor, action: Action, record: T): void => {
    if (!can(actor.org, action)) throw new ForbiddenError();
    const reason = when[action]?.(actor, record);
    if (reason) throw new ForbiddenError(reason);
  };
  const rightsFor = (actor: PolicyActor, record: T): Rights<Action> => {
    const out = {} as Rights<Action>;
    for (const action of Object.keys(rules) as Action[]) {
      if (!can(actor.org, action)) out[action] = { allowed: false };
      else {
        const reason = when[action]?.(actor, record) ?? undefined;
        out[action] = reason ? { allowed: false, reason } : { allowed: true };
      }
    }
    return out;
  };
  return { can, authorize, authorizeRecord, rightsFor };
}

/**
 * The org as the actor stands in it now: their role read again inside the change's transaction,
 * so a request that began before they were demoted (or removed) cannot act with the role the
 * request started with. A service authorizes its change against this, not the request's org.
 */
export async function currentOrg<O extends Pick<OrgContext, 'id' | 'role'>>(
  tx: Tx,
  org: O,
  actor: { userId: string },
): Promise<O> {
  const me = await tx
    .selectFrom('memberships')
    .select('role')
    .where('org_id', '=', org.id)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  if (!me) throw new NotFoundError();
  return { ...org, role: me.role };
}
