import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { AuditAction } from '../constants/audit.ts';
import { AuditStatus } from '../constants/audit.ts';
import type { AuditItem, AuditSubject } from '../models/audit.ts';
import { buildAuditItem } from '../models/audit.ts';
import type { AppContext, HttpEvent, HttpRequest, HttpResult } from '../types/lambda.ts';
import type { AuditRepository } from '../adapters/audit-repository.ts';
import { AuditUnavailableError, toAppError } from '../errors/app-errors.ts';
import { requestFactsOf } from '../http/identity.ts';

export interface AuditOptions {
  repository: AuditRepository;
  /** The action attempted; a function when one handler serves several (e.g. read and update). */
  action: AuditAction | ((event: HttpEvent) => AuditAction);
  /**
   * Extracts the validated parts of what was asked for. Must never throw and never return raw input. The
   * user is not its to say: the audit takes it from `context.caller`, which the identity middleware sets.
   */
  describe: (event: HttpEvent) => Omit<AuditSubject, 'userId'>;
  service: string;
  stage: string;
  retentionDays: number;
  logger: Logger;
  metrics?: Metrics;
  /**
   * What a success counts, if anything (a change: requests served are API Gateway's count). Counted once
   * the SUCCESS item is stored, never before: a change withheld because the audit write failed (503) must
   * not show up on the dashboards as made.
   */
  successMetric?: string | ((event: HttpEvent) => string | undefined);
  now?: () => Date;
}

const statusForResponse = (statusCode: number): AuditItem['status'] =>
  statusCode < 400 ? AuditStatus.Success : AuditStatus.Error;

/**
 * Writes exactly one immutable audit item for every request that reaches the function, whatever its
 * outcome, and fails closed: if the write fails, the response is replaced by 503 AUDIT_UNAVAILABLE, so a
 * price is never returned without its audit record.
 */
export const audit = (opts: AuditOptions): MiddlewareObj<HttpEvent, HttpResult, Error, AppContext> => {
  const { repository, logger, metrics } = opts;
  const now = opts.now ?? (() => new Date());
  const attempted = new WeakSet<object>();
  /**
   * When the request's first item was built. Every item of one request has the same time, so the same key
   * (`sk` = time + request id): a second write for one request meets the first one's condition and never
   * becomes a second item. That holds when a change's transaction, which carries the SUCCESS item, lost
   * its answer and the failure is written after it, in whichever order the two reach DynamoDB.
   */
  const recordedAt = new WeakMap<object, Date>();
  const timeOf = (request: HttpRequest): Date => {
    let at = recordedAt.get(request);
    if (at === undefined) {
      at = now();
      recordedAt.set(request, at);
    }
    return at;
  };
  /** Requests whose SUCCESS item was stored with their change, in one transaction. */
  const recordedWithChange = new WeakSet<object>();

  const itemFor = (
    request: HttpRequest,
    status: AuditItem['status'],
    httpStatus: number,
    extra: Pick<AuditItem, 'errorCode' | 'rejectedFields'> = {},
  ): AuditItem => {
    const action = typeof opts.action === 'function' ? opts.action(request.event) : opts.action;
    return buildAuditItem({
      action,
      status,
      // Who is the authorizer's word alone, once the identity middleware has trusted it (`context.caller`);
      // `describe` names only what was asked for.
      subject: {
        ...opts.describe(request.event),
        userId: (request.context as Partial<AppContext>).caller?.userId,
      },
      request: requestFactsOf(request.event),
      requestId: request.context.awsRequestId,
      correlationId: request.context.correlationId ?? request.context.awsRequestId,
      httpStatus,
      service: opts.service,
      stage: opts.stage,
      retentionDays: opts.retentionDays,
      now: timeOf(request),
      outcome: request.context.auditOutcome,
      ...extra,
    });
  };

  const write = async (
    request: HttpRequest,
    status: AuditItem['status'],
    httpStatus: number,
    extra: Pick<AuditItem, 'errorCode' | 'rejectedFields'> = {},
  ): Promise<void> => {
    attempted.add(request);
    const item = itemFor(request, status, httpStatus, extra);
    let onRecord: AuditItem['status'];
    try {
      // The write has a reserve of the request's time of its own: the work before it cannot spend it.
      onRecord = await repository.write(item, { abortSignal: request.context.budget?.auditSignal() });
    } catch (error) {
      // AuditWriteFailed is counted once, by the error handler, from AuditUnavailableError.metric.
      logger.error('Audit write failed; failing closed', {
        errorName: (error as Error)?.name,
        auditStatus: status,
      });
      throw new AuditUnavailableError(error);
    }
    if (onRecord !== status) {
      // The request's transaction was stored after all, with its SUCCESS item, though its answer was lost
      // and the settling read failed too: the trail keeps that one item and says so; the caller, who got
      // this error, reads the change back (docs/compliance.md, "Lost acknowledgements").
      logger.error('An earlier item of this request is on record; no second item was written', {
        auditStatus: status,
        statusOnRecord: onRecord,
      });
    }
  };

  const auditBefore = (request: HttpRequest): void => {
    request.context.auditTrail = {
      successItem: () => itemFor(request, AuditStatus.Success, 200),
      recorded: () => {
        attempted.add(request);
        recordedWithChange.add(request);
      },
    };
  };

  const auditAfter = async (request: HttpRequest): Promise<void> => {
    const statusCode = request.response?.statusCode ?? 200;
    const status = statusForResponse(statusCode);
    if (!recordedWithChange.has(request)) await write(request, status, statusCode);
    const metric =
      typeof opts.successMetric === 'function' ? opts.successMetric(request.event) : opts.successMetric;
    if (metric && status === AuditStatus.Success) metrics?.addMetric(metric, MetricUnit.Count, 1);
  };

  const auditOnError = async (request: HttpRequest): Promise<void> => {
    // The after phase already tried (and its failure is the error being handled): one item per request.
    if (attempted.has(request)) return;
    const error = toAppError(request.error);
    try {
      await write(request, error.auditStatus, error.statusCode, {
        errorCode: error.code,
        rejectedFields: error.details?.map((detail) => detail.field),
      });
    } catch (auditError) {
      request.error = auditError as Error;
    }
  };

  return { before: auditBefore, after: auditAfter, onError: auditOnError };
};
