// Whether a vendor is offered for new invoices, as people read it.
import type { StatusKind } from '../../core/views/status-badge.tsx';

export const VENDOR_STATUS: StatusKind<'active' | 'archived'> = {
  active: { label: 'Active', tone: 'green' },
  archived: { label: 'Archived', tone: 'neutral' },
};
