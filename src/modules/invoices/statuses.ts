import type { Selectable } from 'kysely';
import type { Invoices } from '../../core/db/generated.ts';
import { valuesOf } from '../../core/db/values.ts';

export type InvoiceStatus = Selectable<Invoices>['status'];
/** In workflow order: the queue's tabs and filters. */
export const INVOICE_STATUSES = valuesOf<InvoiceStatus>()([
  'draft',
  'submitted',
  'approved',
  'rejected',
  'scheduled',
  'paid',
]);
