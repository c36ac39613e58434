import * as z from 'zod';
import { CONFIG_KEYS, RETIRED_CONFIG_KEYS } from '#common/models/config.ts';
import { ProductIdSchema, UserIdSchema } from '#common/models/price.ts';

/**
 * An instant given by compliance staff: a full ISO-8601 date-time (any offset) or a calendar date (UTC).
 * A date alone means the start of that day for `from` and its last millisecond for `to`, so
 * `--from 2026-03-01 --to 2026-03-31` covers all of March. The result is the UTC form the sort key holds.
 */
const instant = (edge: 'start' | 'end') =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: 'must be an ISO-8601 date (2026-03-01) or date-time (2026-03-01T09:30:00Z)',
    })
    .transform((text) => {
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
        return `${text}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
      }
      return new Date(text).toISOString();
    });

const TimeRangeSchema = z.object({
  from: instant('start').optional(),
  to: instant('end').optional(),
});

/**
 * A key of today's registry or a retired one (its items are still in the trail): the names are ours, so the
 * message may list them (never the value given).
 */
const RegistryKeySchema = z.enum([...RETIRED_CONFIG_KEYS, ...CONFIG_KEYS], {
  error: `must be a configuration key (${CONFIG_KEYS.join(', ')}; retired: ${RETIRED_CONFIG_KEYS.join(', ')})`,
});

/**
 * "Who looked at this product, and when?", "what did this person look at?" or "who read or changed this
 * config key?", within an optional range.
 */
export const AuditQuerySchema = z
  .discriminatedUnion('by', [
    TimeRangeSchema.extend({ by: z.literal('product'), productId: ProductIdSchema }),
    TimeRangeSchema.extend({ by: z.literal('user'), userId: UserIdSchema }),
    TimeRangeSchema.extend({ by: z.literal('config'), configKey: RegistryKeySchema }),
  ])
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    error: '"from" must not be later than "to"',
    path: ['from'],
  });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
