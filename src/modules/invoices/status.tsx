import type { InvoiceStatus } from './statuses.ts';
import { Badge } from '../../core/views/components.tsx';

export const STATUS_LABELS: Record<InvoiceStatus, string> = {
  draft: 'Draft',
  submitted: 'Awaiting approval',
  approved: 'Approved',
  rejected: 'Rejected',
  scheduled: 'In a payout',
  paid: 'Paid',
};

const TONES = {
  draft: 'neutral',
  submitted: 'amber',
  approved: 'green',
  rejected: 'red',
  scheduled: 'blue',
  paid: 'green',
} as const;

export function StatusBadge({ status }: { status: InvoiceStatus }) {
  return <Badge tone={TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}
