// Test support: vendors and invoices in any state, written straight into the database with
// the owner connection (through the workflow's legal transitions, so the triggers agree).
import { randomBytes } from 'node:crypto';
import type { Db } from '../../core/db/pool.ts';
import type { Category, InvoiceStatus } from '../../core/db/schema.ts';

export async function makeVendor(
  owner: Db,
  orgId: string,
  over: { name?: string; currency?: string; iban?: string } = {},
) {
  return owner
    .insertInto('vendors')
    .values({
      org_id: orgId,
      name: over.name ?? `Vendor ${randomBytes(3).toString('hex')}`,
      tax_id: `DE${randomBytes(5).toString('hex').toUpperCase()}`,
      iban: over.iban ?? 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      default_currency: over.currency ?? 'EUR',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

const PATH: Record<InvoiceStatus, InvoiceStatus[]> = {
  draft: [],
  submitted: ['submitted'],
  approved: ['submitted', 'approved'],
  rejected: ['submitted', 'rejected'],
  scheduled: ['submitted', 'approved', 'scheduled'],
  paid: ['submitted', 'approved', 'scheduled', 'paid'],
};

/**
 * An invoice in `status`. `submittedBy` defaults to `createdBy`. A scheduled or paid invoice
 * needs `payoutId`.
 */
export async function makeInvoice(
  owner: Db,
  orgId: string,
  vendorId: string,
  over: {
    status?: InvoiceStatus;
    amountMinor?: number | bigint;
    currency?: string;
    number?: string;
    createdBy?: string | null;
    submittedBy?: string | null;
    dueDate?: string;
    issueDate?: string;
    category?: Category;
    description?: string;
    approvalsRequired?: number;
    payoutId?: string;
  } = {},
) {
  const inv = await owner
    .insertInto('invoices')
    .values({
      org_id: orgId,
      vendor_id: vendorId,
      number: over.number ?? `INV-${randomBytes(4).toString('hex').toUpperCase()}`,
      issue_date: over.issueDate ?? '2026-11-01',
      due_date: over.dueDate ?? '2026-12-01',
      amount_minor: String(over.amountMinor ?? 12_500),
      currency: over.currency ?? 'EUR',
      description: over.description ?? 'Test invoice',
      category: over.category ?? 'software',
      created_by: over.createdBy ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const step of PATH[over.status ?? 'draft']) {
    await owner
      .updateTable('invoices')
      .set({
        status: step,
        ...(step === 'submitted'
          ? {
              submitted_at: new Date(),
              submitted_by: over.submittedBy ?? over.createdBy ?? null,
              approvals_required: over.approvalsRequired ?? 1,
            }
          : {}),
        ...(step === 'approved' || step === 'rejected' ? { decided_at: new Date() } : {}),
        ...(step === 'rejected' ? { rejection_reason: 'Test rejection' } : {}),
        ...(step === 'scheduled' ? { payout_id: over.payoutId ?? null } : {}),
        ...(step === 'paid' ? { paid_at: new Date() } : {}),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', inv.id)
      .execute();
  }
  return owner
    .selectFrom('invoices')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', inv.id)
    .executeTakeFirstOrThrow();
}
