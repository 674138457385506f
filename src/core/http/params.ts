import { z } from 'zod';
import { TOKEN_PATTERN } from '../security/tokens.ts';
import { NotFoundError } from './errors.ts';
import { isUuid, uuid } from '../schemas.ts';

/** A record id in a path: any UUID, lower-cased. */
export const recordId = uuid('Not an id.').transform((v) => v.toLowerCase());

/** The org's slug in /o/:org; the org scope checks it against the person's memberships. */
export const orgSlug = z.string().max(100);

/** Params of a route under /o/:org with no record id. */
export const orgParams = z.object({ org: orgSlug });

/** Params of a route under /o/:org naming records by id, e.g. orgIdParams('invoiceId'). */
export function orgIdParams<const K extends string>(...names: K[]) {
  const shape = Object.fromEntries(names.map((n) => [n, recordId])) as { [P in K]: typeof recordId };
  return z.object({ org: orgSlug, ...shape });
}

/**
 * The token of an emailed link (newToken's format). Anything else cannot be a link we sent: it
 * becomes null, and the page answers as it does for an unknown or expired link.
 */
export const linkToken = z.string().regex(TOKEN_PATTERN).nullable().catch(null);

/** A record id from the URL; anything that is not an id answers 404 like an unknown record. */
export function idParam(params: unknown, name: string): string {
  const v = (params as Record<string, unknown> | undefined)?.[name];
  if (typeof v !== 'string' || !isUuid(v)) throw new NotFoundError();
  return v.toLowerCase();
}
