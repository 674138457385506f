// The payment file of an approved payout, for the bank: CSV, or SEPA pain.001 for euros.
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ConflictError } from '../../core/http/errors.ts';
import { currentOrg } from '../../core/http/policy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { payoutOrThrow } from './load-payout.ts';
import { paymentCsv } from './payment-csv.ts';
import { authorize } from './policy.ts';
import * as q from './queries.ts';
import { sepaXml } from './sepa.ts';
import { PAYOUT_AUDIT } from './audit.ts';

/** The org has no paying account yet: the page links to where it is set. */
export class NoPayingAccountError extends ConflictError {
  constructor() {
    super(
      'The organization’s paying bank account is not set, so a SEPA file cannot name the payer. An owner or admin can set it on the payouts page.',
    );
  }
}

export type PaymentFile = { filename: string; contentType: string; body: string };

/** The file for the bank, built in `tx` (refused, with the reason, when the payout cannot have one yet). */
async function buildFile(tx: Tx, org: OrgContext, id: string, format: 'csv' | 'xml', forUpdate: boolean) {
  const p = await payoutOrThrow(tx, org.id, id, { forUpdate });
  if (p.status !== 'approved' && p.status !== 'paid')
    throw new ConflictError(`Payout ${p.reference} is ${p.status}: its payment file is available once it is approved.`);
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
  return { file, payout: p, vendors: lines.length };
}

export type PaymentFilePreview = {
  reference: string;
  status: string;
  format: 'csv' | 'xml';
  vendors: number;
  exportedAt: Date | null;
};

/**
 * What downloading the payment file will do, before it does (the page a link to the file opens: a GET
 * marks nothing). Refused as the download would be, so the page says why before anyone presses.
 */
export async function paymentFilePreview(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
  format: 'csv' | 'xml',
): Promise<PaymentFilePreview> {
  authorize(org, 'payout.export');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const { payout, vendors } = await buildFile(tx, org, id, format, false);
    return { reference: payout.reference, status: payout.status, format, vendors, exportedAt: payout.exported_at };
  });
}

/** The file for the bank (a POST). Full account numbers are in it by design; every download is audited. */
export async function paymentFile(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
  format: 'csv' | 'xml',
): Promise<PaymentFile> {
  authorize(org, 'payout.export');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    authorize(await currentOrg(tx, org, actor), 'payout.export');
    const { file, payout: p, vendors } = await buildFile(tx, org, id, format, true);
    await q.markExported(tx, org.id, id);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: PAYOUT_AUDIT.exported,
      target: { type: 'payout', id },
      changes: { reference: p.reference, format, vendors },
    });
    return file;
  });
}
