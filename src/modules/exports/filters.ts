// exports.filters: what an export was asked for, stored with it so that a file built later by a
// task applies exactly the filters the person chose (and the exports page can say which).
import { z } from 'zod';
import type { JsonValue } from '../../core/db/generated.ts';

/** A JSON object ({} for the kinds that take no filters); each source reads its keys with its own schema. */
export const exportFilters = z.record(z.string(), z.unknown());
export type ExportFilters = z.infer<typeof exportFilters>;

/**
 * Stored filters this version cannot read. Building the export anyway would take more (or other)
 * rows than were asked for, so the build fails with this message, which the exports page shows.
 */
export class UnreadableFiltersError extends Error {
  override name = 'UnreadableFiltersError';
  constructor(detail: string) {
    super(`This export's stored filters cannot be read (${detail}). Export the data again from its page.`);
  }
}

/** The stored filters, or null when the row holds something else: a listing then shows no summary. */
export function readExportFilters(stored: JsonValue): ExportFilters | null {
  const r = exportFilters.safeParse(stored);
  return r.success ? r.data : null;
}

/** As a build needs them: unreadable filters are an error, never "no filters". */
export function filtersToApply(filters: ExportFilters | null): ExportFilters {
  if (!filters) throw new UnreadableFiltersError('not a JSON object');
  return filters;
}
