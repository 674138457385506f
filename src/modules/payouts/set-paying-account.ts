// The org's paying bank account, the payer in SEPA files.
import { z } from 'zod';
import { maskIban, normalizeBic, normalizeIban, validBic, validIban } from '../../core/banking.ts';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { currentOrg } from '../../core/http/policy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { authorize } from './policy.ts';
import * as q from './queries.ts';
import { PAYING_ACCOUNT_AUDIT } from './audit.ts';

export const bankAccountSchema = z.object({
  bank_account_name: z
    .string()
    .trim()
    .min(1, 'Enter the account holder’s name.')
    .max(70, 'At most 70 characters (the bank file’s limit).'),
  bank_iban: z
    .string()
    .transform(normalizeIban)
    .refine(validIban, 'Enter a valid IBAN, like DE89 3704 0044 0532 0130 00.'),
  bank_bic: z
    .string()
    .transform(normalizeBic)
    .refine(
      (v) => v === '' || validBic(v),
      'Enter a valid BIC of 8 or 11 characters, like COBADEFFXXX, or leave it empty.',
    ),
});

/** The org's own account, the payer in SEPA files. Audited with the IBAN masked. */
export async function setPayingAccount(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  input: z.infer<typeof bankAccountSchema>,
): Promise<void> {
  authorize(org, 'payout.bank_account');
  await withOrg(db, org.id, actor.userId, async (tx) => {
    authorize(await currentOrg(tx, org, actor), 'payout.bank_account');
    const before = await q.orgFinance(tx, org.id);
    const after = {
      bank_account_name: input.bank_account_name,
      bank_iban: input.bank_iban,
      bank_bic: input.bank_bic || null,
    };
    await q.setBankAccount(tx, org.id, after);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: PAYING_ACCOUNT_AUDIT.bank_account_changed,
      target: { type: 'organization', id: org.id },
      changes: {
        bank_account_name: { from: before.bank_account_name, to: after.bank_account_name },
        bank_iban: { from: before.bank_iban, to: after.bank_iban },
        account_masked: { from: before.bank_iban ? maskIban(before.bank_iban) : null, to: maskIban(after.bank_iban) },
        bank_bic: { from: before.bank_bic, to: after.bank_bic },
      },
    });
  });
}
