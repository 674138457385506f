import { definePolicy, defineRules, ROLE_GROUPS } from '../../core/http/policy.ts';

const { approvers, everyone, finance, managers } = ROLE_GROUPS;

/** Who may prepare, approve, export and settle payouts. The README's table is generated from this. */
export const RULES = defineRules({
  'payout.view': { roles: everyone, label: 'see payouts' },
  'payout.create': { roles: finance, label: 'create a payout from approved invoices' },
  'payout.cancel': { roles: finance, label: 'cancel a payout that is not paid' },
  'payout.approve': { roles: approvers, label: 'approve a payout (not one they created)' },
  'payout.export': { roles: finance, label: 'download an approved payout’s payment file' },
  'payout.mark_paid': { roles: finance, label: 'mark an approved payout paid' },
  'payout.bank_account': { roles: managers, label: 'set the organization’s paying bank account' },
});

export type PayoutAction = keyof typeof RULES;

/** What the record rules read of a payout. */
type PayoutRecord = { created_by: string | null };

/** Segregation of duties: who prepared a payout never approves it (the database refuses it too). */
export const { can, authorize, authorizeRecord, rightsFor } = definePolicy<typeof RULES, PayoutRecord>(RULES, {
  'payout.approve': (actor, p) =>
    p.created_by === actor.userId ? 'You created this payout, so someone else has to approve it.' : null,
});
