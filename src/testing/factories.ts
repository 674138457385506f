// Test data in one place: an organization with a person per role, vendors, and invoices in any
// state. The owner signs up through the real form; the others sign up too and are added as
// members with the owner role of the database. Vendors and invoices are written straight into
// the database (through the workflow's legal transitions, so the triggers agree: an approved
// invoice gets its approvals from members who may give them, as migration 0014 requires).
import { randomBytes } from 'node:crypto';
import { sql, type Insertable } from 'kysely';
import type { MailOutbox } from '../core/db/generated.ts';
import type { Category, InvoiceStatus } from '../modules/invoices/service.ts';
import type { Role } from '../core/roles.ts';
import type { OrgContext } from '../core/http/types.ts';
import { signUp, type Agent, type TestApp } from './harness.ts';

type Owned = Pick<TestApp, 'owner'>;

/** A role, or a role with a number for a second person in it (`approver2`). */
export type MemberKey = Role | `${Exclude<Role, 'owner'>}${2 | 3}`;

/** One person in each role. */
export const EVERY_ROLE = ['owner', 'admin', 'approver', 'accountant', 'member', 'viewer'] as const;

export type Member = { agent: Agent; email: string; password: string; id: string; name: string; role: Role };

function roleOf(key: MemberKey): Role {
  return key.replace(/\d+$/, '') as Role;
}

/** "approver2" → "Approver2 Person": the name other people see in pages and mails. */
function nameFor(key: MemberKey): string {
  return `${key[0]!.toUpperCase()}${key.slice(1)} Person`;
}

export async function userIdOf(t: Owned, email: string): Promise<string> {
  return (await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

export async function orgIdOf(t: Owned, slug: string): Promise<string> {
  return (await t.owner.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

/** The owners of an org, as membership rows. */
export function ownersOf(t: Owned, orgId: string) {
  return t.owner
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'owner')
    .execute();
}

/** An org's audit entries for `action` (a LIKE pattern when it holds a %: 'vendor.%'), oldest first. */
export function orgAudit(t: Owned, orgId: string, action: string) {
  return t.owner
    .selectFrom('audit_log')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('action', action.includes('%') ? 'like' : '=', action)
    .orderBy('id')
    .execute();
}

/**
 * An organization with its owner (signed up through the form) and one member per requested key.
 * Every agent has loaded a page of the org, so it holds a CSRF token for its first post.
 */
export async function buildOrg<K extends MemberKey = never>(
  t: TestApp,
  opts: { name?: string; ownerName?: string; roles?: readonly K[] } = {},
) {
  const name = opts.name ?? `Org ${randomBytes(3).toString('hex')}`;
  const ownerName = opts.ownerName ?? 'Owner Person';
  const signedUp = await signUp(t.app, { org: name, name: ownerName });
  const slug = signedUp.slug;
  const orgId = await orgIdOf(t, slug);
  const owner: Member = { ...signedUp, id: await userIdOf(t, signedUp.email), name: ownerName, role: 'owner' };
  const people = { owner } as Record<K | 'owner', Member>;
  for (const key of opts.roles ?? []) {
    if (key === 'owner') continue;
    const role = roleOf(key);
    const p = await signUp(t.app, { name: nameFor(key) });
    const id = await userIdOf(t, p.email);
    await t.owner.insertInto('memberships').values({ org_id: orgId, user_id: id, role }).execute();
    people[key] = { ...p, id, name: nameFor(key), role };
  }
  for (const p of Object.values<Member>(people)) await p.agent.get(`/o/${slug}`);
  /** The org as a service call sees it, for calling services directly as a member. */
  const orgOf = (p: Member): OrgContext => ({ id: orgId, slug, name, role: p.role, require2fa: false });
  return { orgId, slug, name, owner, people, orgOf };
}

export type BuiltOrg<K extends MemberKey = never> = Awaited<ReturnType<typeof buildOrg<K>>>;

export async function buildVendor(
  t: Owned,
  orgId: string,
  over: { name?: string; currency?: string; iban?: string } = {},
) {
  return t.owner
    .insertInto('vendors')
    .values({
      org_id: orgId,
      name: over.name ?? `Vendor ${randomBytes(3).toString('hex')}`,
      tax_id: `DE${randomBytes(5).toString('hex').toUpperCase()}`,
      iban: over.iban ?? 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      default_currency: over.currency ?? 'EUR',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

const PATH: Record<InvoiceStatus, InvoiceStatus[]> = {
  draft: [],
  submitted: ['submitted'],
  approved: ['submitted', 'approved'],
  rejected: ['submitted', 'rejected'],
  scheduled: ['submitted', 'approved', 'scheduled'],
  paid: ['submitted', 'approved', 'scheduled', 'paid'],
};

/**
 * An invoice in `status`. `submittedBy` defaults to `createdBy`. A scheduled or paid invoice
 * needs `payoutId`.
 */
export async function buildInvoice(
  t: Owned,
  orgId: string,
  vendorId: string,
  over: {
    status?: InvoiceStatus;
    amountMinor?: number | bigint;
    currency?: string;
    number?: string;
    createdBy?: string | null;
    submittedBy?: string | null;
    dueDate?: string;
    issueDate?: string;
    category?: Category;
    description?: string;
    approvalsRequired?: number;
    payoutId?: string;
    /** A kept PDF's key (<org id>/<uuid>.pdf) under the upload folder. */
    attachmentKey?: string;
  } = {},
) {
  const inv = await t.owner
    .insertInto('invoices')
    .values({
      org_id: orgId,
      vendor_id: vendorId,
      number: over.number ?? `INV-${randomBytes(4).toString('hex').toUpperCase()}`,
      issue_date: over.issueDate ?? '2026-11-01',
      due_date: over.dueDate ?? '2026-12-01',
      amount_minor: String(over.amountMinor ?? 12_500),
      currency: over.currency ?? 'EUR',
      description: over.description ?? 'Test invoice',
      category: over.category ?? 'software',
      created_by: over.createdBy ?? null,
      ...(over.attachmentKey && {
        attachment_key: over.attachmentKey,
        attachment_name: 'invoice.pdf',
        attachment_size: 15,
      }),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const step of PATH[over.status ?? 'draft']) {
    if (step === 'approved') await approveAsMembers(t, inv, over.submittedBy ?? over.createdBy ?? null);
    await t.owner
      .updateTable('invoices')
      .set({
        status: step,
        ...(step === 'submitted'
          ? {
              submitted_at: new Date(),
              submitted_by: over.submittedBy ?? over.createdBy ?? null,
              approvals_required: over.approvalsRequired ?? 1,
            }
          : {}),
        ...(step === 'approved' || step === 'rejected' ? { decided_at: new Date() } : {}),
        ...(step === 'rejected' ? { rejection_reason: 'Test rejection' } : {}),
        ...(step === 'scheduled' ? { payout_id: over.payoutId ?? null } : {}),
        ...(step === 'paid' ? { paid_at: new Date() } : {}),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', inv.id)
      .execute();
  }
  return t.owner
    .selectFrom('invoices')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', inv.id)
    .executeTakeFirstOrThrow();
}

/**
 * Records the approvals a submitted invoice needs, from the org's owners, admins and approvers
 * other than its creator and submitter, those without a limit first, each with the limit it was
 * checked against (as the app records it). An org without enough of them is a mistake in the test.
 */
async function approveAsMembers(
  t: Owned,
  inv: { org_id: string; id: string; created_by: string | null },
  submittedBy: string | null,
) {
  const { approvals_required: required } = await t.owner
    .selectFrom('invoices')
    .select('approvals_required')
    .where('org_id', '=', inv.org_id)
    .where('id', '=', inv.id)
    .executeTakeFirstOrThrow();
  const excluded = [inv.created_by, submittedBy].filter((id): id is string => id !== null);
  const approvers = await t.owner
    .selectFrom('memberships as m')
    .select('m.user_id')
    .where('m.org_id', '=', inv.org_id)
    .where('m.role', 'in', ['owner', 'admin', 'approver'])
    .$if(excluded.length > 0, (q) => q.where('m.user_id', 'not in', excluded))
    .orderBy(sql`m.approval_limit_minor is null`, 'desc')
    .orderBy('m.approval_limit_minor', 'desc')
    .orderBy('m.created_at')
    .limit(required)
    .execute();
  if (approvers.length < required)
    throw new Error(
      `buildInvoice: an approved invoice needs ${required} approver(s) in its org other than its creator and submitter`,
    );
  for (const a of approvers) await buildApproval(t, inv.org_id, inv.id, a.user_id);
}

/** One approval of a submitted invoice, recording the approver's current limit as the app does. */
export async function buildApproval(t: Owned, orgId: string, invoiceId: string, approverId: string): Promise<void> {
  const m = await t.owner
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.org_id')
    .select(['m.approval_limit_minor', 'o.default_currency'])
    .where('m.org_id', '=', orgId)
    .where('m.user_id', '=', approverId)
    .executeTakeFirstOrThrow();
  await t.owner
    .insertInto('invoice_approvals')
    .values({
      org_id: orgId,
      invoice_id: invoiceId,
      approver_id: approverId,
      approval_limit_minor: m.approval_limit_minor,
      approval_limit_currency: m.default_currency,
    })
    .execute();
}

/** A message in the outbox of no org, queued unless told; its id. `key` starts its dedupe key. */
export async function buildMail(
  t: Owned,
  key: string,
  over: Omit<Partial<Insertable<MailOutbox>>, 'dedupe_key'> = {},
): Promise<string> {
  const row = await t.owner
    .insertInto('mail_outbox')
    .values({
      dedupe_key: `${key}-${randomBytes(8).toString('hex')}`,
      to_address: 'someone@example.test',
      subject: 's',
      text_body: 't',
      html_body: null,
      ...over,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
