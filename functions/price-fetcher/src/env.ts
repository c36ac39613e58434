import * as z from 'zod/mini';
import {
  BaseEnvSchema,
  ConfigTableEnvSchema,
  SqlEnvSchema,
  loadEnv,
  refineAuditRetention,
  refineLocalOnly,
  refineSqlEnv,
} from '#common/utils/env.ts';

/**
 * price-fetcher's environment: the kernel's base and SQL variables, and the config table whose
 * maintenanceMode and priceCacheSeconds it obeys.
 */
export const PriceFetcherEnvSchema = z
  .extend(BaseEnvSchema, { ...SqlEnvSchema.shape, ...ConfigTableEnvSchema.shape })
  .check(z.superRefine(refineSqlEnv), z.superRefine(refineAuditRetention), z.superRefine(refineLocalOnly));
export type PriceFetcherEnv = z.infer<typeof PriceFetcherEnvSchema>;

export const loadPriceFetcherEnv = (env: NodeJS.ProcessEnv = process.env): PriceFetcherEnv =>
  loadEnv(PriceFetcherEnvSchema, env);
