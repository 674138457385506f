// The payment file as CSV, one row per vendor, for banks and tools that take a spreadsheet.
import { stringify } from 'csv-stringify/sync';
import { toDecimalString } from '../../core/money.ts';

export type CsvLine = {
  vendorName: string;
  taxId: string;
  account: string;
  bic: string | null;
  amountMinor: string;
  invoiceNumbers: readonly string[];
};

/**
 * A cell a spreadsheet would read as a formula (= + - @, and tab or carriage return that
 * some apps strip first) gets a leading apostrophe: vendor names are typed by people.
 */
export function neutralize(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export function paymentCsv(p: { reference: string; currency: string; minorUnits: number }, lines: readonly CsvLine[]): string {
  const rows = lines.map((l) => [p.reference, l.vendorName, l.taxId, l.account, l.bic ?? '', p.currency, toDecimalString(l.amountMinor, p.minorUnits), l.invoiceNumbers.join(' ')].map(neutralize));
  return stringify([['payout_reference', 'vendor', 'tax_id', 'account', 'bic', 'currency', 'amount', 'invoices'], ...rows]);
}
