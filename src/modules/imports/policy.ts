import { definePolicy, defineRules, ROLE_GROUPS } from '../../core/http/policy.ts';

const { finance } = ROLE_GROUPS;

export const RULES = defineRules({
  'import.run': {
    roles: finance,
    label: 'import vendors and invoices from CSV files, see imports and their rejected rows',
  },
});

export type ImportAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);
