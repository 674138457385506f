// What each kind of export contains: its CSV header, how many rows it will have, and its rows
// read one keyset batch at a time (each batch its own short transaction in the org).
import { z } from 'zod';
import type { CsvCell } from '../../core/csv.ts';
import type { Tx } from '../../core/db/pool.ts';
import type { ExportKind } from './kinds.ts';
import { toDecimalString } from '../../core/money.ts';
import {
  approverOf,
  countForExport,
  invoicesForExport,
  queueQuerySchema,
  type QueueQuery,
} from '../invoices/service.ts';
import { vendorCount, vendorsForExport } from '../vendors/service.ts';
import { UnreadableFiltersError, type ExportFilters } from './filters.ts';
import * as q from './queries.ts';

export type Batch = { rows: CsvCell[][]; last: string | undefined };

export type ExportSource = {
  filename: string;
  header: readonly string[];
  count: (tx: Tx, orgId: string, filters: ExportFilters, userId: string | null) => Promise<number>;
  batch: (
    tx: Tx,
    orgId: string,
    filters: ExportFilters,
    userId: string | null,
    opts: { afterId?: string; limit: number },
  ) => Promise<Batch>;
};

/** A batch of rows read in id order: their cells, and the id the next batch starts after. */
function batchOf<R extends { id: string }>(rows: R[], cells: (r: R) => CsvCell[]): Batch {
  return { last: rows.at(-1)?.id, rows: rows.map(cells) };
}

/**
 * The invoice export's filters are the approval queue's, stored as its query string was parsed.
 * Stored ones the queue no longer reads are an error: dropping one would export more invoices.
 */
function invoiceFilters(filters: ExportFilters): QueueQuery {
  const r = queueQuerySchema.safeParse(filters);
  if (!r.success) throw new UnreadableFiltersError(z.prettifyError(r.error).replace(/\n/g, ' '));
  return r.data;
}

/** "Waiting for me" depends on who asked: the creator of the export, with their role and limit. */
const approverFor = (tx: Tx, orgId: string, userId: string | null) =>
  userId ? approverOf(tx, orgId, userId) : Promise.resolve(null);

const invoices: ExportSource = {
  filename: 'invoices',
  header: [
    'id',
    'number',
    'vendor',
    'vendor_tax_id',
    'status',
    'issue_date',
    'due_date',
    'amount',
    'currency',
    'category',
    'description',
    'approvals_required',
    'submitted_at',
    'decided_at',
    'paid_at',
    'created_at',
  ],
  count: async (tx, orgId, filters, userId) =>
    countForExport(tx, orgId, invoiceFilters(filters), await approverFor(tx, orgId, userId)),
  batch: async (tx, orgId, filters, userId, opts) => {
    const rows = await invoicesForExport(
      tx,
      orgId,
      invoiceFilters(filters),
      await approverFor(tx, orgId, userId),
      opts,
    );
    return batchOf(rows, (r) => [
      r.id,
      r.number,
      r.vendor_name,
      r.vendor_tax_id,
      r.status,
      r.issue_date,
      r.due_date,
      toDecimalString(r.amount_minor, r.minor_units),
      r.currency,
      r.category,
      r.description,
      r.approvals_required,
      r.submitted_at,
      r.decided_at,
      r.paid_at,
      r.created_at,
    ]);
  },
};

const vendors: ExportSource = {
  filename: 'vendors',
  header: ['id', 'name', 'tax_id', 'payment_details', 'bic', 'default_currency', 'email', 'archived_at', 'created_at'],
  count: (tx, orgId) => vendorCount(tx, orgId),
  batch: async (tx, orgId, _filters, _userId, opts) => {
    const rows = await vendorsForExport(tx, orgId, opts);
    return batchOf(rows, (v) => [
      v.id,
      v.name,
      v.tax_id,
      v.payment,
      v.bic,
      v.default_currency,
      v.email,
      v.archived_at,
      v.created_at,
    ]);
  },
};

const auditLog: ExportSource = {
  filename: 'audit-log',
  header: [
    'id',
    'at',
    'actor_name',
    'actor_email',
    'impersonator_email',
    'action',
    'target_type',
    'target_id',
    'changes',
    'request_id',
    'ip',
  ],
  count: (tx, orgId) => q.auditCount(tx, orgId),
  batch: async (tx, orgId, _filters, _userId, opts) => {
    const rows = await q.auditBatch(tx, orgId, opts);
    return batchOf(rows, (a) => [
      a.id,
      a.created_at,
      a.actor_name,
      a.actor_email,
      a.impersonator_email,
      a.action,
      a.target_type,
      a.target_id,
      JSON.stringify(a.changes),
      a.request_id,
      a.ip,
    ]);
  },
};

export const SOURCES: Record<ExportKind, ExportSource> = { invoices, vendors, audit_log: auditLog };
