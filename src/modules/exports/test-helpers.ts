// Test support for exports and reports: CSV parsed back.
import { parse } from 'csv-parse/sync';

/** The rows of a CSV body as objects keyed by its header. */
export function csvRows(body: string): Record<string, string>[] {
  return parse<Record<string, string>>(body, { columns: true });
}
