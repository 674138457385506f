import type { Role } from '../../core/roles.ts';
import { definePolicy, ROLE_GROUPS } from '../../core/http/policy.ts';

const { finance } = ROLE_GROUPS;

export const RULES = {
  'import.run': {
    roles: finance,
    label: 'import vendors and invoices from CSV files, see imports and their rejected rows',
  },
} as const satisfies Record<string, { roles: readonly Role[]; label: string }>;

export type ImportAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);
