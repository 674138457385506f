import type { Actor } from '../../../core/audit/audit.ts';
import type { Db, Tx } from '../../../core/db/pool.ts';
import { withUser } from '../../../core/db/tenancy.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../core/http/errors.ts';
import { verifyPassword } from '../../../core/security/passwords.ts';
import type { AppServices } from '../../../core/app-services.ts';
import { seal, unseal, type SecretKeys } from '../../../core/security/secret-box.ts';
import { codeStep, newRecoveryCodes, newTotpSecret, qrDataUri, readCode, totpUri } from './totp.ts';
import { queueTwoFactorNotice } from './mail.ts';
import * as q from './queries.ts';
import { auditAccount } from '../audit.ts';

export type TwoFactorStatus =
  | { state: 'off' }
  | { state: 'enrolling'; secret: string; qr: string }
  | { state: 'on'; since: Date; codesLeft: number };

export type CodeKind = 'totp' | 'recovery_code';

/** What two-factor needs of the app: its keys (sealed secrets, recovery code hashes) and links for the notices. */
export type TwoFactorDeps = Pick<AppServices, 'links' | 'secrets'>;

const WRONG_CODE = 'That code is not valid. Enter the 6-digit code your app shows now.';
const ALREADY_ON = 'Two-factor authentication is already on.';
const NOT_ON = 'Two-factor authentication is not on for your account.';

/** Two-factor settings are personal: nobody, staff included, changes them for someone else. */
function ownAccount(actor: Actor, userId: string): void {
  if (actor.userId !== userId) throw new ForbiddenError();
}

// The sealed secret is bound to its user: copied to another row, it does not open.
const sealContext = (userId: string) => `users.totp_secret:${userId}`;

export function openTotpSecret(keys: SecretKeys, userId: string, sealed: string): string {
  return unseal(keys, sealed, sealContext(userId));
}

async function lockedUser(tx: Tx, userId: string): Promise<q.TwoFactorUser> {
  const user = await q.twoFactorUser(tx, userId, { lock: true });
  if (!user) throw new NotFoundError();
  return user;
}

export async function twoFactorStatus(
  db: Db,
  actor: Actor,
  keys: SecretKeys,
  userId: string,
): Promise<TwoFactorStatus> {
  ownAccount(actor, userId);
  return withUser(db, userId, async (tx) => {
    const user = await q.twoFactorUser(tx, userId, { lock: false });
    if (!user) throw new NotFoundError();
    if (user.totp_enabled_at)
      return { state: 'on', since: user.totp_enabled_at, codesLeft: await q.recoveryCodesLeft(tx, userId) };
    if (!user.totp_secret) return { state: 'off' };
    const secret = openTotpSecret(keys, userId, user.totp_secret);
    return { state: 'enrolling', secret, qr: await qrDataUri(totpUri(secret, user.email)) };
  });
}

/** Step one: a new secret, stored sealed and not yet in force (a new start replaces an unconfirmed one). */
export async function startTwoFactorSetup(db: Db, actor: Actor, keys: SecretKeys, userId: string): Promise<void> {
  ownAccount(actor, userId);
  await withUser(db, userId, async (tx) => {
    if (!(await q.setPendingSecret(tx, userId, seal(keys, newTotpSecret(), sealContext(userId)))))
      throw new ConflictError(ALREADY_ON);
    await auditAccount(tx, actor, userId, 'two_factor_setup_started');
  });
}

/**
 * Step two: a first valid code proves the app holds the secret; two-factor is then on and
 * the recovery codes are returned, to be shown this once (only their keyed hashes are kept).
 */
export async function confirmTwoFactorSetup(
  db: Db,
  actor: Actor,
  deps: TwoFactorDeps,
  userId: string,
  input: { code: string; password: string },
  currentSession: Buffer | null,
): Promise<string[]> {
  ownAccount(actor, userId);
  const user = await withUser(db, userId, (tx) => q.twoFactorUser(tx, userId, { lock: false }));
  if (!user) throw new NotFoundError();
  if (!(await verifyPassword(user.password_hash, input.password)))
    throw new ValidationError({ password: 'That is not your current password.' });
  return withUser(db, userId, async (tx) => {
    const user = await lockedUser(tx, userId);
    if (user.totp_enabled_at) throw new ConflictError(ALREADY_ON);
    if (!user.totp_secret) throw new ConflictError('The setup was not started, or was cancelled. Start it again.');
    const entered = readCode(deps.secrets, input.code);
    const step =
      entered.kind === 'totp' ? codeStep(openTotpSecret(deps.secrets, userId, user.totp_secret), entered.code) : null;
    if (step === null) throw new ValidationError({ code: WRONG_CODE });
    const since = await q.enableTwoFactor(tx, userId, user.totp_secret, step);
    if (!since) throw new ConflictError(ALREADY_ON);
    const { codes, hashes } = newRecoveryCodes(deps.secrets);
    await q.replaceRecoveryCodes(tx, userId, hashes);
    // Sessions opened with the password alone end: from now on every sign-in asks for a code.
    const ended = await q.endOtherSessions(tx, userId, currentSession);
    await auditAccount(tx, actor, userId, 'two_factor_enabled', {
      codes_issued: codes.length,
      devices_signed_out: ended,
    });
    await queueTwoFactorNotice(tx, deps.links, user, 'enabled', since.toISOString());
    return codes;
  });
}

/**
 * Checks a code of an enabled second factor, inside the caller's transaction: a 6-digit
 * code whose time step was not used before, or (when allowed) an unused recovery code,
 * which is then spent, audited and reported to the person by email.
 */
export async function checkCode(
  tx: Tx,
  deps: TwoFactorDeps,
  actor: Actor,
  user: q.TwoFactorUser,
  code: string,
  opts: { allowRecovery: boolean },
): Promise<CodeKind | null> {
  if (!user.totp_enabled_at || !user.totp_secret) return null;
  const entered = readCode(deps.secrets, code);
  if (entered.kind === 'totp') {
    const step = codeStep(openTotpSecret(deps.secrets, user.id, user.totp_secret), entered.code);
    return step !== null && (await q.claimStep(tx, user.id, step)) ? 'totp' : null;
  }
  if (entered.kind === 'recovery' && opts.allowRecovery && (await q.useRecoveryCode(tx, user.id, entered.hash))) {
    const left = await q.recoveryCodesLeft(tx, user.id);
    await auditAccount(tx, actor, user.id, 'recovery_code_used', { codes_left: left });
    await queueTwoFactorNotice(tx, deps.links, user, 'recovery_code_used', entered.hash.toString('hex'), [
      '',
      `You have ${left} unused codes left.`,
    ]);
    return 'recovery_code';
  }
  return null;
}

/** Turning the second factor off takes both factors: the current password and a current code. */
export async function turnOffTwoFactor(
  db: Db,
  actor: Actor,
  deps: TwoFactorDeps,
  userId: string,
  input: { password: string; code: string },
): Promise<void> {
  ownAccount(actor, userId);
  await withUser(db, userId, async (tx) => {
    const user = await lockedUser(tx, userId);
    if (!user.totp_enabled_at) throw new ConflictError(NOT_ON);
    const passwordOk = await verifyPassword(user.password_hash, input.password);
    // A refusal rolls the whole transaction back, so a recovery code checked here is not spent.
    const via = await checkCode(tx, deps, actor, user, input.code, { allowRecovery: true });
    if (!passwordOk || !via) {
      throw new ValidationError({
        ...(passwordOk ? {} : { password: 'That is not your current password.' }),
        ...(via
          ? {}
          : { code: 'That code is not valid. Enter the code your app shows now, or an unused recovery code.' }),
      });
    }
    await q.disableTwoFactor(tx, userId);
    await auditAccount(tx, actor, userId, 'two_factor_disabled', { confirmed_with: via });
    await queueTwoFactorNotice(tx, deps.links, user, 'disabled', user.totp_enabled_at.toISOString());
  });
}

/** New recovery codes replace all old ones; it takes a current code from the app (not a recovery code). */
export async function regenerateRecoveryCodes(
  db: Db,
  actor: Actor,
  deps: TwoFactorDeps,
  userId: string,
  code: string,
): Promise<string[]> {
  ownAccount(actor, userId);
  return withUser(db, userId, async (tx) => {
    const user = await lockedUser(tx, userId);
    if (!user.totp_enabled_at) throw new ConflictError(NOT_ON);
    if (!(await checkCode(tx, deps, actor, user, code, { allowRecovery: false })))
      throw new ValidationError({ code: WRONG_CODE });
    const { codes, hashes } = newRecoveryCodes(deps.secrets);
    await q.replaceRecoveryCodes(tx, userId, hashes);
    await auditAccount(tx, actor, userId, 'recovery_codes_regenerated', { codes_issued: codes.length });
    return codes;
  });
}
