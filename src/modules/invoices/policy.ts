import { definePolicy, defineRules, ROLE_GROUPS } from '../../core/http/policy.ts';

const { approvers, contributors, everyone } = ROLE_GROUPS;

/**
 * What each role may do with invoices. Record rules (nobody approves what they submitted,
 * approval limits, two approvals at the threshold) are checked in the workflow service and,
 * where they can be, by the database.
 */
export const RULES = defineRules({
  'invoice.view': { roles: everyone, label: 'see invoices, their history and attachments' },
  'invoice.create': { roles: contributors, label: 'create and edit draft invoices, submit them' },
  'invoice.withdraw': { roles: contributors, label: 'withdraw an invoice they submitted' },
  'invoice.approve': { roles: approvers, label: 'approve or reject invoices (not their own; within their limit)' },
  'invoice.comment': { roles: contributors, label: 'comment on invoices' },
});

export type InvoiceAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);
