// Queries of the notifications module, read in the org's transaction (row-level security
// scopes them): who may hear of an event, how each person chose to hear, the digest queue.
import type { Tx } from '../../core/db/pool.ts';
import type { NotificationDelivery, NotificationKind } from './kinds.ts';
import type { Role } from '../../core/roles.ts';

/** The org's name and slug, for a notice's text and link. */
export function noticeOrg(tx: Tx, orgId: string) {
  return tx.selectFrom('organizations').select(['slug', 'name']).where('id', '=', orgId).executeTakeFirstOrThrow();
}

/** The members of the org who hold one of the roles: the candidates for a notice. */
export async function memberIdsWithRoles(tx: Tx, orgId: string, roles: readonly Role[]): Promise<string[]> {
  const rows = await tx
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', orgId)
    .where('role', 'in', roles)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export function usersByIds(tx: Tx, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.selectFrom('users').select(['id', 'email', 'name', 'is_active']).where('id', 'in', ids).execute();
}

export async function deliveriesOf(tx: Tx, userIds: string[]): Promise<Map<string, NotificationDelivery>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('notification_preferences')
    .select(['user_id', 'kind', 'delivery'])
    .where('user_id', 'in', userIds)
    .execute();
  return new Map(rows.map((r) => [`${r.user_id}:${r.kind}`, r.delivery]));
}

export async function insertDigestItem(
  tx: Tx,
  item: {
    orgId: string;
    userId: string;
    kind: NotificationKind;
    dedupeKey: string;
    subject: string;
    body: string;
    link: string;
  },
): Promise<boolean> {
  const row = await tx
    .insertInto('notification_queue')
    .values({
      org_id: item.orgId,
      user_id: item.userId,
      kind: item.kind,
      dedupe_key: item.dedupeKey,
      subject: item.subject,
      body: item.body,
      link: item.link,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!row;
}
