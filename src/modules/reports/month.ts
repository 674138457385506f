import { formatMonth } from '../../core/views/components.tsx';
// Months as the reports name them: 'YYYY-MM' in URLs and forms, the first day ('YYYY-MM-01') in the database.
import { z } from 'zod';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month as URLs and forms name it, '2026-10', read as its first day '2026-10-01'. */
export const monthSchema = z
  .string('Choose a month, like 2026-10.')
  .regex(MONTH, 'Choose a month, like 2026-10.')
  .transform((v) => `${v}-01`);

/** '2026-10-01' → '2026-10'. */
export function monthKey(firstDay: string): string {
  return firstDay.slice(0, 7);
}

export function monthLabel(firstDay: string): string {
  return formatMonth(firstDay, 'long');
}

/** The first day of the month before the one `now` is in (UTC): what the schedule reports on. */
export function previousMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
}

export const firstDaySchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, 'a month is its first day, YYYY-MM-01');
