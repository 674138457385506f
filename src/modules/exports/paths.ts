// The exports module's addresses.
import { orgPath, withQuery } from '../../core/http/paths.ts';
import type { ExportKind } from './kinds.ts';

/** The file name each kind's export link ends with. */
const FILE_NAMES: Record<ExportKind, string> = {
  invoices: 'invoices.csv',
  vendors: 'vendors.csv',
  audit_log: 'audit-log.csv',
};

export const exportPaths = {
  list: (slug: string) => orgPath(slug, 'exports'),
  /** A kind's CSV; `filters` are the invoice queue's (see invoices' queueQuerySchema). */
  file: (slug: string, kind: ExportKind, filters: Record<string, string | undefined> = {}) =>
    withQuery(orgPath(slug, 'exports', FILE_NAMES[kind]), filters),
  row: (slug: string, id: string) => orgPath(slug, 'exports', id, 'row'),
  download: (slug: string, id: string) => orgPath(slug, 'exports', id, 'download'),
} as const;
