import { z } from 'zod';

/** A new password, wherever one is chosen: sign-up, reset, change, the operator's command line. */
export const newPassword = z
  .string('Use at least 10 characters.')
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.')
  .refine((p) => p.trim().length > 0, 'A password of spaces is not a password.');
