import type { z } from 'zod';
import { BaseEnvSchema, boundedInt, loadEnv, requiredString } from '../../../common/utils/env.ts';

/** config-service's environment: the kernel's base variables, the config table and the cache lifetime. */
export const ConfigServiceEnvSchema = BaseEnvSchema.extend({
  CONFIG_TABLE: requiredString(),
  /** How long a container serves a key it has read before reading it again; 0 turns the cache off. */
  CONFIG_CACHE_SECONDS: boundedInt(30, 0, 3600),
});
export type ConfigServiceEnv = z.infer<typeof ConfigServiceEnvSchema>;

export const loadConfigServiceEnv = (env: NodeJS.ProcessEnv = process.env): ConfigServiceEnv =>
  loadEnv(ConfigServiceEnvSchema, env);
