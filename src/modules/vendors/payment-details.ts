// How a vendor's payment details (an IBAN or another account number) appear.
import { maskAccountNumber, maskIban } from '../../core/banking.ts';

/** How a vendor's payment details appear on every page and in the audit log. */
export function maskedPaymentDetails(v: { iban: string | null; account_number: string | null }): string {
  if (v.iban) return maskIban(v.iban);
  if (v.account_number) return maskAccountNumber(v.account_number);
  return '—';
}
