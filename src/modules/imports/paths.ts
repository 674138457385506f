// The imports module's addresses.
import { orgPath } from '../../core/http/paths.ts';

export const importPaths = {
  list: (slug: string) => orgPath(slug, 'imports'),
  detail: (slug: string, id: string) => orgPath(slug, 'imports', id),
  /** The import's state as a partial (htmx polls it). */
  progress: (slug: string, id: string) => orgPath(slug, 'imports', id, 'progress'),
  rejections: (slug: string, id: string) => orgPath(slug, 'imports', id, 'rejections.csv'),
  action: (slug: string, id: string, verb: 'apply' | 'retry') => orgPath(slug, 'imports', id, verb),
} as const;
