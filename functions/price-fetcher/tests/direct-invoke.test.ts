import type { APIGatewayProxyResult } from 'aws-lambda';
import { AuditKeys } from '#common/constants/audit.ts';
import { apiEvent, lambdaContext, RECORDED_USER } from '#testing/api-gateway.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';

const HANDLER = '#functions/price-fetcher/src/handler.ts';
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:price-fetcher-test';

let stores: TestStores;
let handler: LambdaHandler;

beforeAll(async () => {
  stores = await TestStores.start();
  // As deployed: API Gateway invokes the `live` alias.
  handler = await loadHandler(HANDLER, stores.priceFetcherEnv({ API_ALIAS: 'live' }));
});
afterAll(() => stores.close());

/** One invocation through `qualifier` (`live`, a version number, `$LATEST`, or none). */
const invokeAs = async (qualifier: string | null, event: unknown) => {
  const context = {
    ...lambdaContext('price-fetcher-test'),
    invokedFunctionArn: qualifier === null ? ARN : `${ARN}:${qualifier}`,
  };
  const response = (await handler(event, context)) as APIGatewayProxyResult;
  return { response, requestId: context.awsRequestId };
};

describe('a caller is trusted only through the alias API Gateway invokes (API_ALIAS)', () => {
  it('serves a request through the alias, audited under the token’s subject', async () => {
    const { response, requestId } = await invokeAs('live', apiEvent({ query: { id: 'PROD-101' } }));

    expect(response.statusCode).toBe(200);
    expect(await stores.auditItemFor(requestId)).toMatchObject([
      { pk: `${AuditKeys.userPrefix}${RECORDED_USER}`, userId: RECORDED_USER, status: 'SUCCESS' },
    ]);
  });

  it.each([['7'], ['$LATEST'], [null]])(
    'refuses a direct invoke (qualifier %s) that names a caller: 401, no price, audited as unidentified, never under the user it names',
    async (qualifier) => {
      // What anyone allowed lambda:InvokeFunction could send: a well-formed authorizer context of a victim.
      const forged = apiEvent({
        query: { id: 'PROD-101' },
        caller: { userId: RECORDED_USER, roles: 'price-reader' },
      });

      const { response, requestId } = await invokeAs(qualifier, forged);

      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      expect(response.body).not.toMatch(/99\.99|USD/);
      const items = await stores.auditItemFor(requestId);
      expect(items).toMatchObject([
        { pk: AuditKeys.unknownUser, status: 'REJECTED', errorCode: 'UNAUTHENTICATED' },
      ]);
      expect(items[0]).not.toHaveProperty('userId');
    },
  );

  it('still answers the deploy’s smoke test, a health check invoked by version number', async () => {
    const { response } = await invokeAs('7', { health_check: true });

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'ok' });
  });
});
