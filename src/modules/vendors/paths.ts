// The vendors module's addresses.
import { orgPath, withQuery } from '../../core/http/paths.ts';

export const vendorPaths = {
  list: (slug: string, filter: { q?: string; archived?: boolean } = {}) =>
    withQuery(orgPath(slug, 'vendors'), { q: filter.q, archived: filter.archived ? '1' : undefined }),
  new: (slug: string) => orgPath(slug, 'vendors', 'new'),
  detail: (slug: string, id: string) => orgPath(slug, 'vendors', id),
  action: (slug: string, id: string, verb: 'edit' | 'archive' | 'unarchive') => orgPath(slug, 'vendors', id, verb),
} as const;
