import { PROTECTED_ROUTES, ROLE_PERMISSIONS, ROLES } from '#common/constants/roles.ts';
import type { Role } from '#common/constants/roles.ts';
import { evaluatePolicy } from '#common/utils/iam-policy.ts';
import { readTemplate } from '#build/template.ts';
import { templatePath } from '#build/paths.ts';
import { buildPolicy } from '../src/policy.ts';

const BASE = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/';
const templateRoutes = readTemplate(templatePath(process.cwd())).flatMap((fn) => fn.routes);

/** Concrete requests for a route: path parameters filled with ordinary and awkward values. */
const requestsFor = (route: { method: string; path: string }): string[] =>
  ['maintenanceMode', 'history', 'a', 'x-1'].map(
    (value) => `${BASE}${route.method}${route.path.replace(/\{[^}]+\}/g, value)}`,
  );

const allows = (roles: readonly Role[], route: { method: string; path: string }): boolean =>
  roles.some((role) =>
    ROLE_PERMISSIONS[role].some((allowed) => allowed.method === route.method && allowed.path === route.path),
  );

/** Every subset of the roles, the empty one included. */
const roleSets: Role[][] = ROLES.reduce<Role[][]>(
  (sets, role) => [...sets, ...sets.map((set) => [...set, role])],
  [[]],
);

describe('the roles table', () => {
  it('covers exactly the routes the template serves: no route without a role, no role for a route that does not exist', () => {
    const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
    expect(PROTECTED_ROUTES.map(key).sort()).toEqual(templateRoutes.map(key).sort());
  });
});

describe('the cached policy', () => {
  it.each(roleSets.map((roles) => [roles.join(',') || '(no role)', roles] as const))(
    '%s: asked for any one route, allows and denies every route exactly as the roles table says',
    (_name, roles) => {
      // API Gateway caches the answer for the first route asked and applies it to all the others.
      for (const asked of templateRoutes) {
        const policy = buildPolicy(requestsFor(asked)[0]!, roles);
        for (const route of templateRoutes) {
          const expected = allows(roles, route) ? 'Allow' : 'Deny';
          for (const arn of requestsFor(route))
            expect([arn, evaluatePolicy(policy, arn)]).toEqual([arn, expected]);
        }
      }
    },
  );

  it('never allows another stage or API than the one the token was checked for', () => {
    const policy = buildPolicy(`${BASE}GET/price`, ['price-reader', 'config-admin']);
    expect(evaluatePolicy(policy, `${BASE}GET/price`)).toBe('Allow');
    expect(evaluatePolicy(policy, `${BASE.replace('/prod/', '/dev/')}GET/price`)).toBe('Deny');
    expect(evaluatePolicy(policy, `${BASE.replace('abcdef1234', 'otherapi00')}GET/price`)).toBe('Deny');
  });

  it('is not the known bug of allowing only the methodArn: a price-reader+config-reader Allow for GET /price also covers GET /config', () => {
    const policy = buildPolicy(`${BASE}GET/price`, ['price-reader', 'config-reader']);
    expect(evaluatePolicy(policy, `${BASE}GET/config`)).toBe('Allow');
    expect(evaluatePolicy(policy, `${BASE}GET/config/maintenanceMode/history`)).toBe('Deny');
    expect(evaluatePolicy(policy, `${BASE}PUT/config/maintenanceMode`)).toBe('Deny');
  });
});
