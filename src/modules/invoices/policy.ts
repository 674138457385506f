import type { Role } from '../../core/db/schema.ts';
import { definePolicy } from '../../core/http/policy.ts';

const EVERYONE = ['owner', 'admin', 'approver', 'accountant', 'member', 'viewer'] as const;
const CONTRIBUTORS = ['owner', 'admin', 'approver', 'accountant', 'member'] as const;
const APPROVERS = ['owner', 'admin', 'approver'] as const;

/**
 * What each role may do with invoices. Record rules (nobody approves what they submitted,
 * approval limits, two approvals at the threshold) are checked in the workflow service and,
 * where they can be, by the database.
 */
export const RULES = {
  'invoice.view': { roles: EVERYONE, label: 'see invoices, their history and attachments' },
  'invoice.create': { roles: CONTRIBUTORS, label: 'create and edit draft invoices, submit them' },
  'invoice.withdraw': { roles: CONTRIBUTORS, label: 'withdraw an invoice they submitted' },
  'invoice.approve': { roles: APPROVERS, label: 'approve or reject invoices (not their own; within their limit)' },
  'invoice.comment': { roles: CONTRIBUTORS, label: 'comment on invoices' },
} as const satisfies Record<string, { roles: readonly Role[]; label: string }>;

export type InvoiceAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);
