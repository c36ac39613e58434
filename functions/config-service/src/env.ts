import * as z from 'zod/mini';
import {
  BaseEnvSchema,
  ConfigTableEnvSchema,
  loadEnv,
  refineAuditRetention,
  refineLocalOnly,
} from '#common/utils/env.ts';

/** config-service's environment: the kernel's base variables, the config table and the cache lifetime. */
export const ConfigServiceEnvSchema = z
  .extend(BaseEnvSchema, ConfigTableEnvSchema.shape)
  .check(z.superRefine(refineAuditRetention), z.superRefine(refineLocalOnly));
export type ConfigServiceEnv = z.infer<typeof ConfigServiceEnvSchema>;

export const loadConfigServiceEnv = (env: NodeJS.ProcessEnv = process.env): ConfigServiceEnv =>
  loadEnv(ConfigServiceEnvSchema, env);
