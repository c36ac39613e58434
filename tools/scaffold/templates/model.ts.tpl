import * as z from 'zod/mini';
import './zod-locale.ts';

/** Ids of __name__ items: 1 to 64 letters, digits, `_` and `-`, starting with a letter or digit. */
export const __Pascal__IdSchema = z.string().check(
  z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
    error: 'must be 1 to 64 letters, digits, "_" or "-", starting with a letter or digit',
  }),
);

/** One item of the __name__ table, as stored and as returned by GET /__name__. */
export const __Pascal__ItemSchema = z.object({
  id: __Pascal__IdSchema,
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  updatedAt: z.iso.datetime(),
});
export type __Pascal__Item = z.infer<typeof __Pascal__ItemSchema>;
