import { AuditAction } from '#common/constants/audit.ts';
import type { AppContext, HttpEvent, HttpResult } from '#common/types/lambda.ts';
import { createFunctionKernel } from '#common/kernel/function-kernel.ts';
import { expectMethod, parseQuery } from '#common/http/http-request.ts';
import { jsonResponse } from '#common/http/http-response.ts';
import { load__Pascal__Env } from './env.ts';
import { Get__Pascal__QuerySchema } from './dto.ts';
import { Dynamo__Pascal__Repository } from './repository-dynamodb.ts';
import { __Pascal__Service } from './service.ts';

// Composition root: runs once per container, during Lambda init.
const env = load__Pascal__Env();
const kernel = createFunctionKernel(env);
const items = new Dynamo__Pascal__Repository({ client: kernel.dynamo, tableName: env.__CONST___TABLE });
const service = new __Pascal__Service({ items });

/** The init phase's warm-up (the DynamoDB client's first request), awaited by the Lambda entry. */
export const ready: Promise<void> = kernel.warmUp();

/** GET /__name__?id=<itemId>, for the caller the authorizer proved. */
const get__Pascal__ = async (event: HttpEvent, context: AppContext): Promise<HttpResult> => {
  expectMethod(event, 'GET');
  const query = parseQuery(event, Get__Pascal__QuerySchema);
  return jsonResponse(200, await service.get(query.id, { signal: context.budget.workSignal() }));
};

export const handler = kernel.createHttpHandler(get__Pascal__, {
  audit: {
    action: AuditAction.__Pascal__Read,
    describe: () => ({}),
  },
  checks: {
    __camel__Table: () => items.ping(),
  },
});
