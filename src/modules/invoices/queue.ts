// The approval queue: the list a finance team lives in.
import type { UserActor } from '../../core/audit/audit.ts';
import { z } from 'zod';
import type { Db, Tx } from '../../core/db/pool.ts';
import { CATEGORIES } from './categories.ts';
import { INVOICE_STATUSES } from './statuses.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { isUuid, uuid } from '../../core/schemas.ts';
import { authorize, can } from './policy.ts';
import type { EligibleApprover } from './approval-policy.ts';
import * as q from './queue-queries.ts';
import { approver } from './workflow-queries.ts';

const decimal = z
  .string()
  .trim()
  .regex(/^\d{1,15}(\.\d{1,4})?$/, 'Enter an amount like 1000 or 1000.50.');
/** A real calendar day PostgreSQL accepts as a date (it has no year 0). */
function isRealDay(d: string): boolean {
  const parsed = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d && !d.startsWith('0000');
}
const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-12-31.')
  .refine(isRealDay, 'That date does not exist.');
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const queueQuerySchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum([...INVOICE_STATUSES, 'all']).optional()),
  vendor: z.preprocess(blankToUndefined, uuid().optional()),
  category: z.preprocess(blankToUndefined, z.enum(CATEGORIES).optional()),
  min: z.preprocess(blankToUndefined, decimal.optional()),
  max: z.preprocess(blankToUndefined, decimal.optional()),
  due_from: z.preprocess(blankToUndefined, isoDate.optional()),
  due_to: z.preprocess(blankToUndefined, isoDate.optional()),
  mine: z.preprocess(blankToUndefined, z.literal('1').optional()),
  q: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  sort: z.preprocess(blankToUndefined, z.enum(['due', '-due', 'amount', '-amount', 'created', '-created']).optional()),
  after: z.preprocess(blankToUndefined, z.string().max(200).optional()),
});

export type QueueQuery = z.infer<typeof queueQuerySchema>;

/** Reads the queue's filters; a malformed one is dropped and explained rather than failing the page. */
export function parseQueueQuery(raw: unknown): { query: QueueQuery; problems: string[] } {
  const input = (raw ?? {}) as Record<string, unknown>;
  const query: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(queueQuerySchema.shape)) {
    const r = schema.safeParse(input[key]);
    if (r.success) query[key] = r.data;
    else problems.push(`${key.replace('_', ' ')}: ${r.error.issues[0]?.message ?? 'not understood'}`);
  }
  return { query: query, problems };
}

export const PAGE_SIZE = 50;

function encodeCursor(c: q.Cursor): string {
  return Buffer.from(JSON.stringify([c.value, c.id])).toString('base64url');
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// timestamptz as PostgreSQL prints it: 2026-01-05 10:11:12.123456+00 (or +05:30).
const MOMENT = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?$/;

/** A moment PostgreSQL reads back: a real day, a real time of day, an offset it allows (at most 15:59). */
function isRealMoment(value: string): boolean {
  const m = MOMENT.exec(value);
  if (!m) return false;
  const n = (i: number) => Number(m[i] ?? 0);
  // hour, minute, second; the offset's hours and minutes
  return isRealDay(m[1] ?? '') && n(2) < 24 && n(3) < 60 && n(4) < 60 && n(6) <= 15 && n(7) < 60;
}

/**
 * What a cursor's sort value must be for each sort. The cursor goes back to SQL as a typed value,
 * so anything PostgreSQL would refuse (2026-02-30, an offset of +99:99) is refused here first.
 */
const CURSOR_VALUE: Record<q.QueueSort, (v: string) => boolean> = {
  due: (v) => DAY.test(v) && isRealDay(v),
  '-due': (v) => DAY.test(v) && isRealDay(v),
  amount: (v) => /^\d{1,18}$/.test(v),
  '-amount': (v) => /^\d{1,18}$/.test(v),
  created: isRealMoment,
  '-created': isRealMoment,
};

/** The position a page cursor holds, or null when it is not one the queue made for this sort. */
export function decodeCursor(s: string, sort: q.QueueSort): q.Cursor | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) return null;
  const [value, id] = decoded as unknown[];
  if (typeof value !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
  return CURSOR_VALUE[sort](value) ? { value, id } : null;
}

/**
 * The queue's address as its route reads it: the filters, and a page cursor that must be one
 * the queue made for the sort asked for (a forged or mangled one is refused with 400).
 */
export const queueAddressSchema = queueQuerySchema.check((ctx) => {
  const { after, sort } = ctx.value;
  if (after && !decodeCursor(after, sort ?? 'due'))
    ctx.issues.push({
      code: 'custom',
      path: ['after'],
      input: after,
      message: 'this page link was changed or belongs to another sort order; start again from the first page',
    });
});

/** Who the viewer is as an approver in this org, or null when their role does not approve. */
export async function approverOf(tx: Tx, org: OrgContext, userId: string): Promise<EligibleApprover | null> {
  return can(org, 'invoice.approve') ? approver(tx, org.id, userId) : null;
}

/** The queue's filters as the queries take them (the export of the queue uses the same). */
export function toFilter(query: QueueQuery): q.QueueFilter {
  return {
    status: query.status && query.status !== 'all' ? query.status : undefined,
    vendorId: query.vendor,
    category: query.category,
    minAmount: query.min,
    maxAmount: query.max,
    dueFrom: query.due_from,
    dueTo: query.due_to,
    waitingForMe: query.mine === '1',
    q: query.q,
  };
}

/** The filter of a queue query, with the vendors whose name matches its text search. */
async function resolveFilter(tx: Tx, orgId: string, query: QueueQuery): Promise<q.QueueFilter> {
  const filter = toFilter(query);
  if (filter.q) filter.vendorIdsMatching = await q.vendorsMatching(tx, orgId, filter.q);
  return filter;
}

/** One page of the queue with the counts per status under the same filters. */
export async function approvalQueue(db: Db, actor: UserActor, org: OrgContext, query: QueueQuery) {
  authorize(org, 'invoice.view');
  const sort = query.sort ?? 'due';
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const approver = await approverOf(tx, org, actor.userId);
    const filter = await resolveFilter(tx, org.id, query);
    const rows = await q.queuePage(tx, org.id, filter, {
      sort,
      after: (query.after && decodeCursor(query.after, sort)) || undefined,
      limit: PAGE_SIZE + 1,
      approver,
    });
    const page = await withApprovability(tx, org.id, rows.slice(0, PAGE_SIZE), approver);
    const last = page[page.length - 1];
    return {
      rows: page,
      next: rows.length > PAGE_SIZE && last ? encodeCursor({ value: last.sort_value, id: last.id }) : null,
      counts: await q.statusCounts(tx, org.id, filter, approver),
      vendors: await q.vendorOptions(tx, org.id),
      canApprove: approver !== null,
      canCreate: can(org, 'invoice.create'),
    };
  });
}

/** The queue rows of these invoices as they are now (after an action on them). */
export async function queueRows(db: Db, actor: UserActor, org: OrgContext, ids: string[]) {
  authorize(org, 'invoice.view');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const approver = await approverOf(tx, org, actor.userId);
    return withApprovability(
      tx,
      org.id,
      await q.queuePage(tx, org.id, { ids }, { sort: 'due', limit: ids.length || 1, approver }),
      approver,
    );
  });
}

/** Marks the rows the viewer may approve now (buttons and checkboxes show only there). */
async function withApprovability<R extends { id: string }>(
  tx: Tx,
  orgId: string,
  rows: R[],
  approver: EligibleApprover | null,
): Promise<(R & { can_approve: boolean })[]> {
  const eligible = await q.eligibleAmong(
    tx,
    orgId,
    rows.map((r) => r.id),
    approver,
  );
  return rows.map((r) => ({ ...r, can_approve: eligible.has(r.id) }));
}

export type QueueRow = Awaited<ReturnType<typeof queueRows>>[number];

/**
 * The invoices the queue shows under `query` (sort and cursor aside), in id order after
 * `afterId`, in the caller's org transaction: an export reads them in keyset batches.
 */
export async function invoicesForExport(
  tx: Tx,
  orgId: string,
  query: QueueQuery,
  approver: EligibleApprover | null,
  opts: { afterId?: string; limit: number },
) {
  return q.filteredInvoices(tx, orgId, await resolveFilter(tx, orgId, query), approver, opts);
}

/** How many invoices the queue shows under `query`: the size of its export. */
export async function countForExport(
  tx: Tx,
  orgId: string,
  query: QueueQuery,
  approver: EligibleApprover | null,
): Promise<number> {
  return q.countFiltered(tx, orgId, await resolveFilter(tx, orgId, query), approver);
}
