/** The legacy Oracle table read by price-fetcher. The same name exists in the embedded engine's seed. */
export const PRODUCT_PRICES_TABLE = 'product_prices';

/** DynamoDB table base names; each stage appends `-<stage>` (see infra-local/local-debug.yaml). */
export const TableBaseName = {
  audit: 'pricing-audit',
  config: 'pricing-config',
} as const;
