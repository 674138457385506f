import { NotFoundError } from './errors.ts';
import { isUuid } from '../schemas.ts';

/** A record id from the URL; anything that is not an id answers 404 like an unknown record. */
export function idParam(params: unknown, name: string): string {
  const v = (params as Record<string, unknown> | undefined)?.[name];
  if (typeof v !== 'string' || !isUuid(v)) throw new NotFoundError();
  return v.toLowerCase();
}
