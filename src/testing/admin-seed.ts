// Records of two orgs in every table a back-office list reads, plus known secrets (a session's
// token hash, a TOTP secret, an IBAN, an invitation's token hash, a password hash) that no list
// page may ever show.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { buildInvoice, buildOrg, buildVendor, type BuiltOrg } from './factories.ts';
import type { TestApp } from './harness.ts';

export type SeededOrg = { orgId: string; slug: string; name: string; ownerId: string };

export type SeededOrgs = {
  a: SeededOrg;
  b: SeededOrg;
  /** The lists whose rows belong to an org (each shows both). */
  listsWithOrgs: readonly string[];
  /** Values that must never appear in a back-office page. */
  secrets: Record<string, string>;
};

export const SEEDED_IBAN = 'GB82WEST12345698765432';
const TOTP_SECRET = 'v1.SEALEDTOTPSECRETVALUE0000000000';

async function fill(t: TestApp, org: BuiltOrg, n: number): Promise<void> {
  const { orgId } = org;
  const vendor = await buildVendor(t, orgId, { name: `Seeded vendor ${n}`, iban: SEEDED_IBAN });
  await buildInvoice(t, orgId, vendor.id, { number: `SEED-${n}-1`, status: 'submitted', createdBy: org.owner.id });
  await buildInvoice(t, orgId, vendor.id, { number: `SEED-${n}-2`, createdBy: org.owner.id });
  await t.owner
    .insertInto('payouts')
    .values({ org_id: orgId, reference: `PAY-SEED-${n}`, currency: 'EUR', created_by: org.owner.id })
    .execute();
  await t.owner
    .insertInto('imports')
    .values({ org_id: orgId, kind: 'vendors', file_key: `${orgId}/x.csv`, file_name: `seed-${n}.csv`, file_size: 10 })
    .execute();
  await t.owner.insertInto('exports').values({ org_id: orgId, kind: 'invoices', created_by: org.owner.id }).execute();
  await t.owner.insertInto('monthly_reports').values({ org_id: orgId, month: '2026-10-01', data: '{}' }).execute();
  await t.owner
    .insertInto('invitations')
    .values({
      org_id: orgId,
      email: `invitee-${n}-${randomBytes(3).toString('hex')}@example.test`,
      role: 'member',
      token_hash: randomBytes(32),
      invited_by: org.owner.id,
      expires_at: sql<Date>`now() + interval '7 days'`,
    })
    .execute();
  await t.owner
    .insertInto('task_runs')
    .values({ org_id: orgId, task: 'exports.build_export', max_attempts: 3, status: 'failed', error: 'disk full' })
    .execute();
  await t.owner
    .insertInto('audit_log')
    .values({
      org_id: orgId,
      actor_user_id: org.owner.id,
      action: 'vendor.created',
      target_type: 'vendor',
      target_id: vendor.id,
    })
    .execute();
}

export async function seedTwoOrgs(t: TestApp): Promise<SeededOrgs> {
  const a = await buildOrg(t, { name: `Northwind ${randomBytes(2).toString('hex')}` });
  const b = await buildOrg(t, { name: `Globex ${randomBytes(2).toString('hex')}` });
  await fill(t, a, 1);
  await fill(t, b, 2);
  // Work of no org: a nightly cleanup, a mail, a CSP report.
  await t.owner.insertInto('task_runs').values({ task: 'platform.cleanup_sessions', max_attempts: 1 }).execute();
  await t.owner
    .insertInto('mail_outbox')
    .values({
      dedupe_key: `seed-${randomBytes(4).toString('hex')}`,
      to_address: 'someone@example.test',
      subject: 'Seeded mail',
      text_body: 'reset token SECRETRESETTOKEN',
    })
    .execute();
  await t.owner
    .insertInto('csp_reports')
    .values({ blocked_uri: 'https://evil.example/x.js', violated_directive: 'script-src-elem', raw: '{}' })
    .execute();
  await t.owner
    .updateTable('users')
    .set({ totp_secret: TOTP_SECRET, totp_enabled_at: new Date() })
    .where('id', '=', a.owner.id)
    .execute();
  const session = await t.owner
    .selectFrom('sessions')
    .select('id_hash')
    .where('user_id', '=', a.owner.id)
    .executeTakeFirstOrThrow();
  const user = await t.owner
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', a.owner.id)
    .executeTakeFirstOrThrow();
  const invitation = await t.owner
    .selectFrom('invitations')
    .select('token_hash')
    .where('org_id', '=', a.orgId)
    .executeTakeFirstOrThrow();
  const org = (o: BuiltOrg): SeededOrg => ({ orgId: o.orgId, slug: o.slug, name: o.name, ownerId: o.owner.id });
  return {
    a: org(a),
    b: org(b),
    listsWithOrgs: [
      'organizations',
      'memberships',
      'invitations',
      'vendors',
      'invoices',
      'payouts',
      'imports',
      'exports',
      'reports',
      'task-runs',
      'audit-log',
    ],
    secrets: {
      iban: SEEDED_IBAN,
      'totp secret': TOTP_SECRET,
      'session token hash': session.id_hash.toString('hex'),
      'session token hash (base64)': session.id_hash.toString('base64'),
      'password hash': user.password_hash,
      'invitation token hash': invitation.token_hash.toString('hex'),
      'mail body': 'SECRETRESETTOKEN',
    },
  };
}
