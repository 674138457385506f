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
  createdAt: Date;
  /** 'YYYY-MM-DD': the day the bank should execute the transfers. */
  executionDate: string;
  debtor: { name: string; iban: string; bic: string | null };
  transfers: readonly SepaTransfer[];
};

function remittance(numbers: readonly string[]): string {
  const text = sepaText(`Invoices ${numbers.join(', ')}`, 140);
  return text || 'Invoices';
}

export function sepaXml(batch: SepaBatch): string {
  const total = batch.transfers.reduce((sum, t) => sum + BigInt(t.amountMinor), 0n);
  const ctrlSum = toDecimalString(total, 2);
  const count = String(batch.transfers.length);
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(PAIN_001_NS, 'Document').ele('CstmrCdtTrfInitn');
  const hdr = doc.ele('GrpHdr');
  hdr.ele('MsgId').txt(batch.reference);
  hdr.ele('CreDtTm').txt(batch.createdAt.toISOString().slice(0, 19));
  hdr.ele('NbOfTxs').txt(count);
  hdr.ele('CtrlSum').txt(ctrlSum);
  hdr.ele('InitgPty').ele('Nm').txt(sepaText(batch.debtor.name, 70));

  const inf = doc.ele('PmtInf');
  inf.ele('PmtInfId').txt(batch.reference);
  inf.ele('PmtMtd').txt('TRF');
  inf.ele('BtchBookg').txt('true');
  inf.ele('NbOfTxs').txt(count);
  inf.ele('CtrlSum').txt(ctrlSum);
  inf.ele('PmtTpInf').ele('SvcLvl').ele('Cd').txt('SEPA');
  inf.ele('ReqdExctnDt').txt(batch.executionDate);
  inf.ele('Dbtr').ele('Nm').txt(sepaText(batch.debtor.name, 70));
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
    tx.ele('Cdtr')
      .ele('Nm')
      .txt(sepaText(t.vendorName, 70) || 'Unknown');
    tx.ele('CdtrAcct').ele('Id').ele('IBAN').txt(t.iban);
    tx.ele('RmtInf').ele('Ustrd').txt(remittance(t.invoiceNumbers));
  });
  return doc.end({ prettyPrint: true });
}
