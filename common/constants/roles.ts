/**
 * Who may call what: the one roles table (docs/auth.md). The authorizer turns a token's roles into the
 * routes below; the docs and tests read the same table. A route is the API Gateway resource path, with
 * `{name}` path parameters, as the SAM template declares it.
 */
export interface RoutePermission {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
}

export const Role = {
  PriceReader: 'price-reader',
  ConfigReader: 'config-reader',
  ConfigAdmin: 'config-admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

const READ_CONFIG: RoutePermission[] = [
  { method: 'GET', path: '/config' },
  { method: 'GET', path: '/config/{key}' },
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly RoutePermission[]>> = {
  [Role.PriceReader]: [{ method: 'GET', path: '/price' }],
  [Role.ConfigReader]: READ_CONFIG,
  // History shows who changed what: admins only.
  [Role.ConfigAdmin]: [
    ...READ_CONFIG,
    { method: 'GET', path: '/config/{key}/history' },
    { method: 'PUT', path: '/config/{key}' },
  ],
};

export const ROLES = Object.keys(ROLE_PERMISSIONS) as Role[];

export const isRole = (name: string): name is Role => Object.hasOwn(ROLE_PERMISSIONS, name);

/** Every route some role allows: the API's protected surface. */
export const PROTECTED_ROUTES: readonly RoutePermission[] = [
  ...new Map(
    Object.values(ROLE_PERMISSIONS)
      .flat()
      .map((route) => [`${route.method} ${route.path}`, route] as const),
  ).values(),
];

/** The routes a set of roles allows, each once. */
export const routesForRoles = (roles: readonly Role[]): RoutePermission[] => {
  const allowed = new Set(
    roles.flatMap((role) => ROLE_PERMISSIONS[role].map((r) => `${r.method} ${r.path}`)),
  );
  return PROTECTED_ROUTES.filter((route) => allowed.has(`${route.method} ${route.path}`));
};
