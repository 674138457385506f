// Draft invoices: recorded and corrected before they go into the approval workflow. Once
// submitted, an invoice is frozen (the database's workflow trigger agrees). Any contributor may
// create a draft; only its creator, or an owner or admin, may change it (draftEditRefusal in
// record-rules.ts): an approver who could edit a colleague's draft could set its amount or
// vendor and then approve it, since the approval rules know only the creator and the submitter.
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import type { Invoice } from '../../core/db/schema.ts';
import { CATEGORIES } from './categories.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { parseAmount } from '../../core/money.ts';
import { uuid } from '../../core/schemas.ts';
import { currencies, vendorForInvoice, vendorsForInvoices } from '../vendors/service.ts';
import type { AttachmentStore, Upload } from './attachments.ts';
import { authorize } from './policy.ts';
import { authorizeEdit, notDraft } from './draft-guards.ts';
import { INVOICE_AUDIT } from './audit.ts';

const day = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter the ${label}, like 2026-11-01.`)
    .refine(
      (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
      `That ${label} does not exist.`,
    )
    .refine((v) => v > '1990-01-01', `The ${label} must be after 1 January 1990.`);

export const invoiceSchema = z.object({
  vendor_id: z.string().trim().pipe(uuid('Choose a vendor.')),
  number: z
    .string()
    .trim()
    .min(1, 'Enter the invoice number as printed on the invoice.')
    .max(64, 'An invoice number has at most 64 characters.'),
  issue_date: day('issue date'),
  due_date: day('due date'),
  amount: z.string().trim().min(1, 'Enter the amount, like 1,234.50.').max(30, 'That amount is too long.'),
  // Empty: the vendor's default currency.
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z]{3})?$/, 'Choose a currency.')
    .default(''),
  description: z.string().trim().max(2000, 'The description has at most 2,000 characters.').default(''),
  category: z.enum(CATEGORIES, { message: 'Choose a category.' }),
});

export type InvoiceInput = z.infer<typeof invoiceSchema>;

/** What a draft looks like after validation: the values the invoices row gets. */
type DraftValues = Pick<
  Invoice,
  'vendor_id' | 'number' | 'issue_date' | 'due_date' | 'amount_minor' | 'currency' | 'description' | 'category'
>;

/**
 * Turns a valid form into row values: the vendor must be active (an archived one may stay
 * on a draft that already names it), the amount fit the currency's decimals, the due date
 * not precede the issue date.
 */
async function draftValues(
  tx: Tx,
  orgId: string,
  input: InvoiceInput,
  keepVendorId: string | null,
): Promise<{ values: DraftValues; vendorName: string }> {
  const errors: Record<string, string> = {};
  const vendor = await vendorForInvoice(tx, orgId, input.vendor_id);
  // The form offers only the org's vendors: an id it does not know is another org's, or forged.
  if (!vendor) throw new NotFoundError('We could not find that vendor.');
  if (vendor.archived_at && vendor.id !== keepVendorId)
    errors.vendor_id = `${vendor.name} is archived. Choose an active vendor.`;
  const code = input.currency || vendor?.default_currency || '';
  const currency = (await currencies(tx)).find((c) => c.code === code);
  if (!currency && !errors.vendor_id) errors.currency = 'Choose one of the listed currencies.';
  let amount: bigint | null = null;
  if (currency) {
    amount = parseAmount(input.amount, currency.minor_units);
    const example = currency.minor_units ? `1,234.${'5'.padEnd(currency.minor_units, '0')}` : '1,234';
    if (amount === null) {
      errors.amount = currency.minor_units
        ? `Enter an amount with at most ${currency.minor_units} decimals for ${currency.code}, like ${example}.`
        : `${currency.code} has no decimals: enter a whole amount, like ${example}.`;
    } else if (amount <= 0n) errors.amount = 'The amount must be more than zero.';
    else if (amount >= 1_000_000_000_000_000n) errors.amount = 'That amount is too large.';
  }
  if (input.due_date < input.issue_date) errors.due_date = 'The due date cannot be before the issue date.';
  if (Object.keys(errors).length || !vendor || !currency || amount === null) throw new ValidationError(errors);
  return {
    vendorName: vendor.name,
    values: {
      vendor_id: vendor.id,
      number: input.number,
      issue_date: input.issue_date,
      due_date: input.due_date,
      amount_minor: amount.toString(),
      currency: currency.code,
      description: input.description,
      category: input.category,
    },
  };
}

/** The invoice number is unique per vendor (case ignored): told next to the field, never a 500. */
function duplicateNumber(err: unknown, number: string, vendorName: string | null): never {
  const e = err as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint === 'invoices_vendor_number_key') {
    throw new ValidationError({ number: `Invoice ${number} from ${vendorName ?? 'this vendor'} is already recorded.` });
  }
  if (e.code === '23514' && e.constraint === 'invoices_workflow')
    throw new ConflictError('This invoice was submitted a moment ago: only drafts can be edited.');
  throw err;
}

/** The invoice form's choices; for an edit, also the draft as it is now. */
export async function invoiceForm(db: Db, actor: UserActor, org: OrgContext, invoiceId: string | null) {
  authorize(org, invoiceId ? 'invoice.edit' : 'invoice.create');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const invoice = invoiceId
      ? await tx
          .selectFrom('invoices')
          .selectAll()
          .where('org_id', '=', org.id)
          .where('id', '=', invoiceId)
          .executeTakeFirst()
      : null;
    if (invoiceId && !invoice) throw new NotFoundError('That invoice does not exist.');
    if (invoice) await authorizeEdit(tx, actor, org, invoice);
    const vendors = await vendorsForInvoices(tx, org.id);
    // A draft may keep naming a vendor archived since.
    const current =
      invoice && !vendors.some((v) => v.id === invoice.vendor_id)
        ? await vendorForInvoice(tx, org.id, invoice.vendor_id)
        : null;
    return {
      invoice: invoice ?? null,
      vendors: current ? [...vendors, current] : vendors,
      currencies: await currencies(tx),
    };
  });
}

export async function createInvoice(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  input: InvoiceInput & { attachment: Upload | null },
  files: AttachmentStore,
): Promise<{ id: string }> {
  authorize(org, 'invoice.create');
  let vendorName: string | null = null;
  let kept: { key: string } | null = null;
  try {
    return await withOrg(db, org.id, actor.userId, async (tx) => {
      const draft = await draftValues(tx, org.id, input, null);
      vendorName = draft.vendorName;
      const file = input.attachment ? await files.keep(org.id, input.attachment) : null;
      kept = file;
      const { id } = await tx
        .insertInto('invoices')
        .values({
          org_id: org.id,
          ...draft.values,
          created_by: actor.userId,
          attachment_key: file?.key ?? null,
          attachment_name: file?.name ?? null,
          attachment_size: file?.size ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: INVOICE_AUDIT.created,
        target: { type: 'invoice', id },
        changes: {
          ...draft.values,
          vendor: draft.vendorName,
          ...(file ? { attachment: { name: file.name, size: file.size } } : {}),
        },
      });
      return { id };
    });
  } catch (err) {
    if (kept) await files.remove((kept as { key: string }).key);
    return duplicateNumber(err, input.number, vendorName);
  }
}

/**
 * Saves a draft's changes (each changed field audited with old and new value). A new PDF
 * replaces the old one, whose file is deleted once the change is committed.
 */
export async function updateInvoice(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
  input: InvoiceInput & { attachment: Upload | null },
  files: AttachmentStore,
): Promise<{ changed: string[] }> {
  authorize(org, 'invoice.edit');
  let vendorName: string | null = null;
  let kept: { key: string } | null = null;
  let replaced: string | null = null;
  try {
    const result = await withOrg(db, org.id, actor.userId, async (tx) => {
      const before = await tx
        .selectFrom('invoices')
        .selectAll()
        .where('org_id', '=', org.id)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new NotFoundError('That invoice does not exist.');
      await authorizeEdit(tx, actor, org, before);
      const draft = await draftValues(tx, org.id, input, before.vendor_id);
      vendorName = draft.vendorName;
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(draft.values) as (keyof DraftValues)[]) {
        if (String(before[key]) !== String(draft.values[key]))
          changes[key] = { from: before[key], to: draft.values[key] };
      }
      const file = input.attachment ? await files.keep(org.id, input.attachment) : null;
      kept = file;
      if (file) changes.attachment = { from: before.attachment_name, to: file.name };
      const changed = Object.keys(changes);
      if (changed.length === 0) return { changed };
      const updated = await tx
        .updateTable('invoices')
        .set({
          ...draft.values,
          ...(file ? { attachment_key: file.key, attachment_name: file.name, attachment_size: file.size } : {}),
          updated_at: sql<Date>`now()`,
        })
        .where('org_id', '=', org.id)
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw notDraft(before);
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: INVOICE_AUDIT.updated,
        target: { type: 'invoice', id },
        changes: { number: draft.values.number, ...changes },
      });
      if (file) replaced = before.attachment_key;
      return { changed };
    });
    if (replaced) await files.remove(replaced);
    return result;
  } catch (err) {
    if (kept) await files.remove((kept as { key: string }).key);
    return duplicateNumber(err, input.number, vendorName);
  }
}

/**
 * The PDF of an invoice, for any member of its org. A read, recorded as one: the audit log says who
 * took which invoice's document (it holds the vendor's bank details), and nothing else changes.
 */
export async function invoiceAttachment(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
): Promise<{ key: string; name: string; size: number }> {
  authorize(org, 'invoice.view');
  const inv = await withOrg(db, org.id, actor.userId, async (tx) => {
    const found = await tx
      .selectFrom('invoices')
      .select(['number', 'attachment_key', 'attachment_name', 'attachment_size'])
      .where('org_id', '=', org.id)
      .where('id', '=', id)
      .executeTakeFirst();
    if (found?.attachment_key)
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: INVOICE_AUDIT.attachment_downloaded,
        target: { type: 'invoice', id },
        changes: { number: found.number, file: found.attachment_name },
      });
    return found;
  });
  if (!inv) throw new NotFoundError('That invoice does not exist.');
  if (!inv.attachment_key || !inv.attachment_name || inv.attachment_size === null)
    throw new NotFoundError('This invoice has no PDF attached.');
  return { key: inv.attachment_key, name: inv.attachment_name, size: inv.attachment_size };
}
