import * as z from 'zod/mini';
import { BaseEnvSchema, loadEnv, requiredString } from '#common/utils/env.ts';

/** __name__'s environment: the kernel's base variables and the name of its own table. */
export const __Pascal__EnvSchema = z.extend(BaseEnvSchema, {
  __CONST___TABLE: requiredString(),
});
export type __Pascal__Env = z.infer<typeof __Pascal__EnvSchema>;

export const load__Pascal__Env = (env: NodeJS.ProcessEnv = process.env): __Pascal__Env =>
  loadEnv(__Pascal__EnvSchema, env);
