import * as z from 'zod/mini';
import { ConfigKeyFormatSchema, ConfigVersionSchema } from '#common/models/config.ts';
import { ErrorBodySchema } from '#common/models/error.ts';
import { CurrencySchema, ProductIdSchema, UserIdSchema } from '#common/models/price.ts';

/**
 * What API Gateway itself answers, before or instead of a function: an authorizer's refusal, a body over
 * its payload quota, a failed integration. The lite runner (start-api) answers the same way.
 */
export const GatewayErrorSchema = z.object({ message: z.string() });

/**
 * Descriptions and examples for the shared schemas. They live here, not on the schemas in common/, so the
 * Lambda bundles do not carry documentation: this process registers them in Zod's global registry, which
 * zod-openapi reads, before it builds the document.
 */
const DOCS: ReadonlyArray<[z.ZodMiniType, Record<string, unknown>]> = [
  [ProductIdSchema, { description: 'A product id as the legacy system issues it.', example: 'PROD-101' }],
  [
    UserIdSchema,
    {
      description: 'The caller’s user id (a UUID, compared lower-cased).',
      example: '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c',
    },
  ],
  [CurrencySchema, { description: 'An ISO 4217 currency code.', example: 'USD' }],
  [ConfigKeyFormatSchema, { description: 'A configuration key name.', example: 'priceCacheSeconds' }],
  [ConfigVersionSchema, { description: 'A version number; each write adds one.', example: 3 }],
  [
    ErrorBodySchema,
    {
      description:
        'Every error a function answers. `code` is stable; `details` lists the invalid fields of a 400 and never quotes their values.',
    },
  ],
];

/** The `userId` query parameter of every route: deprecated, the caller is the token's subject. */
const DEPRECATED_USER_ID = {
  param: {
    deprecated: true,
    description:
      'Deprecated: the caller is the token’s subject. Accepted only when it equals that subject; any other value is 403 IDENTITY_MISMATCH.',
  },
};

let registered = false;
/** Registers the docs above, and marks `userId` deprecated in each of the operations' `queries`. */
export const registerSchemaDocs = (queries: readonly unknown[]): void => {
  if (registered) return;
  registered = true;
  for (const [schema, meta] of DOCS) z.globalRegistry.add(schema, meta);
  for (const query of queries) {
    const userId = (query as z.ZodMiniObject).shape.userId;
    if (userId) z.globalRegistry.add(userId, DEPRECATED_USER_ID);
  }
};
