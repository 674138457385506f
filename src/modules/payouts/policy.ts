import type { Role } from '../../core/db/schema.ts';
import { definePolicy } from '../../core/http/policy.ts';

const EVERYONE = ['owner', 'admin', 'approver', 'accountant', 'member', 'viewer'] as const;
const FINANCE = ['owner', 'admin', 'accountant'] as const;
const APPROVERS = ['owner', 'admin', 'approver'] as const;

/** Who may prepare, approve, export and settle payouts. The README's table is generated from this. */
export const RULES = {
  'payout.view': { roles: EVERYONE, label: 'see payouts' },
  'payout.create': { roles: FINANCE, label: 'create a payout from approved invoices, cancel it' },
  'payout.approve': { roles: APPROVERS, label: 'approve a payout (not one they created)' },
  'payout.export': { roles: FINANCE, label: 'download an approved payout’s payment file' },
  'payout.mark_paid': { roles: FINANCE, label: 'mark an approved payout paid' },
  'payout.bank_account': { roles: ['owner', 'admin'], label: 'set the organization’s paying bank account' },
} as const satisfies Record<string, { roles: readonly Role[]; label: string }>;

export type PayoutAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);
