import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OrgContext, Viewer } from '../http/types.ts';
import '../http/types.ts';
import { cspNonce } from '../security/headers.ts';
import { takeFlash, type Flash } from './flash.ts';

export type NavEntry = { label: string; path: string; more?: boolean };

/** Everything the layout needs, gathered once per page. */
export type PageContext = {
  nonce: string;
  csrfToken: string;
  requestId: string;
  path: string;
  viewer: Viewer | null;
  org: OrgContext | null;
  flash: Flash[];
  orgNav: NavEntry[];
  devTools: boolean;
};

type OrgNavEntry = {
  label: string;
  path: string;
  order: number;
  show?: (org: OrgContext) => boolean;
  /** Pages used now and then (members, settings…) go under "More", keeping the bar short. */
  more?: boolean;
};
const orgNavEntries: OrgNavEntry[] = [];

/**
 * Modules add their org pages to the main navigation (path relative to /o/:slug); `show`
 * hides an entry from roles that may not open the page.
 */
export function addOrgNav(entry: OrgNavEntry): void {
  if (!orgNavEntries.some((e) => e.path === entry.path)) {
    orgNavEntries.push(entry);
    orgNavEntries.sort((a, b) => a.order - b.order);
  }
}

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  const org = request.org;
  return {
    nonce: cspNonce(request.raw),
    csrfToken: reply.generateCsrf(),
    requestId: request.id,
    path: request.url.split('?')[0] ?? '/',
    viewer: request.viewer,
    org,
    flash: takeFlash(request, reply),
    orgNav: org
      ? orgNavEntries
          .filter((e) => !e.show || e.show(org))
          .map((e) => ({ label: e.label, path: `/o/${org.slug}${e.path}`, more: e.more }))
      : [],
    devTools: !request.server.isProduction,
  };
}
