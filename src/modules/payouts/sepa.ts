// SEPA credit transfer initiation (ISO 20022 pain.001.001.03), the file most European banks
// accept for a batch of euro transfers. Amounts come from integer minor units as strings.
import { create } from 'xmlbuilder2';
import { toDecimalString } from '../../core/money.ts';

export const PAIN_001_NS = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';

const SPECIAL: Record<string, string> = {
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Ø: 'O',
  ø: 'o',
  Œ: 'OE',
  œ: 'oe',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Þ: 'Th',
  þ: 'th',
  '&': '+',
  '"': "'",
  '’': "'",
  '‘': "'",
  '–': '-',
  '—': '-',
  _: '-',
};

/**
 * Text in the SEPA Latin character set (a-z A-Z 0-9 / - ? : ( ) . , ' + space): accents are
 * dropped ("Müller & Söhne" → "Muller + Sohne"), anything else becomes a space. Banks reject
 * files with other characters, so this is not optional.
 */
export function sepaText(input: string, max: number): string {
  const replaced = [...input].map((ch) => SPECIAL[ch] ?? ch).join('');
  return replaced
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
}

export type SepaTransfer = {
  vendorName: string;
  iban: string;
  bic: string | null;
  amountMinor: string;
  invoiceNumbers: readonly string[];
};

export type SepaBatch = {
  reference: string;
  /** Set for a copy of a paid payout's file: said in a comment at the top (see `paymentFile`). */
  copyNote?: string;
  createdAt: Date;
  /** 'YYYY-MM-DD': the day the bank should execute the transfers. */
  executionDate: string;
  debtor: { name: string; iban: string; bic: string | null };
  transfers: readonly SepaTransfer[];
};

/**
 * The largest amount pain.001.001.03 carries (CtrlSum and InstdAmt: 18 digits, here 2 of them cents).
 * The app stays below it by construction: an invoice is under 10^15 minor units (migration 0003) and a
 * payout holds at most 1,000 invoices, so 1,000 of the largest invoices still fit.
 */
export const SEPA_MAX_MINOR = 10n ** 18n - 1n;

/** The creditor's name as the file carries it; empty when nothing of it is in the SEPA Latin set. */
export function sepaName(name: string): string {
  return sepaText(name, 70);
}

function remittance(numbers: readonly string[]): string {
  const text = sepaText(`Invoices ${numbers.join(', ')}`, 140);
  return text || 'Invoices';
}

export function sepaXml(batch: SepaBatch): string {
  const total = batch.transfers.reduce((sum, t) => sum + BigInt(t.amountMinor), 0n);
  const ctrlSum = toDecimalString(total, 2);
  if (total > SEPA_MAX_MINOR) throw new Error(`SEPA total ${total} is beyond the 18 digits pain.001 carries`);
  const debtorName = sepaName(batch.debtor.name);
  if (!debtorName) throw new Error('a SEPA debtor needs a name in the SEPA Latin character set');
  const count = String(batch.transfers.length);
  const root = create({ version: '1.0', encoding: 'UTF-8' });
  // In the file itself, so whoever opens it reads it; an XML comment may not hold "--".
  if (batch.copyNote) root.com(` ${sepaText(batch.copyNote, 500).replace(/-+/g, '-')} `);
  const doc = root.ele(PAIN_001_NS, 'Document').ele('CstmrCdtTrfInitn');
  const hdr = doc.ele('GrpHdr');
  hdr.ele('MsgId').txt(batch.reference);
  hdr.ele('CreDtTm').txt(batch.createdAt.toISOString().slice(0, 19));
  hdr.ele('NbOfTxs').txt(count);
  hdr.ele('CtrlSum').txt(ctrlSum);
  hdr.ele('InitgPty').ele('Nm').txt(debtorName);

  const inf = doc.ele('PmtInf');
  inf.ele('PmtInfId').txt(batch.reference);
  inf.ele('PmtMtd').txt('TRF');
  inf.ele('BtchBookg').txt('true');
  inf.ele('NbOfTxs').txt(count);
  inf.ele('CtrlSum').txt(ctrlSum);
  inf.ele('PmtTpInf').ele('SvcLvl').ele('Cd').txt('SEPA');
  inf.ele('ReqdExctnDt').txt(batch.executionDate);
  inf.ele('Dbtr').ele('Nm').txt(debtorName);
  inf.ele('DbtrAcct').ele('Id').ele('IBAN').txt(batch.debtor.iban);
  const dbtrAgt = inf.ele('DbtrAgt').ele('FinInstnId');
  if (batch.debtor.bic) dbtrAgt.ele('BIC').txt(batch.debtor.bic);
  else dbtrAgt.ele('Othr').ele('Id').txt('NOTPROVIDED');
  inf.ele('ChrgBr').txt('SLEV');

  batch.transfers.forEach((t, i) => {
    const tx = inf.ele('CdtTrfTxInf');
    tx.ele('PmtId')
      .ele('EndToEndId')
      .txt(`${batch.reference}-${i + 1}`.slice(0, 35));
    tx.ele('Amt').ele('InstdAmt', { Ccy: 'EUR' }).txt(toDecimalString(t.amountMinor, 2));
    if (t.bic) tx.ele('CdtrAgt').ele('FinInstnId').ele('BIC').txt(t.bic);
    const name = sepaName(t.vendorName);
    // buildFile refuses such a vendor first, naming it (409); a file with a made-up name would pay a nameless creditor.
    if (!name) throw new Error('a SEPA creditor needs a name in the SEPA Latin character set');
    tx.ele('Cdtr').ele('Nm').txt(name);
    tx.ele('CdtrAcct').ele('Id').ele('IBAN').txt(t.iban);
    tx.ele('RmtInf').ele('Ustrd').txt(remittance(t.invoiceNumbers));
  });
  return doc.end({ prettyPrint: true });
}
