// What an invoice's status says to a person, wherever it is shown (queue tabs and rows, the invoice page, vendors).
import type { InvoiceStatus } from './statuses.ts';
import type { StatusKind } from '../../core/views/status-badge.tsx';

export const INVOICE_STATUS: StatusKind<InvoiceStatus> = {
  draft: { label: 'Draft', tone: 'neutral' },
  submitted: { label: 'Awaiting approval', tone: 'amber' },
  approved: { label: 'Approved', tone: 'green' },
  rejected: { label: 'Rejected', tone: 'red' },
  scheduled: { label: 'In a payout', tone: 'blue' },
  paid: { label: 'Paid', tone: 'green' },
};

/** The result of one invoice of a bulk approval. */
export const BULK_RESULT: StatusKind<'approved' | 'refused'> = {
  approved: { label: 'Done', tone: 'green' },
  refused: { label: 'Not approved', tone: 'red' },
};
