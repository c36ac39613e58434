import type { z } from 'zod';
import { BaseEnvSchema, SqlEnvSchema, loadEnv, refineSqlEnv } from '../../../common/utils/env.ts';

/** price-fetcher's environment: the kernel's base and SQL variables, nothing else. */
export const PriceFetcherEnvSchema = BaseEnvSchema.extend(SqlEnvSchema.shape).superRefine(refineSqlEnv);
export type PriceFetcherEnv = z.infer<typeof PriceFetcherEnvSchema>;

export const loadPriceFetcherEnv = (env: NodeJS.ProcessEnv = process.env): PriceFetcherEnv =>
  loadEnv(PriceFetcherEnvSchema, env);
