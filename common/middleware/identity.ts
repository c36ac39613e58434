import type { MiddlewareObj } from '@middy/core';
import type { AppContext, HttpEvent, HttpRequest, HttpResult } from '../types/lambda.ts';
import { IdentityMismatchError, UnauthenticatedError } from '../errors/app-errors.ts';
import { callerOf, queryUserIdMismatch } from '../http/identity.ts';

/**
 * Takes the caller from the authorizer context only (docs/auth.md): none is 401 UNAUTHENTICATED, a
 * deprecated `userId` query value other than the token's subject is 403 IDENTITY_MISMATCH. Both are thrown
 * inside the audit middleware, so both are audited (REJECTED). The handler reads `context.caller`.
 */
export const identity = (): MiddlewareObj<HttpEvent, HttpResult, Error, AppContext> => {
  const identityBefore = (request: HttpRequest): void => {
    const caller = callerOf(request.event);
    if (!caller) throw new UnauthenticatedError();
    if (queryUserIdMismatch(request.event, caller)) throw new IdentityMismatchError();
    request.context.caller = caller;
  };
  return { before: identityBefore };
};
