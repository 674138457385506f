// The orgs module's addresses: the person's organizations, and an org's members, settings and activity.
import { orgPath, withQuery } from '../../core/http/paths.ts';

export const orgPaths = {
  list: '/orgs',
  new: '/orgs/new',
  /** The org's home (its dashboard). */
  home: (slug: string) => orgPath(slug),
  members: (slug: string) => orgPath(slug, 'members'),
  member: (slug: string, userId: string, verb: 'role' | 'limit' | 'remove') => orgPath(slug, 'members', userId, verb),
  leave: (slug: string) => orgPath(slug, 'leave'),
  settings: (slug: string) => orgPath(slug, 'settings'),
  supportAccess: (slug: string) => orgPath(slug, 'settings', 'support-access'),
  supportGrants: (slug: string) => orgPath(slug, 'settings', 'support-access', 'grants'),
  revokeSupportGrant: (slug: string, grantId: string) =>
    orgPath(slug, 'settings', 'support-access', 'grants', grantId, 'revoke'),
  /** The Activity page; `query` is its filters and the entry it continues before. */
  activity: (slug: string, query: Record<string, string | undefined> = {}) =>
    withQuery(orgPath(slug, 'activity'), query),
  /** The activity page's background work. */
  runs: (slug: string) => `${orgPath(slug, 'activity')}#runs`,
  retryRun: (slug: string, runId: string) => orgPath(slug, 'activity', 'runs', runId, 'retry'),
} as const;
