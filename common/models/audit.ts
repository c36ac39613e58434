import * as z from 'zod/mini';
import './zod-locale.ts';
import { AuditAction, AuditKeys, AuditStatus, SECONDS_PER_DAY } from '../constants/audit.ts';

export const AuditStatusSchema = z.enum([
  AuditStatus.Success,
  AuditStatus.NotFound,
  AuditStatus.Rejected,
  AuditStatus.Error,
]);
/** Every action in the constant: a function added by `node setup.js new-function` adds its own there. */
export const AuditActionSchema = z.enum(AuditAction);

/**
 * One immutable audit item per request that reaches a function (DESIGN §5). Only validated values are
 * stored: a rejected request records which fields were wrong, never what they contained.
 */
export const AuditItemSchema = z.object({
  // A person (USER#<id>, or USER#UNIDENTIFIED), or the deployment's write-path probe (SYSTEM#DEPLOY).
  pk: z.union([z.string().check(z.startsWith(AuditKeys.userPrefix)), z.literal(AuditKeys.deploySystem)]),
  sk: z.string().check(z.startsWith(AuditKeys.sortPrefix)),
  action: AuditActionSchema,
  status: AuditStatusSchema,
  requestId: z.string().check(z.minLength(1)),
  correlationId: z.string().check(z.minLength(1)),
  timestamp: z.iso.datetime({ precision: 3 }),
  expiresAt: z.int().check(z.positive()),
  httpStatus: z.int().check(z.gte(100), z.lte(599)),
  service: z.string().check(z.minLength(1)),
  stage: z.string().check(z.minLength(1)),
  userId: z.optional(z.string()),
  /** API Gateway's request id (`requestContext.requestId`), beside the Lambda `requestId`. */
  apiRequestId: z.optional(z.string()),
  sourceIp: z.optional(z.string()),
  /** Truncated to 256 characters. */
  userAgent: z.optional(z.string()),
  productId: z.optional(z.string()),
  configKey: z.optional(z.string()),
  /** Sparse index key, `PRODUCT#<id>` or `CONFIG#<key>`, present only when the resource id was valid. */
  resource: z.optional(z.string()),
  errorCode: z.optional(z.string()),
  rejectedFields: z.optional(z.array(z.string())),
  /** Free-form, validated facts about the outcome, e.g. the config version written. */
  outcome: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
});
export type AuditItem = z.infer<typeof AuditItemSchema>;

/** What the function knows about who asked for what; every field is already validated. */
export interface AuditSubject {
  userId?: string | undefined;
  productId?: string | undefined;
  configKey?: string | undefined;
}

export interface AuditEntryInput {
  action: AuditItem['action'];
  status: AuditItem['status'];
  subject: AuditSubject;
  requestId: string;
  correlationId: string;
  httpStatus: number;
  service: string;
  stage: string;
  retentionDays: number;
  now: Date;
  errorCode?: string | undefined;
  rejectedFields?: string[] | undefined;
  outcome?: AuditItem['outcome'];
  /** Where the request came from, as API Gateway saw it. */
  request?: Pick<AuditItem, 'apiRequestId' | 'sourceIp' | 'userAgent'> | undefined;
}

const resourceOf = (subject: AuditSubject): string | undefined => {
  if (subject.productId) return `${AuditKeys.productPrefix}${subject.productId}`;
  if (subject.configKey) return `${AuditKeys.configPrefix}${subject.configKey}`;
  return undefined;
};

/** Builds the item; `sk` carries the ms timestamp and the request id, so two lookups never collide. */
export const buildAuditItem = (input: AuditEntryInput): AuditItem => {
  const timestamp = input.now.toISOString();
  const item: AuditItem = {
    pk: input.subject.userId ? `${AuditKeys.userPrefix}${input.subject.userId}` : AuditKeys.unknownUser,
    sk: `${AuditKeys.sortPrefix}${timestamp}#${input.requestId}`,
    action: input.action,
    status: input.status,
    requestId: input.requestId,
    correlationId: input.correlationId,
    timestamp,
    expiresAt: Math.floor(input.now.getTime() / 1000) + input.retentionDays * SECONDS_PER_DAY,
    httpStatus: input.httpStatus,
    service: input.service,
    stage: input.stage,
  };
  if (input.subject.userId) item.userId = input.subject.userId;
  if (input.request?.apiRequestId) item.apiRequestId = input.request.apiRequestId;
  if (input.request?.sourceIp) item.sourceIp = input.request.sourceIp;
  if (input.request?.userAgent) item.userAgent = input.request.userAgent;
  if (input.subject.productId) item.productId = input.subject.productId;
  if (input.subject.configKey) item.configKey = input.subject.configKey;
  const resource = resourceOf(input.subject);
  if (resource) item.resource = resource;
  if (input.errorCode) item.errorCode = input.errorCode;
  if (input.rejectedFields?.length) item.rejectedFields = input.rejectedFields;
  if (input.outcome) item.outcome = input.outcome;
  return item;
};
