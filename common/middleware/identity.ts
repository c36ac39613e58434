import type { MiddlewareObj } from '@middy/core';
import type { AppContext, HttpEvent, HttpRequest, HttpResult } from '../types/lambda.ts';
import { IdentityMismatchError, UnauthenticatedError } from '../errors/app-errors.ts';
import { callerOf, queryUserIdMismatch } from '../http/identity.ts';

/** The qualifier a function was invoked with: `live` of `arn:aws:lambda:<region>:<account>:function:<name>:live`. */
const qualifierOf = (invokedFunctionArn: string | undefined): string | undefined =>
  invokedFunctionArn?.split(':')[7];

/**
 * Takes the caller from the authorizer context only (docs/auth.md): none is 401 UNAUTHENTICATED, a
 * deprecated `userId` query value other than the token's subject is 403 IDENTITY_MISMATCH. Both are thrown
 * inside the audit middleware, so both are audited (REJECTED), under `context.caller` once it is trusted.
 *
 * With `apiAlias` (every deployed stage), the authorizer context is trusted only when the function was
 * invoked through that alias, which API Gateway alone invokes: a direct invoke of a version or of $LATEST
 * (the deploy role may invoke those, for its smoke test) can carry any `requestContext.authorizer`, so it
 * is 401 and audited as unidentified, never under the user it names.
 */
export const identity = (
  options: { apiAlias?: string | undefined } = {},
): MiddlewareObj<HttpEvent, HttpResult, Error, AppContext> => {
  const { apiAlias } = options;
  const identityBefore = (request: HttpRequest): void => {
    if (apiAlias !== undefined && qualifierOf(request.context.invokedFunctionArn) !== apiAlias) {
      throw new UnauthenticatedError();
    }
    const caller = callerOf(request.event);
    if (!caller) throw new UnauthenticatedError();
    request.context.caller = caller;
    if (queryUserIdMismatch(request.event, caller)) throw new IdentityMismatchError();
  };
  return { before: identityBefore };
};
