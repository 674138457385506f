// Payouts: approved invoices are batched per currency into a payout, which someone other than
// its creator approves (two people above the org's threshold), finance exports as a payment
// file for the bank, and marks paid once the bank confirms. Cancelling returns the invoices.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { maskIban, normalizeBic, normalizeIban, validBic, validIban } from '../../core/banking.ts';
import { recordAudit, type Actor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { compareFaceValue } from '../../core/money.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { uuid } from '../../core/schemas.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { markInvoicesPaid, scheduleInvoices, unscheduleInvoices } from '../invoices/service.ts';
import { notifyPayoutApprovers, notifyPayoutPaid } from './notices.ts';
import { paymentCsv } from './payment-csv.ts';
import { authorize, authorizeRecord } from './policy.ts';
import * as q from './queries.ts';
import { sepaXml } from './sepa.ts';

export { can as canPayouts, rightsFor as payoutRightsFor } from './policy.ts';
export { notifyPayoutApprovers, notifyPayoutPaid, PAYOUT_NOTICE_TASKS } from './notices.ts';

export type OrgActor = Actor & { userId: string };

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

export const markPaidSchema = z.object({
  bank_reference: z
    .string()
    .trim()
    .min(1, 'Enter the reference the bank gave the transfer.')
    .max(100, 'The bank reference is at most 100 characters.'),
});

export const bankAccountSchema = z.object({
  bank_account_name: z
    .string()
    .trim()
    .min(1, 'Enter the account holder’s name.')
    .max(70, 'At most 70 characters (the bank file’s limit).'),
  bank_iban: z
    .string()
    .transform(normalizeIban)
    .refine(validIban, 'Enter a valid IBAN, like DE89 3704 0044 0532 0130 00.'),
  bank_bic: z
    .string()
    .transform(normalizeBic)
    .refine(
      (v) => v === '' || validBic(v),
      'Enter a valid BIC of 8 or 11 characters, like COBADEFFXXX, or leave it empty.',
    ),
});

async function payoutOrThrow(tx: Tx, orgId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const p = await q.payout(tx, orgId, id, opts);
  if (!p) throw new NotFoundError('That payout does not exist.');
  return p;
}

/** The list page: payouts, what is waiting to be paid, and the paying account (masked). */
export async function payoutsOverview(db: Db, actor: OrgActor, org: OrgContext) {
  authorize(org, 'payout.view');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const finance = await q.orgFinance(tx, org.id);
    return {
      payouts: await q.payouts(tx, org.id),
      waiting: await q.approvedUnscheduledTotals(tx, org.id),
      bank: {
        name: finance.bank_account_name,
        iban: finance.bank_iban ? maskIban(finance.bank_iban) : null,
        bic: finance.bank_bic,
      },
    };
  });
}

/** The new-payout page: the currencies with invoices waiting, and those of the chosen one. */
export async function payoutCandidates(db: Db, actor: OrgActor, org: OrgContext, currency: string | undefined) {
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
  actor: OrgActor,
  org: OrgContext,
  input: NewPayoutInput,
): Promise<{ id: string; reference: string }> {
  authorize(org, 'payout.create');
  const ids = [...new Set(input.invoice.map((id) => id.toLowerCase()))];
  return withOrg(db, org.id, actor.userId, async (tx) => {
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
      action: 'payout.created',
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

/** Everything the detail page shows. */
export async function payoutDetail(db: Db, actor: OrgActor, org: OrgContext, id: string) {
  authorize(org, 'payout.view');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const payout = await payoutOrThrow(tx, org.id, id);
    return {
      payout,
      total: await q.payoutTotal(tx, org.id, id),
      vendors: await q.vendorLines(tx, org.id, id),
      invoices: await q.payoutInvoices(tx, org.id, id),
      approvals: await q.approvals(tx, org.id, id),
      history: await q.history(tx, org.id, id),
    };
  });
}

/** The approval trigger has the last word (creator, state); its refusal is a conflict, not a 500. */
async function insertApproval(tx: Tx, orgId: string, id: string, userId: string) {
  try {
    return await q.insertApproval(tx, orgId, id, userId);
  } catch (err) {
    if ((err as { code?: string }).code === '23514')
      throw new ConflictError(
        'The database refused this approval: a payout is approved by someone other than its creator, while it is pending.',
      );
    throw err;
  }
}

/**
 * Records the actor's approval; the payout is approved when it has as many approvals as it
 * requires. The row lock makes concurrent approvals queue: the one that completes the count
 * decides, the others find it approved.
 */
export async function approvePayout(
  db: Db,
  actor: OrgActor,
  org: OrgContext,
  id: string,
): Promise<{ reference: string; approved: boolean; missing: number }> {
  authorize(org, 'payout.approve');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const p = await payoutOrThrow(tx, org.id, id, { forUpdate: true });
    if (p.status !== 'pending')
      throw new ConflictError(`Payout ${p.reference} is already ${p.status}; it cannot be approved now.`);
    authorizeRecord({ org, userId: actor.userId }, 'payout.approve', p);
    if (!(await insertApproval(tx, org.id, id, actor.userId)))
      throw new ConflictError(`You have already approved payout ${p.reference}. It needs another person’s approval.`);
    const count = (await q.approvals(tx, org.id, id)).length;
    const approved = count >= p.approvals_required;
    if (approved) {
      await q.transitionPayout(tx, {
        orgId: org.id,
        payoutId: id,
        from: 'pending',
        to: 'approved',
        actorId: actor.userId,
        note: `${count} approval${count === 1 ? '' : 's'}`,
        set: { approved_at: new Date() },
      });
    }
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: 'payout.approved',
      target: { type: 'payout', id },
      changes: {
        reference: p.reference,
        approver_id: actor.userId,
        approvals: count,
        approvals_required: p.approvals_required,
        status: approved ? 'approved' : 'pending',
      },
    });
    return { reference: p.reference, approved, missing: p.approvals_required - count };
  });
}

/** The org has no paying account yet: the page links to where it is set. */
export class NoPayingAccountError extends ConflictError {
  constructor() {
    super(
      'The organization’s paying bank account is not set, so a SEPA file cannot name the payer. An owner or admin can set it on the payouts page.',
    );
  }
}

export type PaymentFile = { filename: string; contentType: string; body: string };

/** The file for the bank. Full account numbers are in it by design; every download is audited. */
export async function paymentFile(
  db: Db,
  actor: OrgActor,
  org: OrgContext,
  id: string,
  format: 'csv' | 'xml',
): Promise<PaymentFile> {
  authorize(org, 'payout.export');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const p = await payoutOrThrow(tx, org.id, id, { forUpdate: true });
    if (p.status !== 'approved' && p.status !== 'paid')
      throw new ConflictError(
        `Payout ${p.reference} is ${p.status}: its payment file is available once it is approved.`,
      );
    const lines = await q.vendorLines(tx, org.id, id);
    let file: PaymentFile;
    if (format === 'csv') {
      const csvLines = lines.map((l) => ({
        vendorName: l.vendor_name,
        taxId: l.tax_id,
        account: l.iban ?? l.account_number ?? '',
        bic: l.bic,
        amountMinor: l.total_minor,
        invoiceNumbers: l.invoice_numbers,
      }));
      file = {
        filename: `payout-${p.reference}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: paymentCsv({ reference: p.reference, currency: p.currency, minorUnits: p.minor_units }, csvLines),
      };
    } else {
      if (p.currency !== 'EUR') throw new ConflictError('SEPA files are for euro payouts; download the CSV.');
      const finance = await q.orgFinance(tx, org.id);
      if (!finance.bank_account_name || !finance.bank_iban) throw new NoPayingAccountError();
      const noIban = lines.filter((l) => !l.iban).map((l) => l.vendor_name);
      if (noIban.length)
        throw new ConflictError(
          `A SEPA transfer needs an IBAN, and these vendors have none: ${noIban.join(', ')}. Add their IBAN or download the CSV.`,
        );
      const body = sepaXml({
        reference: p.reference,
        createdAt: new Date(),
        executionDate: new Date().toISOString().slice(0, 10),
        debtor: { name: finance.bank_account_name, iban: finance.bank_iban, bic: finance.bank_bic },
        transfers: lines.map((l) => ({
          vendorName: l.vendor_name,
          iban: l.iban ?? '',
          bic: l.bic,
          amountMinor: l.total_minor,
          invoiceNumbers: l.invoice_numbers,
        })),
      });
      file = { filename: `payout-${p.reference}.xml`, contentType: 'application/xml; charset=utf-8', body };
    }
    await q.markExported(tx, org.id, id);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: 'payout.exported',
      target: { type: 'payout', id },
      changes: { reference: p.reference, format, vendors: lines.length },
    });
    return file;
  });
}

/** The bank confirmed the transfers: the payout and each of its invoices are paid. */
export async function markPayoutPaid(
  db: Db,
  actor: OrgActor,
  org: OrgContext,
  id: string,
  input: z.infer<typeof markPaidSchema>,
): Promise<{ reference: string }> {
  authorize(org, 'payout.mark_paid');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const p = await payoutOrThrow(tx, org.id, id, { forUpdate: true });
    if (p.status !== 'approved')
      throw new ConflictError(`Payout ${p.reference} is ${p.status}: only an approved payout can be marked paid.`);
    await q.transitionPayout(tx, {
      orgId: org.id,
      payoutId: id,
      from: 'approved',
      to: 'paid',
      actorId: actor.userId,
      note: `Bank reference ${input.bank_reference}`,
      set: { paid_at: new Date(), paid_by: actor.userId, bank_reference: input.bank_reference },
    });
    const invoices = await markInvoicesPaid(tx, org.id, id, actor.userId);
    await enqueue(
      tx,
      notifyPayoutPaid,
      { payoutId: id, actorId: actor.userId },
      { orgId: org.id, createdBy: actor.userId },
    );
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: 'payout.paid',
      target: { type: 'payout', id },
      changes: { reference: p.reference, bank_reference: input.bank_reference, invoice_count: invoices },
    });
    return { reference: p.reference };
  });
}

/** Cancels a payout that was not paid; its invoices return to approved for another payout. */
export async function cancelPayout(
  db: Db,
  actor: OrgActor,
  org: OrgContext,
  id: string,
): Promise<{ reference: string; invoices: number }> {
  authorize(org, 'payout.cancel');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const p = await payoutOrThrow(tx, org.id, id, { forUpdate: true });
    if (p.status !== 'pending' && p.status !== 'approved')
      throw new ConflictError(`Payout ${p.reference} is ${p.status}: it can no longer be cancelled.`);
    await q.transitionPayout(tx, {
      orgId: org.id,
      payoutId: id,
      from: p.status,
      to: 'cancelled',
      actorId: actor.userId,
      set: { cancelled_at: new Date(), cancelled_by: actor.userId },
    });
    const invoices = await unscheduleInvoices(tx, org.id, id, actor.userId);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: 'payout.cancelled',
      target: { type: 'payout', id },
      changes: { reference: p.reference, from: p.status, invoice_count: invoices },
    });
    return { reference: p.reference, invoices };
  });
}

/** The org's own account, the payer in SEPA files. Audited with the IBAN masked. */
export async function setPayingAccount(
  db: Db,
  actor: OrgActor,
  org: OrgContext,
  input: z.infer<typeof bankAccountSchema>,
): Promise<void> {
  authorize(org, 'payout.bank_account');
  await withOrg(db, org.id, actor.userId, async (tx) => {
    const before = await q.orgFinance(tx, org.id);
    const after = {
      bank_account_name: input.bank_account_name,
      bank_iban: input.bank_iban,
      bank_bic: input.bank_bic || null,
    };
    await q.setBankAccount(tx, org.id, after);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: 'org.bank_account_changed',
      target: { type: 'organization', id: org.id },
      changes: {
        bank_account_name: { from: before.bank_account_name, to: after.bank_account_name },
        bank_iban: { from: before.bank_iban, to: after.bank_iban },
        account_masked: { from: before.bank_iban ? maskIban(before.bank_iban) : null, to: maskIban(after.bank_iban) },
        bank_bic: { from: before.bank_bic, to: after.bank_bic },
      },
    });
  });
}
