import * as z from 'zod/mini';
import './zod-locale.ts';

/** A direct invoke of `{"health_check": true}` (the deployment smoke test). Never audited. */
export const HealthCheckEventSchema = z.object({ health_check: z.literal(true) });

export const HealthCheckStatusSchema = z.enum(['ok', 'error']);

export const HealthResponseSchema = z.object({
  status: HealthCheckStatusSchema,
  checks: z.record(z.string(), HealthCheckStatusSchema),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
