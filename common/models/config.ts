import * as z from 'zod/mini';
import './zod-locale.ts';
import { ConfigTableKeys, MAX_CONFIG_VERSION } from '../constants/config.ts';
import { CurrencySchema } from './price.ts';

/** Config key names: camelCase identifiers. A well-formed name that the registry lacks is a 404, not a 400. */
export const CONFIG_KEY_PATTERN = /^[a-z][A-Za-z0-9]{0,63}$/;

export const ConfigKeyFormatSchema = z.string().check(
  z.regex(CONFIG_KEY_PATTERN, {
    error: 'must be 1 to 64 letters or digits, starting with a lower-case letter',
  }),
);

/** One registry entry: the value's schema, what it means, and the value `npm run db:seed` writes as version 1. */
export interface ConfigKeyDefinition<S extends z.ZodMiniType> {
  schema: S;
  description: string;
  initial: z.output<S>;
}

const defineKey = <S extends z.ZodMiniType>(definition: ConfigKeyDefinition<S>): ConfigKeyDefinition<S> =>
  definition;

/**
 * The closed list of configuration keys and the schema of each value: the single source of truth for
 * config-service (validation on write and on read) and for any function that reads configuration.
 * Adding a key here is the whole change: the seed writes its version 1, the API accepts it.
 * Messages are our own wording and never quote the submitted value.
 */
export const ConfigRegistry = {
  maintenanceMode: defineKey({
    description:
      'When true, GET /price answers 503 MAINTENANCE and reads no price, so clients show a maintenance notice instead.',
    schema: z.boolean({ error: 'must be true or false' }),
    initial: false,
  }),
  supportedCurrencies: defineKey({
    description: 'The ISO 4217 currencies prices may be quoted in.',
    schema: z.array(CurrencySchema, { error: 'must be a list of ISO 4217 codes' }).check(
      z.minLength(1, { error: 'must list at least one currency' }),
      z.maxLength(200, { error: 'must list at most 200 currencies' }),
      z.refine((codes) => new Set(codes).size === codes.length, { error: 'must not list a currency twice' }),
    ),
    initial: ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD'],
  }),
  priceCacheSeconds: defineKey({
    description: 'How long a client may cache a price, in seconds.',
    schema: z
      .int({ error: 'must be a whole number of seconds' })
      .check(z.gte(0, { error: 'must be from 0 to 3600' }), z.lte(3600, { error: 'must be from 0 to 3600' })),
    initial: 60,
  }),
} as const;

/**
 * Keys the registry held once and no longer does. The API answers 404 for them like any unknown key, but
 * their audit items stay in the trail for its whole retention, so the audit query still accepts them.
 * `auditRetentionDays` drove nothing: retention is the per-stage AUDIT_RETENTION_DAYS, set at deploy time.
 */
export const RETIRED_CONFIG_KEYS = Object.freeze(['auditRetentionDays'] as const);

export type ConfigRegistry = typeof ConfigRegistry;
export type ConfigKey = keyof ConfigRegistry;
export type ConfigValue<K extends ConfigKey = ConfigKey> = z.output<ConfigRegistry[K]['schema']>;
/** Every key with its typed value, e.g. for a function that reads the whole configuration. */
export type ConfigValues = { [K in ConfigKey]: ConfigValue<K> };

/** The registry keys in declaration order (the order `GET /config` lists them in). */
export const CONFIG_KEYS = Object.freeze(Object.keys(ConfigRegistry) as ConfigKey[]);

export const ConfigKeySchema = z.enum(CONFIG_KEYS as [ConfigKey, ...ConfigKey[]], {
  error: 'is not a configuration key',
});

export const isConfigKey = (name: string): name is ConfigKey => Object.hasOwn(ConfigRegistry, name);

export const ConfigVersionSchema = z
  .int({ error: 'must be a whole number' })
  .check(
    z.gte(1, { error: 'must be at least 1' }),
    z.lte(MAX_CONFIG_VERSION, { error: `must be at most ${MAX_CONFIG_VERSION}` }),
  );

/** Adds an issue at `value...` when `value` does not fit the schema its key has in the registry. */
const refineValueForKey = (
  item: { key: ConfigKey; value: unknown },
  ctx: z.core.$RefinementCtx<{ key: ConfigKey; value: unknown }>,
): void => {
  // Refinements may run after the key itself failed; there is then no schema to check against.
  if (!isConfigKey(item.key)) return;
  const result = z.safeParse(ConfigRegistry[item.key].schema, item.value);
  if (result.success) return;
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: 'custom', path: ['value', ...issue.path], message: issue.message });
  }
};

const ConfigItemShape = z.object({
  key: ConfigKeySchema,
  value: z.json(),
  version: ConfigVersionSchema,
  updatedAt: z.iso.datetime({ precision: 3 }),
  /** The validated user id of whoever wrote this version. */
  updatedBy: z.uuid(),
});

/** One version of one key, as the API returns it. The value is checked against the key's registry schema. */
export const ConfigItemSchema = ConfigItemShape.check(z.superRefine(refineValueForKey));
export type ConfigItem = z.infer<typeof ConfigItemSchema>;

/**
 * The stored item: the API item plus its table keys and the request that wrote it. Never updated. The
 * value is only required to be JSON here: a key's history keeps values that an earlier schema allowed.
 */
export const ConfigRecordSchema = z.extend(ConfigItemShape, {
  pk: z.string().check(z.startsWith(ConfigTableKeys.partitionPrefix)),
  sk: z.string().check(z.startsWith(ConfigTableKeys.versionPrefix)),
  requestId: z.string().check(z.minLength(1)),
});
export type ConfigRecord = z.infer<typeof ConfigRecordSchema>;

/** A stored item whose value fits its key's current registry schema: the only kind served as "latest". */
export const CurrentConfigRecordSchema = ConfigRecordSchema.check(z.superRefine(refineValueForKey));

/** `CONFIG#<key>`: the partition holding every version of one key. */
export const configPartitionKey = (key: string): string => `${ConfigTableKeys.partitionPrefix}${key}`;

/** `V#0000000042`: zero-padded so that string order is version order. */
export const configVersionSortKey = (version: number): string =>
  `${ConfigTableKeys.versionPrefix}${String(version).padStart(ConfigTableKeys.versionDigits, '0')}`;

/** The stored form of a version. */
export const toConfigRecord = (item: ConfigItem, requestId: string): ConfigRecord => ({
  pk: configPartitionKey(item.key),
  sk: configVersionSortKey(item.version),
  key: item.key,
  value: item.value,
  version: item.version,
  updatedAt: item.updatedAt,
  updatedBy: item.updatedBy,
  requestId,
});

/** The API form of a stored version (table keys and request id are internal). */
export const fromConfigRecord = (record: ConfigRecord): ConfigItem => ({
  key: record.key,
  value: record.value,
  version: record.version,
  updatedAt: record.updatedAt,
  updatedBy: record.updatedBy,
});
