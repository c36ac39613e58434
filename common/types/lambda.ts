import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Request } from '@middy/core';
import type { SqlLease } from '../clients/sql/sql-client.ts';
import type { CallerIdentity } from '../http/identity.ts';
import type { AuditItem } from '../models/audit.ts';
import type { RequestBudget } from '../kernel/request-budget.ts';

/** The Lambda context, extended by the kernel middlewares before the handler runs. */
export interface AppContext extends Context {
  /** From a well-formed `x-correlation-id` header, else the Lambda request id. */
  correlationId: string;
  /** A lazily acquired SQL connection, released by the db-connection middleware on every path. */
  db: SqlLease;
  /** The caller proven by the token authorizer, set by the identity middleware before the handler runs. */
  caller: CallerIdentity;
  /** Validated facts about the outcome that the handler wants on the audit item (e.g. a version written). */
  auditOutcome?: Record<string, string | number | boolean>;
  /** The request's time budget, from the Lambda deadline (set by the request-context middleware). */
  budget: RequestBudget;
  /**
   * For a change that must be stored with its audit item as one fact (set by the audit middleware):
   * `successItem()` is the SUCCESS item this request will have; `recorded()` says it was stored with the
   * change, so the middleware does not write it again.
   */
  auditTrail?: { successItem(): AuditItem; recorded(): void };
}

export type HttpEvent = APIGatewayProxyEvent;
export type HttpResult = APIGatewayProxyResult;
export type HttpRequest = Request<HttpEvent, HttpResult, Error, AppContext>;
export type HttpHandler = (event: HttpEvent, context: AppContext) => Promise<HttpResult>;
