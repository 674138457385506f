// A list page's query string, as a zod schema built from its declaration: sort, search, each
// filter and the cursor. A bad value answers 400 naming the parameter (routes.ts); a cursor that
// was edited, belongs to another sort or holds values of the wrong type is refused the same way,
// before any SQL runs.
import { isIP } from 'node:net';
import { z } from 'zod';
import type { FilterDecl, ListParams, SortDecl, TextFilter, ValueType } from './list-types.ts';

const CURSOR_BROKEN = 'This page link is broken or out of date. Start again from the first page.';

/** The shape each value type must have in a cursor, so a forged one never reaches PostgreSQL as a bad cast. */
const VALUE_OK: Record<ValueType, (v: string) => boolean> = {
  timestamp: (v) => /^(19|2\d)\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(v) && sameDay(v),
  date: (v) => /^(19|2\d)\d\d-\d\d-\d\d$/.test(v) && sameDay(v),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
  bigint: (v) => /^\d{1,18}$/.test(v),
  text: (v) => v.length <= 500,
};

/** A real calendar day: 2026-02-30 would roll over to March. */
function sameDay(v: string): boolean {
  const d = new Date(`${v.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v.slice(0, 10);
}

export function encodeCursor(sort: string, values: readonly string[]): string {
  return Buffer.from(JSON.stringify({ s: sort, v: values })).toString('base64url');
}

const cursorShape = z.object({ s: z.string(), v: z.array(z.string()) });

/** The values of a cursor for `sort`, or null when it is not one this list could have written. */
function decodeCursor(raw: string, sort: string, types: readonly ValueType[]): string[] | null {
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = cursorShape.safeParse(json);
  if (!parsed.success || parsed.data.s !== sort || parsed.data.v.length !== types.length) return null;
  const values = parsed.data.v;
  return values.every((v, i) => VALUE_OK[types[i] as ValueType](v)) ? values : null;
}

/** An empty form field (a select left on "Any") means no filter. */
const blankAsMissing = (v: unknown) => (v === '' ? undefined : v);

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-03-31.')
  .refine((v) => VALUE_OK.date(v), 'That is not a date on the calendar.');

function filterFields(filter: FilterDecl): Record<string, z.ZodType> {
  switch (filter.kind) {
    case 'choice': {
      const values = filter.options.map((o) => o.value) as [string, ...string[]];
      return {
        [filter.name]: z.preprocess(blankAsMissing, z.enum(values, `Choose one of: ${values.join(', ')}.`).optional()),
      };
    }
    case 'org':
      return {
        org: z.preprocess(
          blankAsMissing,
          z
            .string()
            .trim()
            .toLowerCase()
            .regex(/^[a-z0-9-]{1,48}$/, 'An organization is named by its address (letters, digits, dashes).')
            .optional(),
        ),
      };
    case 'dates':
      return {
        [`${filter.name}_from`]: z.preprocess(blankAsMissing, day.optional()),
        [`${filter.name}_to`]: z.preprocess(blankAsMissing, day.optional()),
      };
    case 'text':
      return { [filter.name]: z.preprocess(trimmedBlankAsMissing, TEXT_VALUE[filter.match].optional()) };
  }
}

const trimmedBlankAsMissing = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const text = z.string().trim().max(200, 'Enter at most 200 characters.');

/** What a text filter's value must be for its match, so a bad one answers 400 before any SQL runs. */
const TEXT_VALUE: Record<TextFilter['match'], z.ZodType<string>> = {
  exact: text,
  prefix: text,
  'exact-or-prefix': text,
  person: text,
  uuid: z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => VALUE_OK.uuid(v), 'Use the record’s id, like 0b5e3c1a-7d2f-4c1e-9a8b-2f6d4e1c3b5a.'),
  inet: z
    .string()
    .trim()
    .refine((v) => isIP(v) !== 0, 'Use an IP address, like 203.0.113.7 or 2001:db8::1.'),
};

/** A dates filter whose range ends before it starts is refused, naming its end. */
function checkRanges(filters: readonly FilterDecl[], values: Readonly<Record<string, string>>, ctx: z.RefinementCtx) {
  for (const f of filters) {
    const from = values[`${f.name}_from`];
    const to = values[`${f.name}_to`];
    if (f.kind === 'dates' && from && to && from > to)
      ctx.addIssue({ code: 'custom', path: [`${f.name}_to`], message: 'The range ends before it starts.' });
  }
}

/**
 * The query fields of some filters alone, as a page outside the back-office reads them (an org's
 * Activity): the values by parameter name, the empty ones left out. Pair it with filterWhere.
 */
export function filterValuesSchema(filters: readonly FilterDecl[]) {
  const fields = Object.fromEntries(filters.flatMap((f) => Object.entries(filterFields(f))));
  return z.object(fields).transform((input, ctx) => {
    const values = Object.fromEntries(
      Object.entries(input as Record<string, string | undefined>).filter((e): e is [string, string] => !!e[1]),
    );
    checkRanges(filters, values, ctx);
    return values;
  });
}

export function listQuerySchema(decl: {
  sorts: Readonly<Record<string, SortDecl>>;
  key: readonly { type: ValueType }[];
  filters: readonly FilterDecl[];
  search: boolean;
}): z.ZodType<ListParams> {
  const sortNames = Object.keys(decl.sorts) as [string, ...string[]];
  const fields = Object.fromEntries(decl.filters.flatMap((f) => Object.entries(filterFields(f))));
  return z
    .object({
      ...fields,
      sort: z.preprocess(blankAsMissing, z.enum(sortNames, `Sort by one of: ${sortNames.join(', ')}.`).optional()),
      ...(decl.search && { q: z.string().trim().max(200, 'Search for at most 200 characters.').optional() }),
      after: z.string().max(2000, CURSOR_BROKEN).optional(),
    })
    .transform((input, ctx): ListParams => {
      const { sort: chosen, q, after, ...rest } = input as Record<string, string | undefined>;
      const sort = chosen ?? sortNames[0];
      const filters = Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => !!e[1]));
      checkRanges(decl.filters, filters, ctx);
      const base = { sort, filters, ...(q && { q }) };
      if (!after) return base;
      const types = [(decl.sorts[sort] as SortDecl).type, ...decl.key.map((k) => k.type)];
      const values = decodeCursor(after, sort, types);
      if (!values) {
        ctx.addIssue({ code: 'custom', path: ['after'], message: CURSOR_BROKEN });
        return z.NEVER;
      }
      return { ...base, after: values };
    });
}
