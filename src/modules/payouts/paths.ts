// The payouts module's addresses.
import { orgPath, withQuery } from '../../core/http/paths.ts';

export const payoutPaths = {
  list: (slug: string) => orgPath(slug, 'payouts'),
  /** The payouts page's paying-account form. */
  payingAccount: (slug: string) => `${orgPath(slug, 'payouts')}#paying-account`,
  bankAccount: (slug: string) => orgPath(slug, 'payouts', 'bank-account'),
  new: (slug: string, currency?: string) => withQuery(orgPath(slug, 'payouts', 'new'), { currency }),
  detail: (slug: string, id: string) => orgPath(slug, 'payouts', id),
  action: (slug: string, id: string, verb: 'approve' | 'paid' | 'cancel') => orgPath(slug, 'payouts', id, verb),
  paymentFile: (slug: string, id: string, format: 'csv' | 'xml') => orgPath(slug, 'payouts', id, `payment.${format}`),
} as const;
