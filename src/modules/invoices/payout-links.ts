// The invoice side of payouts: an approved invoice is scheduled into a payout, returns to
// approved when its payout is cancelled, and is paid with it. Each move is a workflow
// transition with a history note naming the payout, so an invoice's page tells the story.
import type { Updateable } from 'kysely';
import type { Tx } from '../../core/db/pool.ts';
import type { InvoicesTable } from '../../core/db/schema.ts';
import type { InvoiceStatus } from './statuses.ts';
import { transitionInvoice } from './transitions.ts';

async function referenceOf(tx: Tx, orgId: string, payoutId: string): Promise<string> {
  const p = await tx
    .selectFrom('payouts')
    .select('reference')
    .where('org_id', '=', orgId)
    .where('id', '=', payoutId)
    .executeTakeFirstOrThrow();
  return p.reference;
}

async function invoicesOf(tx: Tx, orgId: string, payoutId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('invoices')
    .select('id')
    .where('org_id', '=', orgId)
    .where('payout_id', '=', payoutId)
    .where('status', '=', 'scheduled')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Moves each invoice approved → scheduled into the payout. Returns the ids that were not
 * approved any more (someone else scheduled them a moment ago): the caller rolls back.
 * Ids are taken in a fixed order so two concurrent payouts cannot deadlock on them.
 */
export async function scheduleInvoices(
  tx: Tx,
  orgId: string,
  payoutId: string,
  invoiceIds: readonly string[],
  actorId: string,
): Promise<string[]> {
  const reference = await referenceOf(tx, orgId, payoutId);
  const missed: string[] = [];
  for (const invoiceId of [...invoiceIds].sort()) {
    const moved = await transitionInvoice(tx, {
      orgId,
      invoiceId,
      from: 'approved',
      to: 'scheduled',
      actorId,
      note: `Added to payout ${reference}`,
      set: { payout_id: payoutId },
    });
    if (!moved) missed.push(invoiceId);
  }
  return missed;
}

/**
 * Moves each invoice the payout holds on from scheduled: back to approved when the payout is
 * cancelled, to paid when it is paid. Returns how many moved.
 */
async function moveScheduled(
  tx: Tx,
  orgId: string,
  payoutId: string,
  actorId: string,
  move: { to: InvoiceStatus; note: (reference: string) => string; set: Updateable<InvoicesTable> },
): Promise<number> {
  const note = move.note(await referenceOf(tx, orgId, payoutId));
  const ids = await invoicesOf(tx, orgId, payoutId);
  for (const invoiceId of ids)
    await transitionInvoice(tx, { orgId, invoiceId, from: 'scheduled', to: move.to, actorId, note, set: move.set });
  return ids.length;
}

/** The payout was cancelled: its invoices go back to approved, free for another payout. */
export function unscheduleInvoices(tx: Tx, orgId: string, payoutId: string, actorId: string): Promise<number> {
  return moveScheduled(tx, orgId, payoutId, actorId, {
    to: 'approved',
    note: (reference) => `Payout ${reference} was cancelled`,
    set: { payout_id: null },
  });
}

/** The payout was paid: so is each of its invoices. */
export function markInvoicesPaid(tx: Tx, orgId: string, payoutId: string, actorId: string): Promise<number> {
  return moveScheduled(tx, orgId, payoutId, actorId, {
    to: 'paid',
    note: (reference) => `Paid with payout ${reference}`,
    set: { paid_at: new Date() },
  });
}
