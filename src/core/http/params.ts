import { NotFoundError } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A record id from the URL; anything that is not an id answers 404 like an unknown record. */
export function idParam(params: unknown, name: string): string {
  const v = (params as Record<string, unknown> | undefined)?.[name];
  if (typeof v !== 'string' || !UUID.test(v)) throw new NotFoundError();
  return v.toLowerCase();
}
