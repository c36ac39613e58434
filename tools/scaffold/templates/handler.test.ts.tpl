import type { APIGatewayProxyResult } from 'aws-lambda';
import { AuditItemSchema } from '#common/models/audit.ts';
import { ErrorBodySchema } from '#common/models/error.ts';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TEST_AUDIT_TABLE, TestStores } from '#testing/test-stores.ts';
import { findFunction, liteEnvironment } from '#testing/local-stack.ts';
import { seedTemplateTables } from '#testing/local-stack.ts';

const HANDLER = '#functions/__name__/src/handler.ts';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

let stores: TestStores;
let handler: LambdaHandler;
let env: Record<string, string>;

beforeAll(async () => {
  stores = await TestStores.start();
  const root = process.cwd();
  // The function's environment as the template declares it, pointed at this suite's own stores.
  env = {
    ...liteEnvironment(root, findFunction(root, '__name__')),
    DYNAMODB_ENDPOINT: stores.endpoint,
    AUDIT_TABLE: TEST_AUDIT_TABLE,
    LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  // Creates the __name__ table and puts infra-local/seed/dynamodb/__name__.json in it.
  await seedTemplateTables(stores.endpoint, root);
  handler = await loadHandler(HANDLER, env);
});
afterAll(async () => {
  await stores.close();
});

const call = async (query: Record<string, string> | null) => {
  const context = lambdaContext();
  const response = (await handler(apiEvent({ path: '/__name__', query }), context)) as APIGatewayProxyResult;
  return {
    response,
    body: JSON.parse(response.body) as Record<string, unknown>,
    audit: await stores.auditItemFor(context.awsRequestId),
  };
};

describe('GET /__name__ through the real handler (DynamoDB Local)', () => {
  it('when the item exists, returns 200 with it and audits SUCCESS', async () => {
    const { response, body, audit } = await call({ id: 'ITEM-1', userId: USER });

    expect(response.statusCode).toBe(200);
    expect(body).toEqual({ id: 'ITEM-1', name: expect.any(String), updatedAt: expect.any(String) });
    expect(audit).toHaveLength(1);
    expect(AuditItemSchema.parse(audit[0])).toMatchObject({
      action: '__CONST___READ',
      status: 'SUCCESS',
      userId: USER,
      httpStatus: 200,
    });
  });

  it('when the item is unknown, returns 404 NOT_FOUND and audits NOT_FOUND', async () => {
    const { response, body, audit } = await call({ id: 'NO-SUCH-ITEM', userId: USER });

    expect(response.statusCode).toBe(404);
    expect(ErrorBodySchema.parse(body).error.code).toBe('NOT_FOUND');
    expect(audit[0]).toMatchObject({ status: 'NOT_FOUND', errorCode: 'NOT_FOUND' });
  });

  it('when a parameter is missing or invalid, returns 400 naming it and audits REJECTED', async () => {
    const { response, body, audit } = await call({ id: 'ITEM-1', userId: USER, verbose: '1' });

    expect(response.statusCode).toBe(400);
    expect(ErrorBodySchema.parse(body).error.details).toEqual([{ field: 'query', issue: 'unknown parameter: verbose' }]);
    expect(audit[0]).toMatchObject({ status: 'REJECTED', userId: USER, rejectedFields: ['query'] });
  });

  it('when the userId is not the token subject, returns 403 IDENTITY_MISMATCH and audits it under the subject', async () => {
    const { response, body, audit } = await call({ id: 'ITEM-1', userId: 'not-a-uuid' });

    expect(response.statusCode).toBe(403);
    expect(ErrorBodySchema.parse(body).error.code).toBe('IDENTITY_MISMATCH');
    expect(audit[0]).toMatchObject({ pk: `USER#${USER}`, status: 'REJECTED', errorCode: 'IDENTITY_MISMATCH' });
  });

  it('when its table cannot be read, returns 503 SOURCE_UNAVAILABLE with no internals and audits ERROR', async () => {
    // A container whose table name points at no table: DynamoDB refuses every read of it.
    const broken = await loadHandler(HANDLER, { ...env, __CONST___TABLE: '__name__-missing' });
    const context = lambdaContext();

    const response = (await broken(
      apiEvent({ path: '/__name__', query: { id: 'ITEM-1', userId: USER } }),
      context,
    )) as APIGatewayProxyResult;

    expect(response.statusCode).toBe(503);
    expect(ErrorBodySchema.parse(JSON.parse(response.body)).error.code).toBe('SOURCE_UNAVAILABLE');
    expect(response.body).not.toMatch(/__name__-missing|ResourceNotFound/);
    expect(await stores.auditItemFor(context.awsRequestId)).toEqual([
      expect.objectContaining({ status: 'ERROR', errorCode: 'SOURCE_UNAVAILABLE', httpStatus: 503 }),
    ]);
  });

  it('answers the health check with every store and the audit write path', async () => {
    const response = (await handler({ health_check: true }, lambdaContext())) as APIGatewayProxyResult;

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      status: 'ok',
      checks: { __camel__Table: 'ok', auditTable: 'ok', auditWrite: 'ok' },
    });
  });
});
