import * as z from 'zod/mini';
import { __Pascal__IdSchema } from '#common/models/__name__.ts';
import { UserIdSchema } from '#common/models/price.ts';

/** `GET /__name__?id=<itemId>&userId=<uuid>`: exactly these two parameters, each once. */
export const Get__Pascal__QuerySchema = z.object({
  id: __Pascal__IdSchema,
  userId: UserIdSchema,
});
export type Get__Pascal__Query = z.infer<typeof Get__Pascal__QuerySchema>;
