// The payment file of an approved payout, for the bank: CSV, or SEPA pain.001 for euros. Once the payout
// is paid, only a copy marked as such: its file name, its content and the page before it say COPY.
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
import { sepaName, sepaXml } from './sepa.ts';
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

type PaidPayout = { reference: string; paid_at: Date | null; bank_reference: string | null };

/**
 * What a copy says about itself. The XML copy keeps the original's MsgId on purpose: a bank refuses a
 * second file with a MsgId it has already executed, and a new MsgId would get past exactly that check.
 */
function copyNote(p: PaidPayout): string {
  const paid = p.paid_at ? ` on ${p.paid_at.toISOString().slice(0, 10)}` : '';
  const ref = p.bank_reference ? ` (bank reference ${p.bank_reference})` : '';
  return `COPY of the payment file of payout ${p.reference}, already paid${paid}${ref}. For your records only: do not send it to the bank.`;
}

/** The file for the bank, built in `tx` (refused, with the reason, when the payout cannot have one yet). */
async function buildFile(tx: Tx, org: OrgContext, id: string, format: 'csv' | 'xml', forUpdate: boolean) {
  const p = await payoutOrThrow(tx, org.id, id, { forUpdate });
  if (p.status !== 'approved' && p.status !== 'paid')
    throw new ConflictError(`Payout ${p.reference} is ${p.status}: its payment file is available once it is approved.`);
  const lines = await q.vendorLines(tx, org.id, id);
  const copy = p.status === 'paid';
  const filename = `payout-${p.reference}${copy ? '-COPY' : ''}.${format}`;
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
      filename,
      contentType: 'text/csv; charset=utf-8',
      body: paymentCsv(
        {
          reference: p.reference,
          currency: p.currency,
          minorUnits: p.minor_units,
          copyNote: copy ? copyNote(p) : null,
        },
        csvLines,
      ),
    };
  } else {
    if (p.currency !== 'EUR') throw new ConflictError('SEPA files are for euro payouts; download the CSV.');
    const finance = await q.orgFinance(tx, org.id);
    if (!finance.bank_account_name || !finance.bank_iban) throw new NoPayingAccountError();
    if (!sepaName(finance.bank_account_name))
      throw new ConflictError(
        `The paying account’s name “${finance.bank_account_name}” has no letters a SEPA file can carry (the Latin alphabet, digits and / - ? : ( ) . , ' +). An owner or admin can change it on the payouts page.`,
      );
    const noIban = lines.filter((l) => !l.iban).map((l) => l.vendor_name);
    if (noIban.length)
      throw new ConflictError(
        `A SEPA transfer needs an IBAN, and these vendors have none: ${noIban.join(', ')}. Add their IBAN or download the CSV.`,
      );
    const noLatin = lines.filter((l) => !sepaName(l.vendor_name)).map((l) => l.vendor_name);
    if (noLatin.length)
      throw new ConflictError(
        `A SEPA file names each payee in the Latin alphabet, and these vendors’ names have none of it: ${noLatin.join(', ')}. Add the name in Latin letters to the vendor or download the CSV.`,
      );
    const body = sepaXml({
      reference: p.reference,
      copyNote: copy ? copyNote(p) : undefined,
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
    file = { filename, contentType: 'application/xml; charset=utf-8', body };
  }
  return { file, payout: p, vendors: lines.length, copy };
}

export type PaymentFilePreview = {
  reference: string;
  status: string;
  format: 'csv' | 'xml';
  vendors: number;
  exportedAt: Date | null;
  /** The payout is paid: the download is a marked copy, for the records. */
  copy: boolean;
  paidAt: Date | null;
  bankReference: string | null;
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
    const { payout, vendors, copy } = await buildFile(tx, org, id, format, false);
    return {
      reference: payout.reference,
      status: payout.status,
      format,
      vendors,
      exportedAt: payout.exported_at,
      copy,
      paidAt: payout.paid_at,
      bankReference: payout.bank_reference,
    };
  });
}

/**
 * The file for the bank (a POST). Full account numbers are in it by design; every download is audited.
 * A paid payout's file is a marked copy: audited as a copy, and the payout stays as it was.
 */
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
    const { file, payout: p, vendors, copy } = await buildFile(tx, org, id, format, true);
    if (copy) {
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: PAYOUT_AUDIT.payment_file_copied,
        target: { type: 'payout', id },
        changes: { reference: p.reference, format, vendors, filename: file.filename },
      });
      return file;
    }
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
