import * as z from 'zod/mini';
import { ProductIdSchema, UserIdSchema } from '#common/models/price.ts';

/**
 * `GET /price?id=<productId>`: `id` once, and nothing else but the deprecated `userId`, which the identity
 * middleware has already checked against the token's subject (docs/auth.md).
 */
export const GetPriceQuerySchema = z.object({
  id: ProductIdSchema,
  userId: z.optional(UserIdSchema),
});
export type GetPriceQuery = z.infer<typeof GetPriceQuerySchema>;
