// Bank account identifiers (IBAN, BIC, other account numbers): normalized for storage, checked
// before money can go to a typo, and masked wherever a person or the audit log sees them.
// One copy for vendors, the org's paying account and imports, so a number is valid and looks
// the same on every page.

const IBAN_FORMAT = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;
const BIC_FORMAT = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const ACCOUNT_FORMAT = /^[0-9A-Z-]{4,34}$/;

/** "de89 3704 0044 0532 0130 00" → "DE89370400440532013000". */
export function normalizeIban(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

/** A country code, two check digits and 11–30 letters or digits (the check digits aside). */
export function ibanFormatOk(iban: string): boolean {
  return IBAN_FORMAT.test(iban);
}

/** ISO 13616: the format, then the country code and check digits moved to the end, letters as numbers, mod 97 = 1. */
export function validIban(iban: string): boolean {
  if (!ibanFormatOk(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}

/** "cobadeff xxx" → "COBADEFFXXX". */
export function normalizeBic(input: string): string {
  return input.replace(/\s/g, '').toUpperCase();
}

/** ISO 9362: 8 or 11 characters, bank and country code letters first. */
export function validBic(bic: string): boolean {
  return BIC_FORMAT.test(bic);
}

/** An account number that is not an IBAN, as stored: no spaces, upper case. */
export function normalizeAccountNumber(input: string): string {
  return input.replace(/\s/g, '').toUpperCase();
}

export function validAccountNumber(account: string): boolean {
  return ACCOUNT_FORMAT.test(account);
}

/** "DE89 •••• •••• •••• 3000": the country and the last four, never the rest (nor its length). */
export function maskIban(iban: string): string {
  return `${iban.slice(0, 4)} •••• •••• •••• ${iban.slice(-4)}`;
}

/** "•••• 6789". */
export function maskAccountNumber(account: string): string {
  return `•••• ${account.slice(-4)}`;
}
