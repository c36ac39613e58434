import * as z from 'zod/mini';
import './zod-locale.ts';

/** The body of every error response. Stable `code`; `details` only for validation errors. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.optional(z.array(z.object({ field: z.string(), issue: z.string() }))),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
