// The payment file as CSV, one row per vendor, for banks and tools that take a spreadsheet.
import { stringify } from 'csv-stringify/sync';
import { neutralize } from '../../core/csv.ts';
import { toDecimalString } from '../../core/money.ts';

export type CsvLine = {
  vendorName: string;
  taxId: string;
  account: string;
  bic: string | null;
  amountMinor: string;
  invoiceNumbers: readonly string[];
};

export function paymentCsv(
  p: { reference: string; currency: string; minorUnits: number; copyNote?: string | null },
  lines: readonly CsvLine[],
): string {
  // A copy says so on every row, in a column of its own, so a tool that imports it cannot miss it.
  const copy = p.copyNote ? [p.copyNote] : [];
  const rows = lines.map((l) =>
    [
      p.reference,
      l.vendorName,
      l.taxId,
      l.account,
      l.bic ?? '',
      p.currency,
      toDecimalString(l.amountMinor, p.minorUnits),
      l.invoiceNumbers.join(' '),
      ...copy,
    ].map(neutralize),
  );
  return stringify([
    [
      'payout_reference',
      'vendor',
      'tax_id',
      'account',
      'bic',
      'currency',
      'amount',
      'invoices',
      ...(p.copyNote ? ['copy'] : []),
    ],
    ...rows,
  ]);
}
