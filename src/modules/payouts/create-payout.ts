// Creating a payout: approved invoices of one currency, batched and scheduled all or nothing.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { currentOrg } from '../../core/http/policy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { compareFaceValue } from '../../core/money.ts';
import { uuid } from '../../core/schemas.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { scheduleInvoices } from '../invoices/service.ts';
import { notifyPayoutApprovers } from './notices.ts';
import { authorize } from './policy.ts';
import * as q from './queries.ts';
import { PAYOUT_AUDIT } from './audit.ts';

export const newPayoutSchema = z.object({
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Choose a currency.'),
  invoice: z.preprocess(
    (v): unknown[] => (v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
    z
      .array(uuid('Choose invoices from the list.'))
      .min(1, 'Choose at least one invoice.')
      .max(1000, 'A payout holds at most 1,000 invoices.'),
  ),
});
export type NewPayoutInput = z.infer<typeof newPayoutSchema>;

/** The new-payout page: the currencies with invoices waiting, and those of the chosen one. */
export async function payoutCandidates(db: Db, actor: UserActor, org: OrgContext, currency: string | undefined) {
  authorize(org, 'payout.create');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const waiting = await q.approvedUnscheduledTotals(tx, org.id);
    const chosen = waiting.find((w) => w.currency === currency) ?? waiting[0] ?? null;
    const invoices = chosen ? await q.candidateInvoices(tx, org.id, chosen.currency) : [];
    return { waiting, currency: chosen?.currency ?? null, minorUnits: chosen?.minor_units ?? 2, invoices };
  });
}

function newReference(): string {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `PO-${day}-${randomBytes(2).toString('hex').toUpperCase()}`;
}

/**
 * Creates a pending payout from approved invoices of one currency and schedules them, all or
 * nothing: an invoice someone else put in a payout a moment ago rolls everything back (409).
 */
export async function createPayout(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  input: NewPayoutInput,
): Promise<{ id: string; reference: string }> {
  authorize(org, 'payout.create');
  const ids = [...new Set(input.invoice.map((id) => id.toLowerCase()))];
  return withOrg(db, org.id, actor.userId, async (tx) => {
    authorize(await currentOrg(tx, org, actor), 'payout.create');
    const groups = await q.chosenSummary(tx, org.id, ids);
    const currencies = new Set(groups.map((g) => g.currency));
    if (currencies.size > 1)
      throw new ValidationError({ invoice: 'A payout is in one currency: choose invoices of one currency only.' });
    if (currencies.size === 1 && !currencies.has(input.currency))
      throw new ValidationError({ invoice: `These invoices are not in ${input.currency}.` });
    const found = groups.reduce((n, g) => n + g.n, 0);
    // An id this org does not have (another org's, or none) is not found, as in every other route.
    if (found < ids.length) throw new NotFoundError('We could not find one of the chosen invoices.');
    const available = groups.find((g) => g.available);
    if (!available || available.n < ids.length) {
      throw new ConflictError(
        'Some of these invoices are no longer waiting for a payout (someone may have just put them in another one). Nothing was created: reload the page and choose again.',
      );
    }
    const currency = await q.currency(tx, input.currency);
    if (!currency) throw new ValidationError({ currency: 'Choose one of the listed currencies.' });
    const finance = await q.orgFinance(tx, org.id);
    const total = BigInt(available.total_minor);
    // At or above the org's threshold (in its default currency), by face value: there are no exchange rates here.
    const threshold = {
      minor: finance.approval_threshold_minor,
      minorUnits: finance.default_minor_units,
      currency: finance.default_currency,
    };
    const approvalsRequired =
      compareFaceValue({ minor: total, minorUnits: currency.minor_units, currency: currency.code }, threshold) >= 0
        ? 2
        : 1;

    let created: { id: string; reference: string } | undefined;
    for (let attempt = 0; !created && attempt < 5; attempt++) {
      created = await q.insertPayout(tx, {
        orgId: org.id,
        reference: newReference(),
        currency: currency.code,
        approvalsRequired,
        createdBy: actor.userId,
      });
    }
    if (!created) throw new ConflictError('Could not find a free payout reference. Please try again.');
    await q.transitionPayout(tx, {
      orgId: org.id,
      payoutId: created.id,
      from: null,
      to: 'pending',
      actorId: actor.userId,
      note: `${ids.length} invoice${ids.length === 1 ? '' : 's'}`,
    });
    const missed = await scheduleInvoices(tx, org.id, created.id, ids, actor.userId);
    if (missed.length > 0) {
      throw new ConflictError(
        'Some of these invoices were put in another payout a moment ago. Nothing was created: reload the page and choose again.',
      );
    }
    await enqueue(
      tx,
      notifyPayoutApprovers,
      { payoutId: created.id, actorId: actor.userId },
      { orgId: org.id, createdBy: actor.userId },
    );
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: PAYOUT_AUDIT.created,
      target: { type: 'payout', id: created.id },
      changes: {
        reference: created.reference,
        currency: currency.code,
        invoice_count: ids.length,
        total_minor: total.toString(),
        approvals_required: approvalsRequired,
      },
    });
    return created;
  });
}
