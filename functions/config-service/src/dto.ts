import * as z from 'zod/mini';
import { MAX_CONFIG_VERSION } from '#common/constants/config.ts';
import type { ConfigKey } from '#common/models/config.ts';
import { ConfigKeyFormatSchema, ConfigRegistry, ConfigVersionSchema } from '#common/models/config.ts';
import { UserIdSchema } from '#common/models/price.ts';

/** `/config/{key}` and `/config/{key}/history`: a well-formed key name (whether it exists is the service's call). */
export const ConfigPathSchema = z.object({ key: ConfigKeyFormatSchema });

/**
 * Reads take no parameters but the deprecated `userId`, accepted only when it is the token's subject (the
 * identity middleware checks it); the caller is always the authorizer's.
 */
export const ReadQuerySchema = z.object({ userId: z.optional(UserIdSchema) });

export const HISTORY_DEFAULT_LIMIT = 20;
export const HISTORY_MAX_LIMIT = 100;

const LIMIT_ISSUE = `must be a whole number from 1 to ${HISTORY_MAX_LIMIT}`;
/** Digits only: `Number()` would also accept `1e2`, `0x10` and whitespace. */
const LimitSchema = z.pipe(
  z.pipe(
    z.string().check(z.regex(/^[1-9][0-9]{0,2}$/, { error: LIMIT_ISSUE })),
    z.transform((text: string) => Number(text)),
  ),
  z.int().check(z.lte(HISTORY_MAX_LIMIT, { error: LIMIT_ISSUE })),
);

/** Where the next page of a key's history starts: below version `before`. */
export interface HistoryCursor {
  key: string;
  before: number;
}

const CursorPayloadSchema = z.strictObject({ k: ConfigKeyFormatSchema, v: ConfigVersionSchema });
const CURSOR_ISSUE = 'is not a cursor this API returned';

/** Opaque to callers (base64url JSON); it names its key, so it cannot be replayed against another one. */
export const encodeHistoryCursor = (cursor: HistoryCursor): string =>
  Buffer.from(JSON.stringify({ k: cursor.key, v: cursor.before })).toString('base64url');

const HistoryCursorSchema = z.pipe(
  z.string().check(z.regex(/^[A-Za-z0-9_-]{1,256}$/, { error: CURSOR_ISSUE })),
  z.transform((text: string, ctx): HistoryCursor => {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    } catch {
      payload = undefined;
    }
    const parsed = z.safeParse(CursorPayloadSchema, payload);
    if (!parsed.success) {
      ctx.issues.push({ code: 'custom', message: CURSOR_ISSUE, input: text });
      return z.NEVER;
    }
    return { key: parsed.data.k, before: parsed.data.v };
  }),
);

/** `GET /config/{key}/history?limit=&cursor=&userId=`, newest first. */
export const historyQuerySchema = (key: ConfigKey) =>
  z.object({
    userId: z.optional(UserIdSchema),
    limit: z._default(LimitSchema, HISTORY_DEFAULT_LIMIT),
    cursor: z.optional(
      HistoryCursorSchema.check(
        z.refine((cursor) => cursor.key === key, { error: 'belongs to the history of another key' }),
      ),
    ),
  });

/** `PUT /config/{key}`: the writer is the token's subject; the deprecated `userId` may only repeat it. */
export const PutQuerySchema = z.object({ userId: z.optional(UserIdSchema) });

/**
 * The PUT body for one key: exactly `value` (checked against the key's registry schema, so every wrong
 * field is reported in one response) and `expectedVersion`, the version the caller read (0 for a key that
 * has none yet).
 */
export const putConfigBodySchema = (key: ConfigKey) =>
  z.strictObject({
    value: ConfigRegistry[key].schema,
    expectedVersion: z
      .int({ error: 'must be a whole number' })
      .check(
        z.gte(0, { error: 'must be 0 or more' }),
        z.lte(MAX_CONFIG_VERSION - 1, { error: 'is beyond the last version a key can have' }),
      ),
  });
