import type { Stage } from './stages.ts';

/**
 * How long each stage keeps audit items in DynamoDB, in days (written as the `expiresAt` TTL). Production
 * keeps six years of lookups (the regulated retention period); DR mirrors production; the lower stages hold
 * test traffic only. AUDIT_RETENTION_DAYS overrides the default, but never below the floor (see env.ts).
 * DynamoDB TTL is not a retention guarantee: long-term evidence belongs in the S3 archive (docs/compliance.md).
 */
export const AUDIT_RETENTION_DAYS_BY_STAGE = {
  local: 7,
  dev: 7,
  qa: 30,
  uat: 90,
  prod: 2190,
  dr: 2190,
} as const satisfies Record<Stage, number>;

/** Stages whose audit trail is regulatory evidence: retention can be raised there, never lowered. */
export const REGULATED_STAGES: readonly Stage[] = ['prod', 'dr'];

/**
 * CloudWatch Logs retention of each function's application logs, in days (a value CloudWatch accepts).
 * Logs are diagnostics, not the audit trail: they hold ids, never the data the audit records.
 */
export const LOG_RETENTION_DAYS_BY_STAGE = {
  local: 7,
  dev: 7,
  qa: 30,
  uat: 90,
  prod: 365,
  dr: 365,
} as const satisfies Record<Stage, number>;
