import { definePolicy, defineRules, ROLE_GROUPS } from '../../core/http/policy.ts';

const { everyone, finance } = ROLE_GROUPS;

/** Who may see and change vendors. The README's permission table is generated from this. */
export const RULES = defineRules({
  'vendor.view': { roles: everyone, label: 'see vendors (payment details masked)' },
  'vendor.manage': { roles: finance, label: 'add, edit and archive vendors' },
});

export type VendorAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);
