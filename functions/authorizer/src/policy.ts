import type { Role, RoutePermission } from '#common/constants/roles.ts';
import { PROTECTED_ROUTES, routesForRoles } from '#common/constants/roles.ts';
import type { PolicyDocument, PolicyStatement } from '#common/utils/iam-policy.ts';
import { resourceMatches, splitMethodArn } from '#common/utils/iam-policy.ts';

const INVOKE = 'execute-api:Invoke';

/** `/config/{key}` as an IAM resource path: each `{param}` becomes `*`. */
const resourcePath = (route: RoutePermission): string => route.path.replace(/\{[^}]+\}/g, '*');

/** A concrete request path for a route: each `{param}` becomes a sample segment. */
const samplePath = (route: RoutePermission): string => route.path.replace(/\{[^}]+\}/g, 'sample');

/**
 * The policy for a caller's roles, right for every route of the API and not only for the `methodArn` that
 * was asked: API Gateway caches it by token (ReauthorizeEvery) and applies it to each later request.
 * - one Allow resource per allowed route, with `*` for path parameters;
 * - IAM's `*` also matches `/`, so `GET/config/*` would reach `GET/config/{key}/history`: each route the
 *   roles do not allow but an Allow pattern would reach gets an explicit Deny, which wins;
 * - no allowed route at all: one Deny for the whole API.
 */
export const buildPolicy = (methodArn: string, roles: readonly Role[]): PolicyDocument => {
  const { base } = splitMethodArn(methodArn);
  const allowed = routesForRoles(roles);
  if (allowed.length === 0) {
    return { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: INVOKE, Resource: `${base}*` }] };
  }
  const allow = allowed.map((route) => `${base}${route.method}${resourcePath(route)}`);
  const allowedKeys = new Set(allowed.map((route) => `${route.method} ${route.path}`));
  const deny = PROTECTED_ROUTES.filter((route) => !allowedKeys.has(`${route.method} ${route.path}`))
    .filter((route) => {
      const arn = `${base}${route.method}${samplePath(route)}`;
      return allow.some((pattern) => resourceMatches(pattern, arn));
    })
    .map((route) => `${base}${route.method}${resourcePath(route)}`);
  const statements: PolicyStatement[] = [{ Effect: 'Allow', Action: INVOKE, Resource: allow }];
  if (deny.length > 0) statements.push({ Effect: 'Deny', Action: INVOKE, Resource: deny });
  return { Version: '2012-10-17', Statement: statements };
};
