// The input shapes every module checks the same way: record ids and email addresses.
import { z } from 'zod';

/**
 * A record id as PostgreSQL's uuid type takes it: 8-4-4-4-12 hex digits, any case, any version
 * (zod's guid; its stricter uuid also checks RFC 9562's version and variant bits, which the
 * database does not). `error` is the message a form shows when the value is not one.
 */
export function uuid(error?: string) {
  return error === undefined ? z.guid() : z.guid({ error });
}

const anyUuid = uuid();

export function isUuid(value: unknown): value is string {
  return anyUuid.safeParse(value).success;
}

const MAX_EMAIL = 254;
const TOO_LONG = 'That email address is too long.';
const addressFormat = z.email();

export function isEmailAddress(value: string): boolean {
  return addressFormat.safeParse(value).success;
}

/** A required email address as a person types it: trimmed, lower-cased, checked, at most 254 characters. */
export const emailAddress = z
  .string('Enter your email address.')
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter a valid email address, like name@company.com.' }).max(MAX_EMAIL, TOO_LONG));

/** An email address a form may leave empty (''); `example` is shown in the message, e.g. billing@vendor.com. */
export function optionalEmailAddress(example: string) {
  return z
    .string()
    .trim()
    .toLowerCase()
    .max(MAX_EMAIL, TOO_LONG)
    .refine((v) => v === '' || isEmailAddress(v), `Enter a valid email address, like ${example}, or leave it empty.`);
}
