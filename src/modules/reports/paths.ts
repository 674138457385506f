// The reports module's addresses; a month is its 'YYYY-MM' key (month.ts).
import { orgPath } from '../../core/http/paths.ts';

export const reportPaths = {
  list: (slug: string) => orgPath(slug, 'reports'),
  month: (slug: string, month: string) => orgPath(slug, 'reports', month),
  csv: (slug: string, month: string) => orgPath(slug, 'reports', month, 'csv'),
  rebuild: (slug: string) => orgPath(slug, 'reports', 'rebuild'),
} as const;
