import * as z from 'zod/mini';
import { ProductIdSchema, UserIdSchema } from '#common/models/price.ts';

/** `GET /price?id=<productId>&userId=<uuid>`: exactly these two parameters, each once. */
export const GetPriceQuerySchema = z.object({
  id: ProductIdSchema,
  userId: UserIdSchema,
});
export type GetPriceQuery = z.infer<typeof GetPriceQuerySchema>;
