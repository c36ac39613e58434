import * as z from 'zod/mini';
import type { Role } from '../constants/roles.ts';
import { isRole } from '../constants/roles.ts';
import { UserIdSchema } from '../models/price.ts';
import type { HttpEvent } from '../types/lambda.ts';

/** Who called, as the token authorizer proved it (docs/auth.md). */
export interface CallerIdentity {
  /** The token's subject, a lower-case UUID. */
  userId: string;
  roles: Role[];
}

const cache = new WeakMap<HttpEvent, CallerIdentity | null>();

/**
 * The caller from `requestContext.authorizer = { principalId, userId, roles }`, the only source of identity a
 * function trusts; undefined when the event has none (or a malformed one). Query parameters never count.
 */
export const callerOf = (event: HttpEvent): CallerIdentity | undefined => {
  const known = cache.get(event);
  if (known !== undefined) return known ?? undefined;
  const authorizer = (event.requestContext as { authorizer?: unknown } | undefined)?.authorizer as
    Record<string, unknown> | null | undefined;
  const userId = z.safeParse(UserIdSchema, authorizer?.userId);
  const roles = typeof authorizer?.roles === 'string' ? authorizer.roles.split(',').filter(isRole) : [];
  const caller = userId.success ? { userId: userId.data, roles } : undefined;
  cache.set(event, caller ?? null);
  return caller;
};

/**
 * The deprecated `userId` query values, when some differs from the caller: the parameter is accepted only
 * when it names the token's subject. Compared case-insensitively, as UUIDs are.
 */
export const queryUserIdMismatch = (event: HttpEvent, caller: CallerIdentity): boolean => {
  const values =
    event.multiValueQueryStringParameters?.userId ??
    (event.queryStringParameters?.userId !== undefined ? [event.queryStringParameters.userId] : []);
  return values.some((value) => value.toLowerCase() !== caller.userId);
};

/** The request facts an audit item keeps beside the caller: bounded, never a header value beyond these. */
export const requestFactsOf = (
  event: HttpEvent,
): { apiRequestId?: string; sourceIp?: string; userAgent?: string } => {
  const context = event.requestContext as Partial<HttpEvent['requestContext']> | undefined;
  const facts: { apiRequestId?: string; sourceIp?: string; userAgent?: string } = {};
  if (typeof context?.requestId === 'string' && context.requestId)
    facts.apiRequestId = context.requestId.slice(0, 128);
  const identity = context?.identity;
  if (typeof identity?.sourceIp === 'string' && identity.sourceIp)
    facts.sourceIp = identity.sourceIp.slice(0, 64);
  if (typeof identity?.userAgent === 'string' && identity.userAgent)
    facts.userAgent = identity.userAgent.slice(0, MAX_USER_AGENT_CHARS);
  return facts;
};

/** Enough to tell clients apart; a crafted agent string cannot bloat the audit item. */
export const MAX_USER_AGENT_CHARS = 256;
