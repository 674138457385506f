// What a payout's status says to a person, wherever it is shown.
import type { PayoutStatus } from './statuses.ts';
import type { StatusKind } from '../../core/views/status-badge.tsx';

export const PAYOUT_STATUS: StatusKind<PayoutStatus> = {
  pending: { label: 'Awaiting approval', tone: 'amber' },
  approved: { label: 'Approved', tone: 'blue' },
  paid: { label: 'Paid', tone: 'green' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};
