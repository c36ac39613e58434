import * as z from 'zod/mini';
import type { ZodOpenApiOperationObject } from 'zod-openapi';
import { ErrorCode } from '#common/constants/error-codes.ts';
import { CONFIG_KEYS, ConfigItemSchema, ConfigRegistry } from '#common/models/config.ts';
import { ErrorBodySchema } from '#common/models/error.ts';
import { PriceSchema } from '#common/models/price.ts';
import { GetPriceQuerySchema } from '#functions/price-fetcher/src/dto.ts';
import {
  ConfigPathSchema,
  PutQuerySchema,
  ReadQuerySchema,
  historyQuerySchema,
  putConfigBodySchema,
} from '#functions/config-service/src/dto.ts';
import { BODY_ERRORS } from './errors.ts';
import type { HeaderDoc } from './errors.ts';
import type { Role } from '#common/constants/roles.ts';
import { ROLE_PERMISSIONS, ROLES } from '#common/constants/roles.ts';
import { GatewayErrorSchema } from './schemas.ts';

/**
 * One API operation as the functions implement it: the schemas are the very ones the handler validates
 * with (imported from each function's dto.ts and from common/models), so the document cannot drift from
 * the code. Only what a schema cannot say (summaries, examples, which error codes a route can answer) is
 * written here.
 */
export interface ApiOperation {
  method: 'get' | 'put';
  /** The route template, as in infra-local/local-debug.yaml. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  requestParams?: ZodOpenApiOperationObject['requestParams'];
  requestBody?: { schema: z.ZodMiniType; examples: Record<string, { summary: string; value: unknown }> };
  success: {
    description: string;
    schema: z.ZodMiniType;
    example: unknown;
    /** Headers of the 200 beside the request and correlation ids. */
    headers?: Record<string, HeaderDoc>;
  };
  /** The error codes this route can answer with, beside the ones every route can (errorsOnEveryRoute). */
  errors: ErrorCode[];
  /** The field a validation error example names; by default `id` on GET /price, `value` on a PUT, else `key`. */
  exampleField?: string;
}

/** The document's tags: one per function, each operation names one. */
export const API_TAGS: readonly { name: string; description: string }[] = [
  { name: 'price', description: 'price-fetcher' },
  { name: 'config', description: 'config-service' },
];

export const EXAMPLE_USER_ID = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
const EXAMPLE_TIME = '2026-12-01T09:30:00.000Z';

const exampleItem = (key: keyof typeof ConfigRegistry, value: unknown, version: number) => ({
  key,
  value,
  version,
  updatedAt: EXAMPLE_TIME,
  updatedBy: EXAMPLE_USER_ID,
});

/**
 * The PUT body as the function validates it: `putConfigBodySchema(key)` for the key in the path. The
 * document cannot make one schema depend on a path parameter, so it lists each key's body (anyOf).
 */
const PutConfigBodySchema = z.union(
  CONFIG_KEYS.map((key) => putConfigBodySchema(key)) as unknown as [z.ZodMiniType, ...z.ZodMiniType[]],
);

/**
 * ConfigItemSchema stores `value` as any JSON and refines it against the key's registry schema; a JSON
 * Schema cannot run that refinement, so the document says what it enforces: one of the registry schemas.
 */
const ConfigItemDocSchema = z.object({
  ...ConfigItemSchema.shape,
  value: z.union(
    CONFIG_KEYS.map((key) => ConfigRegistry[key].schema) as unknown as [z.ZodMiniType, ...z.ZodMiniType[]],
  ),
});

const ConfigListSchema = z.object({ items: z.array(ConfigItemDocSchema) });
/** History keeps every version as written, including values an earlier registry schema allowed. */
const ConfigHistorySchema = z.object({
  items: z.array(ConfigItemSchema),
  /** Pass as `cursor` to read the next (older) page; null on the last page. */
  nextCursor: z.nullable(z.string()),
});

/** The history query of one key; its parameters do not depend on which key. */
const HistoryQuerySchema = historyQuerySchema(CONFIG_KEYS[0]!);

const keyList = CONFIG_KEYS.map((key) => `\`${key}\` (${ConfigRegistry[key].description})`).join(', ');

export const API_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/price',
    operationId: 'getPrice',
    tag: 'price',
    summary: 'The current price of one product',
    description:
      'Reads the price from the legacy price source and writes one immutable audit item for the attempt, ' +
      'whatever its outcome. If the audit item cannot be written, no price is returned (503 AUDIT_UNAVAILABLE). ' +
      'While the `maintenanceMode` configuration key is true, the price source is not read: the answer is ' +
      '503 MAINTENANCE with `Retry-After`, audited as REJECTED. This code is how a client learns of ' +
      'maintenance (a `price-reader` cannot read /config). Each container reads `maintenanceMode` and ' +
      '`priceCacheSeconds` at most every `CONFIG_CACHE_SECONDS` (60 s by default), so a change reaches every ' +
      'container within that time; if the configuration cannot be read, it keeps the values it last read, ' +
      'or the registry defaults (`maintenanceMode` false, `priceCacheSeconds` 60).',
    requestParams: { query: GetPriceQuerySchema },
    success: {
      description: 'The price, with at most two decimals, in an ISO 4217 currency.',
      schema: PriceSchema,
      example: { productId: 'PROD-101', price: 99.99, currency: 'USD' },
      headers: {
        'cache-control': {
          description:
            '`private, max-age=<priceCacheSeconds>`: the caller’s own cache may reuse this price for that ' +
            'many seconds (the `priceCacheSeconds` configuration key); a shared cache must not store it, ' +
            'since every lookup is audited for its caller. `no-store` when `priceCacheSeconds` is 0. Every ' +
            'other answer of the functions is `no-store`.',
          required: true,
          schema: {
            type: 'string',
            pattern: '^(private, max-age=[0-9]+|no-store)$',
            examples: ['private, max-age=60'],
          },
        },
      },
    },
    errors: [ErrorCode.PriceNotFound, ErrorCode.SourceUnavailable, ErrorCode.Maintenance],
  },
  {
    method: 'get',
    path: '/config',
    operationId: 'listConfig',
    tag: 'config',
    summary: 'The latest version of every configuration key',
    description: `Keys are listed in registry order: ${keyList}. The read is audited.`,
    requestParams: { query: ReadQuerySchema },
    success: {
      description: 'Every key with its latest value, version and when it was written.',
      schema: ConfigListSchema,
      example: {
        items: [exampleItem('maintenanceMode', false, 1), exampleItem('priceCacheSeconds', 60, 3)],
      },
    },
    errors: [ErrorCode.ConfigUnavailable],
  },
  {
    method: 'get',
    path: '/config/{key}',
    operationId: 'getConfig',
    tag: 'config',
    summary: 'The latest version of one configuration key',
    description:
      'A well-formed name that is not a registry key is a 404 CONFIG_NOT_FOUND. The read is audited.',
    requestParams: { path: ConfigPathSchema, query: ReadQuerySchema },
    success: {
      description: 'The latest version of the key.',
      schema: ConfigItemDocSchema,
      example: exampleItem('priceCacheSeconds', 60, 3),
    },
    errors: [ErrorCode.ConfigNotFound, ErrorCode.ConfigUnavailable],
  },
  {
    method: 'put',
    path: '/config/{key}',
    operationId: 'putConfig',
    tag: 'config',
    summary: 'Write the next version of a configuration key',
    description:
      'Optimistic locking: `expectedVersion` is the version the caller read (0 for a key with none). If ' +
      'another version was written since, the answer is 409 VERSION_CONFLICT and nothing is written; read ' +
      'the key again, then re-apply or discard. The value must fit the schema of the key in the path. The ' +
      'version and its audit item are written in one transaction.',
    requestParams: { path: ConfigPathSchema, query: PutQuerySchema },
    requestBody: {
      schema: PutConfigBodySchema,
      examples: {
        priceCacheSeconds: { summary: 'priceCacheSeconds', value: { value: 120, expectedVersion: 3 } },
        maintenanceMode: { summary: 'maintenanceMode', value: { value: true, expectedVersion: 1 } },
      },
    },
    success: {
      description: 'The version just written (expectedVersion + 1).',
      schema: ConfigItemDocSchema,
      example: exampleItem('priceCacheSeconds', 120, 4),
    },
    errors: [
      ErrorCode.ConfigNotFound,
      ErrorCode.VersionConflict,
      ErrorCode.ConfigUnavailable,
      ...BODY_ERRORS,
    ],
  },
  {
    method: 'get',
    path: '/config/{key}/history',
    operationId: 'getConfigHistory',
    tag: 'config',
    summary: 'Every version of one configuration key, newest first',
    description:
      'Pages of `limit` versions (default 20, at most 100); `nextCursor` reads the next, older page. A ' +
      "cursor belongs to its key's history. The read is audited.",
    requestParams: { path: ConfigPathSchema, query: HistoryQuerySchema },
    success: {
      description: 'One page of versions, newest first.',
      schema: ConfigHistorySchema,
      example: {
        items: [exampleItem('priceCacheSeconds', 60, 3), exampleItem('priceCacheSeconds', 45, 2)],
        nextCursor: 'eyJrIjoicHJpY2VDYWNoZVNlY29uZHMiLCJ2IjoyfQ',
      },
    },
    errors: [ErrorCode.ConfigNotFound, ErrorCode.ConfigUnavailable],
  },
];

/** Named in components.schemas, so every use is a `$ref` and the generated client gets these names. */
export const COMPONENT_SCHEMAS = {
  Price: PriceSchema,
  ConfigItem: ConfigItemDocSchema,
  ConfigVersion: ConfigItemSchema,
  JsonValue: ConfigItemSchema.shape.value,
  ConfigList: ConfigListSchema,
  ConfigHistoryPage: ConfigHistorySchema,
  PutConfigBody: PutConfigBodySchema,
  ErrorBody: ErrorBodySchema,
  GatewayError: GatewayErrorSchema,
};

/** The roles that allow an operation, any one of them: the authorizer's own table (common/constants/roles.ts). */
export const rolesOf = (operation: Pick<ApiOperation, 'method' | 'path'>): Role[] =>
  ROLES.filter((role) =>
    ROLE_PERMISSIONS[role].some(
      (route) => route.method === operation.method.toUpperCase() && route.path === operation.path,
    ),
  );
