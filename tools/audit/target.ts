import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TableBaseName } from '#common/constants/tables.ts';
import { findFunction, liteEnvironment } from '#infra-local/lite/lite-env.ts';
import type { AuditQueryArgs } from './args.ts';

export interface AuditTarget {
  tableName: string;
  /** Where the table is, for messages: the local endpoint, or `AWS <region>`. */
  location: string;
  local: boolean;
  client: DynamoDBDocumentClient;
}

/** DR runs in us-west-2 (DESIGN §1); every other stage in the primary region unless told otherwise. */
const defaultRegion = (stage: string): string =>
  process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (stage === 'dr' ? 'us-west-2' : 'us-east-1');

/**
 * Where the query runs. By default (or with `--stage local`) the lite table: the endpoint and table name
 * price-fetcher gets from the SAM template and infra-local/env/lite.json. With `--stage <stage>`, the real
 * table `pricing-audit-<stage>` through the default AWS credential chain (profile, SSO, role).
 */
export const resolveAuditTarget = (args: AuditQueryArgs, root: string): AuditTarget => {
  const local = args.stage === undefined || args.stage === 'local';
  if (local) {
    const env = liteEnvironment(root, findFunction(root, 'price-fetcher'));
    const endpoint = args.endpoint ?? env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000';
    const client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 2,
    });
    return {
      tableName: args.table ?? env.AUDIT_TABLE ?? `${TableBaseName.audit}-local`,
      location: endpoint,
      local: true,
      client: DynamoDBDocumentClient.from(client),
    };
  }
  const stage = args.stage!;
  const region = args.region ?? defaultRegion(stage);
  return {
    tableName: args.table ?? `${TableBaseName.audit}-${stage}`,
    location: `AWS ${region}`,
    local: false,
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
  };
};
