import type { APIGatewayProxyResult } from 'aws-lambda';
import { AuditKeys } from '#common/constants/audit.ts';
import { lambdaContext } from '#testing/api-gateway.ts';
import { HANDLER, OTHER_USER, putEvent } from '#testing/config-service-requests.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:config-service-test';

let stores: TestStores;
let handler: LambdaHandler;

beforeAll(async () => {
  stores = await TestStores.start();
  // As deployed: API Gateway invokes the `live` alias.
  handler = await loadHandler(HANDLER, stores.configServiceEnv({ API_ALIAS: 'live' }));
});
afterAll(() => stores.close());

const invokeAs = async (qualifier: string, event: unknown) => {
  const context = { ...lambdaContext('config-service-test'), invokedFunctionArn: `${ARN}:${qualifier}` };
  const response = (await handler(event, context)) as APIGatewayProxyResult;
  return { response, requestId: context.awsRequestId };
};

describe('config-service trusts a caller only through the alias API Gateway invokes (API_ALIAS)', () => {
  it('refuses a change invoked directly on a version in another user’s name: 401, no new version, audited as unidentified', async () => {
    const forged = putEvent(
      'maintenanceMode',
      { value: true, expectedVersion: 1 },
      { caller: { userId: OTHER_USER } },
    );

    const { response, requestId } = await invokeAs('7', forged);

    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await stores.configVersions('maintenanceMode')).map((item) => item.version)).toEqual([1]);
    expect(await stores.auditItemFor(requestId)).toMatchObject([
      { pk: AuditKeys.unknownUser, status: 'REJECTED', errorCode: 'UNAUTHENTICATED' },
    ]);
  });

  it('makes the same change through the alias, recorded under the token’s subject', async () => {
    const { response, requestId } = await invokeAs(
      'live',
      putEvent('maintenanceMode', { value: true, expectedVersion: 1 }, { caller: { userId: OTHER_USER } }),
    );

    expect(response.statusCode).toBe(200);
    expect((await stores.configVersions('maintenanceMode')).map((item) => item.version)).toEqual([1, 2]);
    expect(await stores.auditItemFor(requestId)).toMatchObject([
      { pk: `${AuditKeys.userPrefix}${OTHER_USER}`, status: 'SUCCESS', action: 'CONFIG_UPDATE' },
    ]);
  });
});
