/** DynamoDB table base names; each stage appends `-<stage>` (see infra-local/local-debug.yaml). */
export const TableBaseName = {
  audit: 'pricing-audit',
  config: 'pricing-config',
} as const;
