import { sql, type Updateable } from 'kysely';
import type { Tx } from '../../core/db/pool.ts';
import type { InvoicesTable } from '../../core/db/schema.ts';
import type { InvoiceStatus } from './statuses.ts';

/**
 * Moves one invoice from the state the caller saw to the next one, as a conditional update:
 * when someone else moved it first, nothing changes and null is returned (the caller tells
 * the person). The database refuses transitions that are not in invoice_transitions. The
 * status history row is written in the same transaction; its id names the event (notifications).
 */
export async function transitionInvoice(
  tx: Tx,
  t: {
    orgId: string;
    invoiceId: string;
    from: InvoiceStatus;
    to: InvoiceStatus;
    actorId: string | null;
    note?: string | null;
    set?: Updateable<InvoicesTable>;
  },
): Promise<{ id: string; historyId: string } | null> {
  const moved = await tx
    .updateTable('invoices')
    .set({ ...t.set, status: t.to, updated_at: sql<Date>`now()` })
    .where('org_id', '=', t.orgId)
    .where('id', '=', t.invoiceId)
    .where('status', '=', t.from)
    .returning('id')
    .executeTakeFirst();
  if (!moved) return null;
  const history = await tx
    .insertInto('invoice_status_history')
    .values({
      org_id: t.orgId,
      invoice_id: t.invoiceId,
      from_status: t.from,
      to_status: t.to,
      actor_id: t.actorId,
      note: t.note ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: moved.id, historyId: history.id };
}
