import type { z } from 'zod';

export type FormValues = Record<string, string>;
export type FormState = { values: FormValues; errors: Record<string, string>; message?: string };

export const emptyForm: FormState = { values: {}, errors: {} };

/** Keeps what the user typed (as strings) so a re-rendered form loses nothing; passwords are never echoed. */
export function formValues(body: unknown): FormValues {
  const out: FormValues = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string' && !/password|token|^_csrf$|^_submission$|^code$/i.test(k)) out[k] = v;
    }
  }
  return out;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; form: FormState };

/** Validates a form body with its zod schema; on failure, one message per field. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): Parsed<z.infer<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? '_form');
    errors[key] ??= issue.message;
  }
  return { ok: false, form: { values: formValues(body), errors } };
}
