import { definePolicy, defineRules, ROLE_GROUPS } from '../../core/http/policy.ts';

const { everyone, managers } = ROLE_GROUPS;

/**
 * The monthly report sums invoices everyone in the org can already see one by one, so every
 * role reads it (viewers included: reading is what they are for). Rebuilding it starts
 * background work for the whole org, so only the people who run the org do that.
 */
export const RULES = defineRules({
  'report.view': { roles: everyone, label: 'see and download the monthly reports' },
  'report.rebuild': { roles: managers, label: 'rebuild a monthly report' },
});

export type ReportAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);
