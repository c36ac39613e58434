/**
 * The roles of the token's `roles` claim, and the one each route needs.
 * TODO(identity): replaced by the roles table in common/ when the identity branch is merged.
 */
export const Role = {
  PriceReader: 'price-reader',
  ConfigReader: 'config-reader',
  ConfigAdmin: 'config-admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const ROLE_BY_OPERATION: Readonly<Record<string, Role>> = {
  getPrice: Role.PriceReader,
  listConfig: Role.ConfigReader,
  getConfig: Role.ConfigReader,
  getConfigHistory: Role.ConfigReader,
  putConfig: Role.ConfigAdmin,
};
