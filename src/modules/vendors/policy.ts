import type { Role } from '../../core/db/schema.ts';
import { definePolicy } from '../../core/http/policy.ts';

const EVERYONE = ['owner', 'admin', 'approver', 'accountant', 'member', 'viewer'] as const;
const FINANCE = ['owner', 'admin', 'accountant'] as const;

/** Who may see and change vendors. The README's permission table is generated from this. */
export const RULES = {
  'vendor.view': { roles: EVERYONE, label: 'see vendors (payment details masked)' },
  'vendor.manage': { roles: FINANCE, label: 'add, edit and archive vendors' },
} as const satisfies Record<string, { roles: readonly Role[]; label: string }>;

export type VendorAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);
