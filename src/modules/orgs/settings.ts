// Organization settings: name, billing email, default currency, approval threshold, 2FA requirement.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ValidationError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { queueMail } from '../../core/mail/mail.ts';
import { parseAmount, toDecimalString } from '../../core/money.ts';
import { optionalEmailAddress } from '../../core/schemas.ts';
import { authorize } from './policy.ts';
import * as q from './queries.ts';
import { ORG_AUDIT } from './audit.ts';

export const settingsSchema = z.object({
  name: z.string().trim().min(1, 'Give the organization a name.').max(200, 'That name is too long.'),
  billing_email: optionalEmailAddress('billing@company.com'),
  default_currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Choose a currency.'),
  approval_threshold: z.string().trim().min(1, 'Enter an amount, like 10000.00.').max(30, 'That amount is too long.'),
  require_2fa: z.literal('on').optional(),
});

export type SettingsInput = z.infer<typeof settingsSchema>;

/** The settings page's data: current values as the form shows them, and the currencies to choose from. */
export async function orgSettings(db: Db, actor: UserActor, org: OrgContext) {
  authorize(org, 'org.manage_settings');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const s = await q.orgSettings(tx, org.id);
    const currencies = await q.currencies(tx);
    const minor = currencies.find((c) => c.code === s.default_currency)?.minor_units ?? 2;
    return {
      currencies,
      values: {
        name: s.name,
        billing_email: s.billing_email ?? '',
        default_currency: s.default_currency,
        approval_threshold: toDecimalString(s.approval_threshold_minor, minor),
        ...(s.require_2fa ? { require_2fa: 'on' } : {}),
      },
    };
  });
}

/**
 * Saves the settings. Every changed field is audited with its old and new value; a new
 * billing email is also announced to the previous billing address (a hijacked account
 * redirecting invoices is the risk this guards against).
 */
export async function updateOrgSettings(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  input: SettingsInput,
): Promise<{ changed: string[] }> {
  authorize(org, 'org.manage_settings');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    await q.lockOrg(tx, org.id);
    const before = await q.orgSettings(tx, org.id);
    const currency = (await q.currencies(tx)).find((c) => c.code === input.default_currency);
    if (!currency) throw new ValidationError({ default_currency: 'Choose one of the listed currencies.' });
    const threshold = parseAmount(input.approval_threshold, currency.minor_units);
    if (threshold === null || threshold <= 0n) {
      throw new ValidationError({
        approval_threshold: `Enter a positive amount with at most ${currency.minor_units} decimals, like 10000${currency.minor_units ? '.00' : ''}.`,
      });
    }
    const requireTwoFactor = input.require_2fa === 'on';
    if (requireTwoFactor && !before.require_2fa && !(await q.hasTwoFactor(tx, actor.userId))) {
      throw new ValidationError({
        require_2fa: 'Turn on two-factor authentication for your own account first, or you would lock yourself out.',
      });
    }
    const after = {
      name: input.name,
      billing_email: input.billing_email || null,
      default_currency: currency.code,
      approval_threshold_minor: threshold.toString(),
      require_2fa: requireTwoFactor,
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(after) as (keyof typeof after)[]) {
      if (String(before[key]) !== String(after[key])) changes[key] = { from: before[key], to: after[key] };
    }
    const changed = Object.keys(changes);
    if (changed.length === 0) return { changed };
    await q.updateOrg(tx, org.id, after);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: ORG_AUDIT.settings_changed,
      target: { type: 'organization', id: org.id },
      changes,
    });
    if (changes.billing_email) {
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: ORG_AUDIT.billing_email_changed,
        target: { type: 'organization', id: org.id },
        changes: { from: before.billing_email, to: after.billing_email },
      });
      if (before.billing_email) {
        await queueMail(tx, org.id, {
          dedupeKey: `org.billing_email_changed:${randomUUID()}`,
          to: before.billing_email,
          subject: `The billing email of ${after.name} was changed`,
          text: [
            'Hello,',
            '',
            `The billing email of ${after.name} on Ledgerworks was changed from ${before.billing_email} to ${after.billing_email ?? '(none)'}.`,
            'If you did not expect this, contact an owner of the organization right away.',
            '',
            '— Ledgerworks',
          ].join('\n'),
        });
      }
    }
    return { changed };
  });
}
