// What a payout's status looks like wherever it is shown.
import type { PayoutStatus } from './statuses.ts';
import { Badge } from '../../core/views/components.tsx';

const TONE: Record<PayoutStatus, 'amber' | 'blue' | 'green' | 'neutral'> = {
  pending: 'amber',
  approved: 'blue',
  paid: 'green',
  cancelled: 'neutral',
};

export function PayoutStatusBadge({ status }: { status: PayoutStatus }) {
  return <Badge tone={TONE[status]}>{status}</Badge>;
}
