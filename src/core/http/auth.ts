import type { FastifyRequest } from 'fastify';
import type { UserActor } from '../audit/audit.ts';

import { DomainError, NotFoundError } from './errors.ts';
import type { OrgContext, Viewer } from './types.ts';

/** Thrown when a page needs a signed-in person; the error handler sends them to sign in. */
export class NotAuthenticatedError extends DomainError {
  override readonly statusCode = 401;
  constructor() {
    super('Please sign in to continue.');
  }
}

export function requireViewer(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new NotAuthenticatedError();
  return request.viewer;
}

/** The signed-in person acting in a request (request.actor, set by the session hook), for services and the audit log. */
export function requireActor(request: FastifyRequest): UserActor {
  const actor = request.actor;
  if (actor.userId === null) throw new NotAuthenticatedError();
  return actor;
}

/** A redirect target is only ever a path on this site (no //evil.example, no scheme). */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string') return null;
  return /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : null;
}

/** The org of a request under /o/:org/, set by the org scope after checking membership. */
export function requireOrg(request: FastifyRequest): OrgContext {
  if (!request.org) throw new NotFoundError();
  return request.org;
}
