import * as z from 'zod';
import { BaseEnvSchema, loadEnv } from '../../../common/utils/env.ts';

/** __name__'s environment: the kernel's base variables and the name of its own table. */
export const __Pascal__EnvSchema = BaseEnvSchema.extend({
  __CONST___TABLE: z.string().min(1),
});
export type __Pascal__Env = z.infer<typeof __Pascal__EnvSchema>;

export const load__Pascal__Env = (env: NodeJS.ProcessEnv = process.env): __Pascal__Env =>
  loadEnv(__Pascal__EnvSchema, env);
