import type { Role } from '../../core/db/schema.ts';
import { ForbiddenError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';

/** The people who keep the books may load them in bulk; an import writes many records at once. */
const FINANCE = ['owner', 'admin', 'accountant'] as const;

export const RULES = {
  'import.run': { roles: FINANCE, label: 'import vendors and invoices from CSV files, see imports and their rejected rows' },
} as const satisfies Record<string, { roles: readonly Role[]; label: string }>;

export type ImportAction = keyof typeof RULES;

export function can(org: Pick<OrgContext, 'role'>, action: ImportAction): boolean {
  return (RULES[action].roles as readonly Role[]).includes(org.role);
}

export function authorize(org: Pick<OrgContext, 'role'>, action: ImportAction): void {
  if (!can(org, action)) throw new ForbiddenError();
}
