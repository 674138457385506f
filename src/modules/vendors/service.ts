// Vendors: who an organization pays. Payment details are validated on the way in and
// masked on the way out (pages and audit log alike).
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import {
  ibanFormatOk,
  normalizeAccountNumber,
  normalizeBic,
  normalizeIban,
  validAccountNumber,
  validBic,
  validIban,
} from '../../core/banking.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { Vendor } from '../../core/db/schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { currentOrg } from '../../core/http/policy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { optionalEmailAddress } from '../../core/schemas.ts';
import { maskedPaymentDetails } from './payment-details.ts';
import { authorize } from './policy.ts';
import * as q from './queries.ts';
import { VENDOR_AUDIT } from './audit.ts';

export { can as canVendors } from './policy.ts';
export { maskedPaymentDetails } from './payment-details.ts';
export { vendorPaths } from './paths.ts';

const optional = (max: number, message: string) => z.string().trim().max(max, message).default('');

export const vendorSchema = z.object({
  name: z.string().trim().min(1, 'Give the vendor a name.').max(200, 'That name is too long (200 characters at most).'),
  tax_id: z
    .string()
    .trim()
    .min(1, 'Enter the vendor’s tax id (VAT number), like DE123456789.')
    .max(50, 'That tax id is too long (50 characters at most).')
    .refine((v) => /[A-Za-z0-9]/.test(v), 'A tax id has letters or digits, like DE123456789.'),
  iban: optional(50, 'That IBAN is too long.'),
  bic: optional(20, 'That BIC is too long.'),
  account_number: optional(40, 'That account number is too long.'),
  default_currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Choose a currency.'),
  email: optionalEmailAddress('billing@vendor.com').default(''),
});

export type VendorInput = z.infer<typeof vendorSchema>;

type PaymentDetails = { iban: string | null; bic: string | null; account_number: string | null };

/**
 * The payment details a form asks for. On edit, an empty IBAN and account number keep the
 * stored ones (the form never shows them); a new IBAN replaces an account number and back.
 */
function paymentDetails(input: VendorInput, current: PaymentDetails | null): PaymentDetails {
  const errors: Record<string, string> = {};
  const iban = normalizeIban(input.iban);
  const account = normalizeAccountNumber(input.account_number);
  const bic = normalizeBic(input.bic);
  if (iban && account) errors.account_number = 'Enter either an IBAN or an account number, not both.';
  if (iban && !validIban(iban)) {
    errors.iban = ibanFormatOk(iban)
      ? 'This IBAN’s check digits do not match: look for a typo and enter it again.'
      : 'An IBAN starts with a country code and two check digits, like DE89 3704 0044 0532 0130 00.';
  }
  if (account && !validAccountNumber(account))
    errors.account_number = 'An account number has 4 to 34 digits, letters or dashes.';
  if (bic && !validBic(bic)) errors.bic = 'A BIC has 8 or 11 characters, like COBADEFFXXX.';
  const next: PaymentDetails = iban
    ? { iban, bic: bic || null, account_number: null }
    : account
      ? { iban: null, bic: null, account_number: account }
      : {
          iban: current?.iban ?? null,
          bic: current?.iban ? bic || null : null,
          account_number: current?.account_number ?? null,
        };
  if (!next.iban && !next.account_number && !errors.iban && !errors.account_number)
    errors.iban = 'Enter the vendor’s IBAN, or an account number instead.';
  if (bic && !next.iban && !errors.bic) errors.bic = 'A BIC goes with an IBAN; leave it empty for an account number.';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return next;
}

async function currencyOrThrow(tx: Tx, code: string): Promise<string> {
  if (!(await q.currencies(tx)).some((c) => c.code === code))
    throw new ValidationError({ default_currency: 'Choose one of the listed currencies.' });
  return code;
}

/** A unique violation of the tax id index, told as a field error naming the vendor that has it. */
async function duplicateTaxId(db: Db, actor: UserActor, org: OrgContext, err: unknown, taxId: string): Promise<never> {
  const e = err as { code?: string; constraint?: string };
  if (e.code !== '23505' || e.constraint !== 'vendors_tax_id_key') throw err;
  const other = await withOrg(db, org.id, actor.userId, (tx) => q.vendorByTaxId(tx, org.id, taxId));
  throw new ValidationError({ tax_id: `This tax id is already used by ${other?.name ?? 'another vendor'}.` });
}

async function vendorOrThrow(tx: Tx, orgId: string, id: string, forUpdate = false): Promise<Vendor> {
  const v = await q.vendor(tx, orgId, id, { forUpdate });
  if (!v) throw new NotFoundError('That vendor does not exist.');
  return v;
}

export async function listVendors(db: Db, actor: UserActor, org: OrgContext, filter: { q: string; archived: boolean }) {
  authorize(org, 'vendor.view');
  const rows = await withOrg(db, org.id, actor.userId, (tx) => q.listVendors(tx, org.id, { ...filter, limit: 500 }));
  return rows.map(({ iban, account_number, ...v }) => ({
    ...v,
    invoice_count: Number(v.invoice_count ?? 0),
    payment: maskedPaymentDetails({ iban, account_number }),
  }));
}

/** A vendor as pages show it: payment details masked, never the plain values. */
export type VendorView = Omit<Vendor, 'iban' | 'account_number'> & { payment: string; hasIban: boolean; last4: string };

function view({ iban, account_number, ...v }: Vendor): VendorView {
  return {
    ...v,
    payment: maskedPaymentDetails({ iban, account_number }),
    hasIban: iban !== null,
    last4: (iban ?? account_number ?? '').slice(-4),
  };
}

export async function vendorDetail(db: Db, actor: UserActor, org: OrgContext, id: string) {
  authorize(org, 'vendor.view');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const v = await vendorOrThrow(tx, org.id, id);
    return {
      vendor: view(v),
      invoices: await q.recentInvoices(tx, org.id, id, 20),
      invoiceCount: await q.invoiceCount(tx, org.id, id),
    };
  });
}

export async function vendorForm(db: Db, actor: UserActor, org: OrgContext, id: string | null) {
  authorize(org, 'vendor.manage');
  return withOrg(db, org.id, actor.userId, async (tx) => ({
    currencies: await q.currencies(tx),
    orgCurrency: await q.orgCurrency(tx, org.id),
    vendor: id ? view(await vendorOrThrow(tx, org.id, id)) : null,
  }));
}

export async function createVendor(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  input: VendorInput,
): Promise<{ id: string; name: string }> {
  authorize(org, 'vendor.manage');
  const pay = paymentDetails(input, null);
  try {
    return await withOrg(db, org.id, actor.userId, async (tx) => {
      authorize(await currentOrg(tx, org, actor), 'vendor.manage');
      const currency = await currencyOrThrow(tx, input.default_currency);
      const id = await q.insertVendor(tx, {
        org_id: org.id,
        name: input.name,
        tax_id: input.tax_id,
        ...pay,
        default_currency: currency,
        email: input.email || null,
      });
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: VENDOR_AUDIT.created,
        target: { type: 'vendor', id },
        changes: {
          name: input.name,
          tax_id: input.tax_id,
          default_currency: currency,
          payment_details: maskedPaymentDetails(pay),
        },
      });
      return { id, name: input.name };
    });
  } catch (err) {
    return duplicateTaxId(db, actor, org, err, input.tax_id);
  }
}

/**
 * Saves a vendor's changes. Every changed field is audited with old and new value; a change
 * of bank details also gets its own entry (vendor.payment_details_changed), masked, because
 * redirected payments are the fraud finance teams are asked about.
 */
export async function updateVendor(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
  input: VendorInput,
): Promise<{ name: string; changed: string[] }> {
  authorize(org, 'vendor.manage');
  try {
    return await withOrg(db, org.id, actor.userId, async (tx) => {
      authorize(await currentOrg(tx, org, actor), 'vendor.manage');
      const before = await vendorOrThrow(tx, org.id, id, true);
      const pay = paymentDetails(input, before);
      const after = {
        name: input.name,
        tax_id: input.tax_id,
        bic: pay.bic,
        default_currency: await currencyOrThrow(tx, input.default_currency),
        email: input.email || null,
      };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(after) as (keyof typeof after)[]) {
        if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
      }
      const paymentChanged = before.iban !== pay.iban || before.account_number !== pay.account_number;
      const payment = { from: maskedPaymentDetails(before), to: maskedPaymentDetails(pay) };
      if (paymentChanged) changes.payment_details = payment;
      const changed = Object.keys(changes);
      if (changed.length === 0) return { name: before.name, changed };
      await q.updateVendor(tx, org.id, id, { ...after, iban: pay.iban, account_number: pay.account_number });
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: VENDOR_AUDIT.updated,
        target: { type: 'vendor', id },
        changes,
      });
      if (paymentChanged)
        await recordAudit(tx, {
          orgId: org.id,
          actor,
          action: VENDOR_AUDIT.payment_details_changed,
          target: { type: 'vendor', id },
          changes: { name: after.name, ...payment },
        });
      return { name: after.name, changed };
    });
  } catch (err) {
    return duplicateTaxId(db, actor, org, err, input.tax_id);
  }
}

/** Archived vendors keep their invoices and history but are not offered for new invoices. */
export async function setVendorArchived(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
  archived: boolean,
): Promise<{ name: string }> {
  authorize(org, 'vendor.manage');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    authorize(await currentOrg(tx, org, actor), 'vendor.manage');
    const v = await vendorOrThrow(tx, org.id, id, true);
    if (!(await q.setArchived(tx, org.id, id, archived)))
      throw new ConflictError(`${v.name} is already ${archived ? 'archived' : 'active'}.`);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: archived ? VENDOR_AUDIT.archived : VENDOR_AUDIT.unarchived,
      target: { type: 'vendor', id },
      changes: { name: v.name },
    });
    return { name: v.name };
  });
}

/** The vendors a new or edited invoice may name (for the invoice form, through this module). */
export async function vendorsForInvoices(tx: Tx, orgId: string) {
  return q.activeVendors(tx, orgId);
}

export async function vendorForInvoice(tx: Tx, orgId: string, id: string) {
  return q.vendor(tx, orgId, id);
}

export const currencies = q.currencies;

/**
 * The org's vendors in id order after `afterId`, payment details already masked: an export
 * is a data export, not a bank file, so the full account never leaves through it.
 */
export async function vendorsForExport(tx: Tx, orgId: string, opts: { afterId?: string; limit: number }) {
  const rows = await q.vendorBatch(tx, orgId, opts);
  return rows.map(({ iban, account_number, ...v }) => ({
    ...v,
    payment: maskedPaymentDetails({ iban, account_number }),
  }));
}

export async function vendorCount(tx: Tx, orgId: string): Promise<number> {
  return q.vendorCount(tx, orgId);
}
