// Vendor bank details: normalized for storage, checked before a payout can go to a typo,
// and masked wherever a person or the audit log sees them.

/** "de89 3704 0044 0532 0130 00" → "DE89370400440532013000". */
export function normalizeIban(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

/** ISO 13616: the country code and check digits moved to the end, letters as numbers, mod 97 = 1. */
export function ibanChecksumOk(iban: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const digits = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

/** "DE89 •••• •••• •••• 3000": the country and the last four, never the rest (nor its length). */
export function maskIban(iban: string): string {
  return `${iban.slice(0, 4)} •••• •••• •••• ${iban.slice(-4)}`;
}

export function maskAccountNumber(account: string): string {
  return `•••• ${account.slice(-4)}`;
}

/** How a vendor's payment details appear on every page and in the audit log. */
export function maskedPaymentDetails(v: { iban: string | null; account_number: string | null }): string {
  if (v.iban) return maskIban(v.iban);
  if (v.account_number) return maskAccountNumber(v.account_number);
  return '—';
}

/** "•••3000", for "leave empty to keep …" hints. */
export function lastFour(value: string): string {
  return `•••${value.slice(-4)}`;
}
