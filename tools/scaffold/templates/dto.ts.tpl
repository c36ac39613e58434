import * as z from 'zod/mini';
import { __Pascal__IdSchema } from '#common/models/__name__.ts';
import { UserIdSchema } from '#common/models/price.ts';

/**
 * `GET /__name__?id=<itemId>`: `id` once, and nothing else but the deprecated `userId`, which the identity
 * middleware has already checked against the token's subject (docs/auth.md).
 */
export const Get__Pascal__QuerySchema = z.object({
  id: __Pascal__IdSchema,
  userId: z.optional(UserIdSchema),
});
export type Get__Pascal__Query = z.infer<typeof Get__Pascal__QuerySchema>;
