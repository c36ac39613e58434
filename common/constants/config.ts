/**
 * Key layout of the config table: one immutable item per version, `pk = CONFIG#<key>`,
 * `sk = V#<version zero-padded to 10 digits>`, so a key's versions sort by number and "latest" is one
 * Query read backwards with `Limit: 1`.
 */
export const ConfigTableKeys = {
  partitionPrefix: 'CONFIG#',
  versionPrefix: 'V#',
  versionDigits: 10,
} as const;

/** The highest version the sort key can hold (10 digits). */
export const MAX_CONFIG_VERSION = 9_999_999_999;

/**
 * The actor recorded as `updatedBy` on the version 1 that `npm run db:seed` writes: a fixed, well-formed
 * UUID that no person has, so seeded values are told apart from human changes.
 */
export const SEED_ACTOR_ID = '00000000-0000-4000-8000-000000000000';
