import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withUser } from '../../core/db/tenancy.ts';
import { ValidationError } from '../../core/http/errors.ts';
import type { StaffRole } from '../../core/http/staff-access.ts';
import { emailAddress } from '../../core/schemas.ts';
import { hashPassword } from '../../core/security/passwords.ts';
import { ACCOUNT_AUDIT } from './audit.ts';
import { newPassword } from './passwords.ts';
import * as q from './queries.ts';
import { sendWelcomeEmail } from './tasks.ts';

// What other modules, the command line and the demo data use of accounts. The account's own
// concerns live in their folders (see module.ts).

/** For the operator's command line and demo data: a person with a password, no organization yet. */
export async function createUser(
  db: Db,
  input: { email: string; name: string; password: string; staffRole?: StaffRole },
): Promise<string> {
  const parsed = z
    .object({ email: emailAddress, name: z.string().trim().min(1).max(200), password: newPassword })
    .safeParse(input);
  if (!parsed.success)
    throw new ValidationError(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
  const id = randomUUID();
  const passwordHash = await hashPassword(parsed.data.password);
  await withUser(db, id, async (tx) => {
    const created = await q.insertUser(tx, {
      id,
      email: parsed.data.email,
      name: parsed.data.name,
      password_hash: passwordHash,
      staff_role: input.staffRole ?? null,
    });
    if (!created) throw new ValidationError({ email: 'An account with this email already exists.' });
    await recordAudit(tx, {
      orgId: null,
      actor: { userId: null },
      action: input.staffRole ? ACCOUNT_AUDIT.staff_created : ACCOUNT_AUDIT.created,
      target: { type: 'user', id },
      changes: { email: parsed.data.email, ...(input.staffRole && { staff_role: input.staffRole }) },
    });
  });
  return id;
}

export async function userCount(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export { sendWelcomeEmail };
export { markStaffSeen, reauthenticate } from './sign-in/reauthenticate.ts';
export {
  DEFAULT_MINUTES as IMPERSONATION_DEFAULT_MINUTES,
  MAX_MINUTES as IMPERSONATION_MAX_MINUTES,
  impersonationForm,
  impersonationTarget,
  refusal as impersonationRefusal,
  startImpersonation,
  type ImpersonationInput,
  type ImpersonationTarget,
} from './impersonation/impersonation.ts';
export { sessionMeta, sessionSettings, switchToImpersonation } from './sessions/cookies.ts';
export { accountFacts, type AccountFacts, type HistoryEntry } from './support/account-facts.ts';
export {
  disableAccount,
  disableSchema,
  enableAccount,
  recordStaffView,
  revokeAllSessions,
  sendResetLink,
  unlockAccount,
} from './support/support-actions.ts';
