/** What an audit item records: the action attempted and how it ended. */
export const AuditAction = {
  PriceRead: 'PRICE_READ',
  ConfigRead: 'CONFIG_READ',
  ConfigUpdate: 'CONFIG_UPDATE',
  /** The deployment smoke test's write-path probe, under AuditKeys.deploySystem. */
  HealthCheck: 'HEALTH_CHECK',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export const AuditStatus = {
  Success: 'SUCCESS',
  NotFound: 'NOT_FOUND',
  Rejected: 'REJECTED',
  Error: 'ERROR',
} as const;
export type AuditStatus = (typeof AuditStatus)[keyof typeof AuditStatus];

/** Key layout of the audit table (DESIGN §5). */
export const AuditKeys = {
  userPrefix: 'USER#',
  /** Partition used when the request carried no valid user id: the item is still written. */
  unknownUser: 'USER#UNIDENTIFIED',
  /** Partition of the health check's HEALTH_CHECK items: a system, never a user. */
  deploySystem: 'SYSTEM#DEPLOY',
  sortPrefix: 'AUDIT#',
  productPrefix: 'PRODUCT#',
  configPrefix: 'CONFIG#',
  /** Sparse GSI on `resource` + `sk`: "who looked at PROD-101 between T1 and T2" is one Query. */
  resourceIndex: 'byResource',
} as const;

export const SECONDS_PER_DAY = 86_400;
