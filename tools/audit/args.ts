import * as z from 'zod';
import { STAGES } from '#common/constants/stages.ts';
import { AuditQuerySchema } from './model.ts';
import { OUTPUT_FORMATS } from './format.ts';

/** The command line of `npm run audit:query`, as parsed by node:util parseArgs. */
export interface RawAuditQueryArgs {
  product?: string | undefined;
  user?: string | undefined;
  config?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  format?: string | undefined;
  stage?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
  table?: string | undefined;
  'page-size'?: string | undefined;
}

const TargetSchema = z.object({
  format: z.enum(OUTPUT_FORMATS, { error: `must be one of ${OUTPUT_FORMATS.join(', ')}` }).default('table'),
  stage: z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }).optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region such as us-east-1' })
    .optional(),
  endpoint: z.url({ error: 'must be a URL such as http://127.0.0.1:8000' }).optional(),
  table: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: 'must be a DynamoDB table name' })
    .optional(),
  pageSize: z.coerce
    .number({ error: 'must be a whole number from 1 to 1000' })
    .int({ error: 'must be a whole number from 1 to 1000' })
    .min(1, { error: 'must be a whole number from 1 to 1000' })
    .max(1000, { error: 'must be a whole number from 1 to 1000' })
    .optional(),
});

export type AuditQueryArgs = z.infer<typeof TargetSchema> & { query: z.infer<typeof AuditQuerySchema> };

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const OPTION_OF: Record<string, string> = {
  productId: '--product',
  userId: '--user',
  configKey: '--config',
  from: '--from',
  to: '--to',
  pageSize: '--page-size',
};

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .map((issue) => {
      const key = String(issue.path[0] ?? '');
      return `${OPTION_OF[key] ?? `--${key}`}: ${issue.message}`;
    })
    .join('; ');

/** Validates the command line; throws UsageError naming each bad option (never echoing its value). */
export const parseAuditQueryArgs = (raw: RawAuditQueryArgs): AuditQueryArgs => {
  if ([raw.product, raw.user, raw.config].filter((value) => value !== undefined).length !== 1) {
    throw new UsageError('give exactly one of --product <id>, --user <uuid> or --config <key>');
  }
  if (raw.stage !== undefined && raw.endpoint !== undefined) {
    throw new UsageError('--stage (an AWS table) and --endpoint (a local one) cannot be combined');
  }
  const range = { from: raw.from, to: raw.to };
  const query = AuditQuerySchema.safeParse(
    raw.product !== undefined
      ? { by: 'product', productId: raw.product, ...range }
      : raw.user !== undefined
        ? { by: 'user', userId: raw.user, ...range }
        : { by: 'config', configKey: raw.config, ...range },
  );
  const target = TargetSchema.safeParse({
    format: raw.format,
    stage: raw.stage,
    region: raw.region,
    endpoint: raw.endpoint,
    table: raw.table,
    pageSize: raw['page-size'],
  });
  const problems = [query, target].flatMap((result) =>
    result.success ? [] : [describeIssues(result.error)],
  );
  if (problems.length > 0 || !query.success || !target.success) throw new UsageError(problems.join('; '));
  return { ...target.data, query: query.data };
};
