import { userActor } from '../../../core/audit/audit.ts';
import type { Db, Tx } from '../../../core/db/pool.ts';
import { withUser } from '../../../core/db/tenancy.ts';
import type { Impersonation, OrgSummary, Viewer } from '../../../core/http/types.ts';
import { hashToken, newToken } from '../../../core/security/tokens.ts';
import { orgsOf } from '../../orgs/service.ts';
import { auditAccount } from '../audit.ts';
import * as q from '../queries.ts';

// A session's life: started at sign-in (a new token, the old one of this browser ended), looked up
// on every request, ended at sign-out. The cookie holds the token; the database only its hash.

export type SessionMeta = { requestId: string; ip: string; userAgent: string | null };
export type SessionSettings = { idleMinutes: number; absoluteHours: number };

export async function startSession(
  tx: Tx,
  userId: string,
  meta: SessionMeta,
  settings: SessionSettings,
  lastOrgId: string | null,
): Promise<string> {
  const token = newToken();
  await q.insertSession(tx, {
    id_hash: hashToken(token),
    user_id: userId,
    last_org_id: lastOrgId,
    ip: meta.ip,
    user_agent: meta.userAgent?.slice(0, 500) ?? null,
    expires: { hours: settings.absoluteHours },
  });
  return token;
}

/**
 * The session of a staff member's impersonation of a person: its own row, linked to the
 * impersonation, ending when it ends. The staff member's own session stays as it was.
 */
export async function startImpersonationSession(
  tx: Tx,
  imp: { id: string; userId: string; orgId: string | null; endsAt: Date },
  meta: SessionMeta,
): Promise<string> {
  const token = newToken();
  await q.insertSession(tx, {
    id_hash: hashToken(token),
    user_id: imp.userId,
    last_org_id: imp.orgId,
    ip: meta.ip,
    user_agent: meta.userAgent?.slice(0, 500) ?? null,
    expires: { at: imp.endsAt },
    impersonation_id: imp.id,
  });
  return token;
}

/** Ends this browser's previous session (fixation defence), starts a new one and audits the login. */
export async function beginSession(
  tx: Tx,
  userId: string,
  meta: SessionMeta,
  settings: SessionSettings,
  previousSession: Buffer | null,
  how?: Record<string, unknown>,
): Promise<string> {
  if (previousSession) await q.deleteSession(tx, previousSession);
  const token = await startSession(tx, userId, meta, settings, await q.lastUsedOrg(tx, userId));
  await auditAccount(tx, userActor(meta, userId), userId, 'logged_in', how);
  return token;
}

/** Ends the session on the server: the cookie alone is worth nothing afterwards. */
export async function logOut(db: Db, meta: SessionMeta, sessionIdHash: Buffer): Promise<void> {
  await withUser(db, null, async (tx) => {
    const userId = await q.deleteSession(tx, sessionIdHash);
    if (userId) await auditAccount(tx, userActor(meta, userId), userId, 'logged_out');
  });
}

/** A live session: the person, and the staff member acting as them when the session is an impersonation. */
export type LiveSession = { viewer: Viewer; impersonatorId: string | null };

/** The person behind a session token, with their organizations; null when the session is not live. */
export async function sessionFor(db: Db, idHash: Buffer, settings: SessionSettings): Promise<LiveSession | null> {
  const s = await q.liveSession(db, idHash, settings.idleMinutes);
  if (!s) return null;
  if (s.stale) await q.touchSession(db, idHash);
  const all = await withUser(db, s.user_id, (tx) => orgsOf(tx, s.user_id));
  // An impersonation opens the one org it was started for, nothing else of the person's.
  const orgs = s.impersonation_id ? all.filter((o) => o.id === s.impersonation_org_id) : all;
  return { viewer: viewerOf(s, orgs), impersonatorId: s.impersonator_id };
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof q.liveSession>>>;

function impersonationOf(s: SessionRow, orgs: OrgSummary[]): Impersonation | null {
  if (!s.impersonation_id || !s.impersonator_id || !s.impersonation_ends_at) return null;
  return {
    id: s.impersonation_id,
    staffUserId: s.impersonator_id,
    staffName: s.impersonator_name ?? 'a staff member',
    staffRole: s.impersonator_role,
    reason: s.impersonation_reason ?? '',
    orgId: s.impersonation_org_id,
    orgName: orgs.find((o) => o.id === s.impersonation_org_id)?.name ?? null,
    endsAt: s.impersonation_ends_at,
    allowsChanges: s.impersonation_allows_changes ?? false,
  };
}

function viewerOf(s: SessionRow, orgs: OrgSummary[]): Viewer {
  return {
    impersonation: impersonationOf(s, orgs),
    id: s.user_id,
    email: s.email,
    name: s.name,
    timeZone: s.time_zone,
    staffRole: s.staff_role,
    twoFactorEnabled: s.two_factor_enabled,
    authenticatedAt: s.authenticated_at,
    staffSeenAt: s.staff_seen_at,
    orgs,
    lastOrgId: s.last_org_id,
  };
}
