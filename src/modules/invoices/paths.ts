// The invoices module's addresses.
import { orgPath, withQuery } from '../../core/http/paths.ts';

type Verb = 'edit' | 'attachment' | 'submit' | 'withdraw' | 'approve' | 'reject' | 'comments';

export const invoicePaths = {
  /** The queue; `query` is its filters (see queueUrl in queue-views.tsx). */
  list: (slug: string, query: Record<string, string | undefined> = {}) => withQuery(orgPath(slug, 'invoices'), query),
  new: (slug: string, vendorId?: string) => withQuery(orgPath(slug, 'invoices', 'new'), { vendor: vendorId }),
  detail: (slug: string, id: string) => orgPath(slug, 'invoices', id),
  action: (slug: string, id: string, verb: Verb) => orgPath(slug, 'invoices', id, verb),
  /** The queue row's own actions, answered with the row (htmx). */
  row: (slug: string, id: string, verb: 'approve' | 'reject') => orgPath(slug, 'invoices', id, 'row', verb),
  bulkApprove: (slug: string) => orgPath(slug, 'invoices', 'bulk-approve'),
} as const;
