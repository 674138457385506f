// What an import file must hold, and how one row becomes a vendor or an invoice. Pure
// functions: the check and the import run the same rules, so what the check calls valid
// is what gets imported.
import {
  normalizeAccountNumber,
  normalizeBic,
  normalizeIban,
  validAccountNumber,
  validBic,
  validIban,
} from '../../core/banking.ts';
import { CATEGORIES, type Category } from '../invoices/service.ts';
import type { ImportKind } from './statuses.ts';
import { parseAmount } from '../../core/money.ts';
import { isEmailAddress } from '../../core/schemas.ts';
import type { Delimiter } from './reader.ts';

export const COLUMNS: Record<ImportKind, { required: readonly string[]; optional: readonly string[] }> = {
  invoices: {
    required: ['vendor_tax_id', 'number', 'issue_date', 'due_date', 'amount', 'currency', 'category'],
    optional: ['description'],
  },
  vendors: { required: ['name', 'tax_id', 'default_currency'], optional: ['iban', 'bic', 'account_number', 'email'] },
};

/** Column name → index in the file, or the message that says which columns are missing. */
export function readHeader(
  kind: ImportKind,
  header: string[],
): { ok: true; index: Map<string, number> } | { ok: false; problem: string } {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const name = h.trim().toLowerCase().replace(/\s+/g, '_');
    if (!index.has(name)) index.set(name, i);
  });
  const missing = COLUMNS[kind].required.filter((c) => !index.has(c));
  if (missing.length === 0) return { ok: true, index };
  const expected = [...COLUMNS[kind].required, ...COLUMNS[kind].optional.map((c) => `${c} (optional)`)].join(', ');
  return {
    ok: false,
    problem: `The header row is missing ${missing.length === 1 ? 'the column' : 'the columns'} ${missing.join(', ')}. An ${kind === 'invoices' ? 'invoice' : 'vendor'} file has these columns: ${expected}.`,
  };
}

export type Lookups = {
  currencies: Map<string, number>;
  /** Normalized tax id → vendor id (invoices name their vendor by tax id). */
  vendors: Map<string, string>;
  delimiter: Delimiter;
};

export type InvoiceRow = {
  vendor_id: string;
  number: string;
  issue_date: string;
  due_date: string;
  amount_minor: string;
  currency: string;
  category: Category;
  description: string;
};
export type VendorRow = {
  name: string;
  tax_id: string;
  iban: string | null;
  bic: string | null;
  account_number: string | null;
  default_currency: string;
  email: string | null;
};

export type Checked<T> = { ok: true; row: T; key: string } | { ok: false; reason: string };

export function normalizeTaxId(v: string): string {
  return v.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

/** YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY, as a real calendar date; null otherwise. */
export function parseDate(input: string): string | null {
  const s = input.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) ?? null;
  const e = m ? null : /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(s);
  const [y, mo, d] = m ? [m[1]!, m[2]!, m[3]!] : e ? [e[3]!, e[2]!.padStart(2, '0'), e[1]!.padStart(2, '0')] : [];
  if (!y || !mo || !d) return null;
  const date = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return null;
  return `${y}-${mo}-${d}`;
}

/** In a semicolon file amounts are written the continental way: "1.234,56". */
function amountOf(input: string, minorUnits: number, delimiter: Delimiter): bigint | null {
  const s = delimiter === ';' && input.includes(',') ? input.replace(/[.\s]/g, '').replace(',', '.') : input;
  return parseAmount(s, minorUnits);
}

function cells(index: Map<string, number>, fields: string[]) {
  return (name: string) => {
    const i = index.get(name);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
}

export function checkInvoice(index: Map<string, number>, fields: string[], l: Lookups): Checked<InvoiceRow> {
  const cell = cells(index, fields);
  const problems: string[] = [];
  const taxId = cell('vendor_tax_id');
  const vendorId = l.vendors.get(normalizeTaxId(taxId));
  if (!taxId) problems.push('vendor_tax_id is empty');
  else if (!vendorId) problems.push(`no vendor has the tax id ${taxId} (import or add the vendor first)`);
  const number = cell('number');
  if (!number) problems.push('number is empty');
  else if (number.length > 64) problems.push('number is longer than 64 characters');
  const issue = parseDate(cell('issue_date'));
  const due = parseDate(cell('due_date'));
  if (!issue)
    problems.push(`issue_date "${cell('issue_date')}" is not a date (use YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)`);
  else if (issue <= '1990-01-01') problems.push('issue_date is before 1990');
  if (!due) problems.push(`due_date "${cell('due_date')}" is not a date (use YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)`);
  if (issue && due && due < issue) problems.push('due_date is before issue_date');
  const currency = cell('currency').toUpperCase();
  const minor = l.currencies.get(currency);
  if (minor === undefined) problems.push(currency ? `unknown currency ${currency}` : 'currency is empty');
  let amount: bigint | null = null;
  if (minor !== undefined) {
    amount = amountOf(cell('amount'), minor, l.delimiter);
    if (amount === null)
      problems.push(`amount "${cell('amount')}" is not an amount in ${currency} (at most ${minor} decimals)`);
    else if (amount <= 0n || amount >= 1_000_000_000_000_000n)
      problems.push('amount must be more than zero and less than a quadrillion minor units');
  }
  const category = cell('category').toLowerCase();
  if (!(CATEGORIES as readonly string[]).includes(category))
    problems.push(`category "${cell('category')}" is not one of ${CATEGORIES.join(', ')}`);
  const description = cell('description');
  if (description.length > 2000) problems.push('description is longer than 2000 characters');
  if (problems.length) return { ok: false, reason: sentence(problems) };
  return {
    ok: true,
    row: {
      vendor_id: vendorId!,
      number,
      issue_date: issue!,
      due_date: due!,
      amount_minor: amount!.toString(),
      currency,
      category: category as Category,
      description,
    },
    key: `${vendorId}|${number.toUpperCase()}`,
  };
}

export function checkVendor(index: Map<string, number>, fields: string[], l: Lookups): Checked<VendorRow> {
  const cell = cells(index, fields);
  const problems: string[] = [];
  const name = cell('name');
  if (!name) problems.push('name is empty');
  else if (name.length > 200) problems.push('name is longer than 200 characters');
  const taxId = cell('tax_id');
  const key = normalizeTaxId(taxId);
  if (!key) problems.push('tax_id is empty');
  else if (taxId.length > 50) problems.push('tax_id is longer than 50 characters');
  const iban = normalizeIban(cell('iban'));
  const account = normalizeAccountNumber(cell('account_number'));
  const bic = normalizeBic(cell('bic'));
  if (iban && account) problems.push('give either an iban or an account_number, not both');
  else if (!iban && !account) problems.push('give an iban or an account_number');
  if (iban && !validIban(iban)) problems.push(`iban ${cell('iban')} is not a valid IBAN`);
  if (account && !validAccountNumber(account))
    problems.push('account_number must have 4 to 34 digits, letters or dashes');
  if (bic && !validBic(bic)) problems.push(`bic ${cell('bic')} is not a valid BIC`);
  if (bic && !iban) problems.push('a bic goes with an iban');
  const currency = cell('default_currency').toUpperCase();
  if (!l.currencies.has(currency))
    problems.push(currency ? `unknown currency ${currency}` : 'default_currency is empty');
  const mail = cell('email').toLowerCase();
  if (mail && !isEmailAddress(mail)) problems.push(`email ${mail} is not an email address`);
  if (problems.length) return { ok: false, reason: sentence(problems) };
  return {
    ok: true,
    row: {
      name,
      tax_id: taxId,
      iban: iban || null,
      bic: bic || null,
      account_number: account || null,
      default_currency: currency,
      email: mail || null,
    },
    key,
  };
}

/** Problems joined into one reason; column names keep their case, as in the header. */
function sentence(problems: string[]): string {
  return `${problems.join('; ')}.`;
}
