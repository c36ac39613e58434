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

let registered = false;
export const registerSchemaDocs = (): void => {
  if (registered) return;
  registered = true;
  for (const [schema, meta] of DOCS) z.globalRegistry.add(schema, meta);
};
