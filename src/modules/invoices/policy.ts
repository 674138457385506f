import { definePolicy, defineRules, ROLE_GROUPS } from '../../core/http/policy.ts';
import { INVOICE_RECORD_RULES, type InvoiceRecord } from './record-rules.ts';

const { approvers, contributors, everyone } = ROLE_GROUPS;

/**
 * What each role may do with invoices. Record rules (record-rules.ts: nobody approves what they
 * created or submitted, approval limits; only drafts change, only by their creator or an owner
 * or admin) are the policy's `when`, tested again by the workflow services and, where they can
 * be, by the database (migrations 0003 and 0014).
 */
export const RULES = defineRules({
  'invoice.view': { roles: everyone, label: 'see invoices, their history and attachments' },
  'invoice.create': { roles: contributors, label: 'create draft invoices, submit them' },
  'invoice.edit': { roles: contributors, label: 'edit a draft invoice (their own; owners and admins: anyone’s)' },
  'invoice.withdraw': { roles: contributors, label: 'withdraw an invoice they submitted' },
  'invoice.approve': {
    roles: approvers,
    label: 'approve invoices (not ones they created or submitted; within their limit)',
  },
  'invoice.reject': { roles: approvers, label: 'reject invoices (not their own)' },
  'invoice.comment': { roles: contributors, label: 'comment on invoices' },
});

export type InvoiceAction = keyof typeof RULES;

export const { can, authorize, rightsFor } = definePolicy<typeof RULES, InvoiceRecord>(RULES, INVOICE_RECORD_RULES);
