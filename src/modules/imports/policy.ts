import type { Role } from '../../core/db/schema.ts';
import { definePolicy } from '../../core/http/policy.ts';

/** The people who keep the books may load them in bulk; an import writes many records at once. */
const FINANCE = ['owner', 'admin', 'accountant'] as const;

export const RULES = {
  'import.run': {
    roles: FINANCE,
    label: 'import vendors and invoices from CSV files, see imports and their rejected rows',
  },
} as const satisfies Record<string, { roles: readonly Role[]; label: string }>;

export type ImportAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);
