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

/** The org's navigation: the modules' entries that the person's role may open. */
function orgNav(request: FastifyRequest, org: OrgContext): NavEntry[] {
  const { nav, accessRules } = request.server.appContext;
  return nav
    .filter((e) => accessRules.get(e.action)?.includes(org.role))
    .map((e) => ({ label: e.label, path: e.path(org.slug), more: e.more }));
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
    orgNav: org ? orgNav(request, org) : [],
    devTools: !request.server.isProduction,
  };
}
