import * as z from 'zod/mini';
import {
  BaseEnvSchema,
  boundedInt,
  loadEnv,
  refineAuditRetention,
  requiredString,
} from '#common/utils/env.ts';

/** config-service's environment: the kernel's base variables, the config table and the cache lifetime. */
export const ConfigServiceEnvSchema = z
  .extend(BaseEnvSchema, {
    CONFIG_TABLE: requiredString(),
    /** How long a container serves a key it has read before reading it again; 0 turns the cache off. */
    CONFIG_CACHE_SECONDS: boundedInt(30, 0, 3600),
  })
  .check(z.superRefine(refineAuditRetention));
export type ConfigServiceEnv = z.infer<typeof ConfigServiceEnvSchema>;

export const loadConfigServiceEnv = (env: NodeJS.ProcessEnv = process.env): ConfigServiceEnv =>
  loadEnv(ConfigServiceEnvSchema, env);
