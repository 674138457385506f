import { randomBytes, randomUUID } from 'node:crypto';
import { recordAudit, type Actor, type UserActor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import { withOrg, withUser } from '../../core/db/tenancy.ts';
import type { Role } from '../../core/roles.ts';
import type { OrgContext, OrgSummary } from '../../core/http/types.ts';
import { recentRuns, retryFailedRun } from '../../core/tasks/runs.ts';
import type { TaskCatalog } from '../../core/tasks/tasks.ts';
import { authorize, can } from './policy.ts';
import * as q from './queries.ts';
import { MEMBER_AUDIT, ORG_AUDIT, TASK_AUDIT } from './audit.ts';
import type { ActivityFilters } from './activity-filters.ts';
export { orgPaths } from './paths.ts';

/** One entry of the org's audit log, as the activity page and the dashboard show it. */
export type AuditEntry = Awaited<ReturnType<typeof q.auditEntries>>[number];

export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'org';
}

/**
 * Creates an organization with `ownerId` as its owner, inside a transaction already
 * scoped to `orgId` (sign-up creates the user and the org in one transaction).
 */
export async function createOrganizationIn(
  tx: Tx,
  opts: { orgId: string; name: string; ownerId: string; actor: Actor },
): Promise<OrgSummary> {
  const base = slugify(opts.name);
  let slug = base;
  for (let attempt = 0; !(await q.insertOrganization(tx, { id: opts.orgId, name: opts.name, slug })); attempt++) {
    if (attempt > 5) throw new Error('could not find a free organization slug');
    slug = `${base.slice(0, 33)}-${randomBytes(3).toString('hex')}`;
  }
  await q.insertMembership(tx, { org_id: opts.orgId, user_id: opts.ownerId, role: 'owner' });
  await recordAudit(tx, {
    orgId: opts.orgId,
    actor: opts.actor,
    action: ORG_AUDIT.created,
    target: { type: 'organization', id: opts.orgId },
    changes: { name: opts.name, slug },
  });
  return { id: opts.orgId, slug, name: opts.name, role: 'owner', require2fa: false };
}

export async function createOrganization(db: Db, actor: UserActor, name: string): Promise<OrgSummary> {
  const orgId = randomUUID();
  return withOrg(db, orgId, actor.userId, (tx) =>
    createOrganizationIn(tx, { orgId, name, ownerId: actor.userId, actor }),
  );
}

/** Adds a person to an org (demo data). */
export async function addMember(db: Db, actor: Actor, orgId: string, userId: string, role: Role): Promise<void> {
  await withOrg(db, orgId, actor.userId, (tx) => addMemberIn(tx, { orgId, userId, role, actor, via: 'added' }));
}

/**
 * Adds a person to the org of the caller's transaction. False when they already are a
 * member (their role is left as it is).
 */
export async function addMemberIn(
  tx: Tx,
  opts: { orgId: string; userId: string; role: Role; actor: Actor; via: 'added' | 'invitation' },
): Promise<boolean> {
  if (await q.membership(tx, opts.orgId, opts.userId)) return false;
  await q.insertMembership(tx, { org_id: opts.orgId, user_id: opts.userId, role: opts.role });
  await recordAudit(tx, {
    orgId: opts.orgId,
    actor: opts.actor,
    action: opts.via === 'invitation' ? MEMBER_AUDIT.joined : MEMBER_AUDIT.added,
    target: { type: 'user', id: opts.userId },
    changes: { role: opts.role },
  });
  return true;
}

export { changeRole, leaveOrg, removeMember, setApprovalLimit } from './members.ts';
export { orgSettings, settingsSchema, updateOrgSettings } from './settings.ts';
export { MEMBER_AUDIT, ORG_AUDIT } from './audit.ts';

/** The orgs a user belongs to, read fresh on every request so a removal takes effect at once. */
export function orgsOf(tx: Tx, userId: string): Promise<OrgSummary[]> {
  return q.orgsOfUser(tx, userId);
}

export async function rememberOrg(db: Db, actor: UserActor, org: OrgContext, sessionIdHash: Buffer): Promise<void> {
  await withUser(db, actor.userId, (tx) => q.setSessionOrg(tx, sessionIdHash, org.id));
}

export async function dashboard(db: Db, actor: UserActor, org: OrgContext) {
  authorize(org, 'org.view');
  return withOrg(db, org.id, actor.userId, async (tx) => ({
    memberCount: await q.memberCount(tx, org.id),
    members: await q.membersOf(tx, org.id, 6),
    activity: can(org, 'org.view_activity') ? await q.auditEntries(tx, org.id, { limit: 8 }) : null,
  }));
}

export async function members(db: Db, actor: UserActor, org: OrgContext) {
  authorize(org, 'org.view_members');
  return withOrg(db, org.id, actor.userId, async (tx) => ({
    members: await q.membersOf(tx, org.id),
    currency: await q.defaultCurrency(tx, org.id),
  }));
}

export async function activity(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  tasks: TaskCatalog,
  page: { beforeId?: string; filters: ActivityFilters },
) {
  authorize(org, 'org.view_activity');
  const limit = 50;
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const entries = await q.auditEntries(tx, org.id, { ...page, limit: limit + 1 });
    return {
      entries: entries.slice(0, limit),
      nextBefore: entries.length > limit ? entries[limit - 1]?.id : undefined,
      runs: (await recentRuns(tx, org.id, 20)).map((r) => ({ ...r, label: tasks.label(r.task) })),
    };
  });
}

/**
 * Runs a task that failed for good again, as a new run linked to the failed one (which keeps
 * its error): same task, same input. Audited as task.retried.
 */
export async function retryRun(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  runId: string,
  tasks: TaskCatalog,
): Promise<{ label: string; newRunId: string }> {
  authorize(org, 'task.retry');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const { run, newRunId } = await retryFailedRun(tx, tasks, org.id, runId, actor.userId);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: TASK_AUDIT.retried,
      target: { type: 'task_run', id: runId },
      changes: { task: run.task, new_run_id: newRunId, error: run.error },
    });
    return { label: tasks.label(run.task), newRunId };
  });
}
export { supportAccessOf } from './support-access.ts';
