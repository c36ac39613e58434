import * as z from 'zod/mini';
import {
  BaseEnvSchema,
  boundedInt,
  loadEnv,
  refineAuditRetention,
  refineLocalOnly,
  requiredString,
} from '#common/utils/env.ts';

/** config-service's environment: the kernel's base variables, the config table and the cache lifetime. */
export const ConfigServiceEnvSchema = z
  .extend(BaseEnvSchema, {
    CONFIG_TABLE: requiredString(),
    /**
     * The longest a container serves a key (its value, or that it has none) before reading it again: a
     * change, maintenanceMode included, reaches every container within this. 0 turns the cache off.
     */
    CONFIG_CACHE_SECONDS: boundedInt(60, 0, 3600),
  })
  .check(z.superRefine(refineAuditRetention), z.superRefine(refineLocalOnly));
export type ConfigServiceEnv = z.infer<typeof ConfigServiceEnvSchema>;

export const loadConfigServiceEnv = (env: NodeJS.ProcessEnv = process.env): ConfigServiceEnv =>
  loadEnv(ConfigServiceEnvSchema, env);
