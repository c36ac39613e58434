import type { APIGatewayProxyResult } from 'aws-lambda';
import { REDACTED, SENSITIVE_LOG_KEYS } from '#common/constants/logging.ts';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import {
  captureOutput,
  captureOutputSync,
  countedOnce,
  logLines,
  metricsPrinted,
} from '#testing/capture-output.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';
import { createLogger } from '#common/utils/observability.ts';

const HANDLER = '#functions/price-fetcher/src/handler.ts';
const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

let stores: TestStores;
beforeAll(async () => {
  stores = await TestStores.start();
});
afterAll(async () => {
  await stores.close();
});

/** A fresh container with real log and metric output, as in Lambda (`on-demand` makes cold starts count). */
const loadObservedHandler = async (overrides: Record<string, string> = {}): Promise<LambdaHandler> => {
  const { result } = await captureOutput(() =>
    loadHandler(
      HANDLER,
      stores.priceFetcherEnv({
        LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_DISABLED: 'false',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        ...overrides,
      }),
    ),
  );
  return result;
};

const invoke = async (
  handler: LambdaHandler,
  event = apiEvent({ query: { id: 'PROD-101', userId: USER } }),
) => {
  const context = lambdaContext();
  const response = (await handler(event, context)) as APIGatewayProxyResult;
  return { response, requestId: context.awsRequestId };
};

describe('structured logs', () => {
  it('puts the request id and the correlation id on every line of an invocation', async () => {
    const handler = await loadObservedHandler();
    const correlationId = 'corr-observability-0001';
    const rejected = apiEvent({
      query: { id: 'not a product' },
      headers: { 'X-Correlation-Id': correlationId },
    });

    const { result, lines } = await captureOutput(async () => {
      const refused = await invoke(handler, rejected);
      await stores.stopDynamo();
      try {
        const failed = await invoke(
          handler,
          apiEvent({
            query: { id: 'PROD-101', userId: USER },
            headers: { 'X-Correlation-Id': correlationId },
          }),
        );
        return [refused.requestId, failed.requestId];
      } finally {
        await stores.startDynamo();
      }
    });

    const logs = logLines(lines);
    expect(logs.map((line) => line.message)).toEqual([
      'Request refused',
      'Audit write failed; failing closed',
      'Request failed',
    ]);
    expect(logs.map((line) => line.function_request_id)).toEqual([result[0], result[1], result[1]]);
    for (const line of logs)
      expect(line).toMatchObject({ correlationId, service: 'price-fetcher', stage: 'local' });
  });

  it('never writes sensitive headers, parameters or body values, even at DEBUG with event logging switched on', async () => {
    const handler = await loadObservedHandler({ LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true' });
    const secrets = {
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-jwt-payload.signature',
      cookie: 'session=cookie-secret-4711',
      apiKey: 'api-key-secret-0815',
      password: 'hunter2-password-secret',
      token: 'refresh-token-secret-31337',
      ssn: '078-05-1120',
      patientName: 'Jane Q. Patient',
      bodyMarker: 'raw-body-marker-9f2c',
    };
    const hostile = apiEvent({
      method: 'GET',
      query: {
        id: 'PROD-101',
        userId: USER,
        password: secrets.password,
        ssn: secrets.ssn,
        patient_name: secrets.patientName,
      },
      headers: {
        Authorization: secrets.authorization,
        Cookie: secrets.cookie,
        'X-Api-Key': secrets.apiKey,
        'X-Refresh-Token': secrets.token,
      },
      body: JSON.stringify({ password: secrets.password, token: secrets.token, note: secrets.bodyMarker }),
    });
    const valid = apiEvent({
      query: { id: 'PROD-101', userId: USER },
      headers: { Authorization: secrets.authorization, Cookie: secrets.cookie, 'X-Api-Key': secrets.apiKey },
    });

    const { lines } = await captureOutput(async () => {
      await invoke(handler, hostile);
      await invoke(handler, valid);
      await stores.stopDynamo();
      try {
        await invoke(handler, valid);
      } finally {
        await stores.startDynamo();
      }
    });

    const printed = lines.map((line) => line.text).join('\n');
    expect(logLines(lines).length).toBeGreaterThanOrEqual(3);
    for (const secret of Object.values(secrets)) expect(printed).not.toContain(secret);
    // Neither the event nor the body is logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says.
    expect(printed).not.toMatch(/multiValueQueryStringParameters|Lambda invocation event|"body"/);
  });

  it('redacts every sensitive key at any depth, in any case, and keeps everything else', () => {
    const logger = createLogger({
      POWERTOOLS_SERVICE_NAME: 'redaction-test',
      STAGE: 'local',
      LOG_LEVEL: 'INFO',
      APP_VERSION: '1',
    });
    const cause = Object.assign(new Error('upstream refused'), {
      config: { headers: { 'x-api-key': 'k-secret' } },
    });

    const { lines } = captureOutputSync(() =>
      logger.info('Outbound call', {
        headers: { Authorization: 'Bearer a-secret', 'Set-Cookie': 'c-secret', Accept: 'application/json' },
        multiValueHeaders: { COOKIE: ['c1-secret', 'c2-secret'] },
        user: { profile: { PATIENT_NAME: 'p-secret', patientName: 'p2-secret', ssn: 's-secret', age: 42 } },
        attempts: [{ db_password: 'pw-secret', host: 'db.internal' }, { accessToken: 't-secret' }],
        error: new Error('wrapped', { cause }),
      }),
    );

    const [line] = lines;
    expect(line).toBeDefined();
    for (const secret of [
      'a-secret',
      'c-secret',
      'c1-secret',
      'c2-secret',
      'p-secret',
      'p2-secret',
      's-secret',
      'pw-secret',
      't-secret',
      'k-secret',
    ]) {
      expect(line!.text).not.toContain(secret);
    }
    expect(line!.json).toMatchObject({
      headers: { Authorization: REDACTED, 'Set-Cookie': REDACTED, Accept: 'application/json' },
      multiValueHeaders: { COOKIE: REDACTED },
      user: { profile: { PATIENT_NAME: REDACTED, patientName: REDACTED, ssn: REDACTED, age: 42 } },
      attempts: [{ db_password: REDACTED, host: 'db.internal' }, { accessToken: REDACTED }],
      error: { message: 'wrapped', cause: { message: 'upstream refused' } },
    });
    expect([...SENSITIVE_LOG_KEYS]).toEqual([
      'authorization',
      'cookie',
      'x-api-key',
      'password',
      'token',
      'ssn',
      'patient_name',
    ]);
  });
});

describe('EMF metrics', () => {
  it('on a success, prints ColdStart once and nothing else: API Gateway counts what is served (2xx), not an EMF line', async () => {
    const handler = await loadObservedHandler();

    const { result, lines } = await captureOutput(async () => [await invoke(handler), await invoke(handler)]);

    expect(result.map(({ response }) => response.statusCode)).toEqual([200, 200]);
    expect(metricsPrinted(lines)).toEqual([
      {
        namespace: 'PricingService',
        dimensions: { service: 'price-fetcher', stage: 'local', function_name: 'price-fetcher-test' },
        units: { ColdStart: 'Count' },
        values: { ColdStart: 1 },
      },
    ]);
    // Not even Powertools' "No application metrics to publish" warning: two served prices, one line.
    expect(lines).toHaveLength(1);
  });

  it.each([
    ['an unknown product', 'PriceNotFound', { id: 'PROD-999', userId: USER }],
    ['a rejected request', 'RequestRejected', { id: 'not a product', userId: USER }],
    ['a userId that is not the caller', 'IdentityRejected', { id: 'PROD-101', userId: 'nobody' }],
  ])('on %s, prints %s alone', async (_case, metric, query) => {
    const handler = await loadObservedHandler();
    await captureOutput(() => invoke(handler)); // the cold start

    const { lines } = await captureOutput(() => invoke(handler, apiEvent({ query })));

    expect(metricsPrinted(lines)).toEqual([countedOnce('price-fetcher', metric)]);
  });

  it('when the audit write fails, counts AuditWriteFailed once (the withheld price is a 5xx to API Gateway)', async () => {
    const handler = await loadObservedHandler();
    await captureOutput(() => invoke(handler)); // the cold start

    await stores.stopDynamo();
    let output: Awaited<ReturnType<typeof captureOutput<unknown>>>;
    try {
      output = await captureOutput(() => invoke(handler));
    } finally {
      await stores.startDynamo();
    }

    expect(metricsPrinted(output.lines)).toEqual([countedOnce('price-fetcher', 'AuditWriteFailed')]);
  });

  it('when the price source is down, prints SourceUnavailable', async () => {
    const handler = await loadObservedHandler({ SQLITE_PATH: `${stores.dir}/absent/price.db` });
    await captureOutput(() => invoke(handler));

    const { lines } = await captureOutput(() => invoke(handler));

    expect(metricsPrinted(lines)).toEqual([countedOnce('price-fetcher', 'SourceUnavailable')]);
  });

  it('in maintenance, counts MaintenanceRefused and logs the refusal at INFO: the switch working is no failure', async () => {
    const handler = await loadObservedHandler({ CONFIG_CACHE_SECONDS: '0' });
    await captureOutput(() => invoke(handler));
    await stores.storeConfigVersion('maintenanceMode', true, USER);
    try {
      const { result, lines } = await captureOutput(() => invoke(handler));

      expect(result.response.statusCode).toBe(503);
      expect(metricsPrinted(lines)).toEqual([countedOnce('price-fetcher', 'MaintenanceRefused')]);
      expect(logLines(lines)).toEqual([
        expect.objectContaining({ level: 'INFO', message: 'Request refused', errorCode: 'MAINTENANCE' }),
      ]);
    } finally {
      await stores.reset();
    }
  });

  it('prints what init counted at the start of the first invocation, even a health check, which skips every after', async () => {
    // The init read of the switches fails: ConfigUnavailable is counted before any request exists.
    const handler = await loadObservedHandler({ CONFIG_TABLE: 'pricing-config-missing' });

    const { result, lines } = await captureOutput(
      async () => (await handler({ health_check: true }, lambdaContext())) as APIGatewayProxyResult,
    );

    expect(result.statusCode).toBe(503); // the configTable probe fails too
    expect(metricsPrinted(lines)).toEqual([
      countedOnce('price-fetcher', 'ConfigUnavailable'),
      {
        namespace: 'PricingService',
        dimensions: { service: 'price-fetcher', stage: 'local', function_name: 'price-fetcher-test' },
        units: { ColdStart: 'Count' },
        values: { ColdStart: 1 },
      },
    ]);
  });

  it('when the config table cannot be read, counts ConfigUnavailable and still serves the price', async () => {
    const handler = await loadObservedHandler({
      CONFIG_CACHE_SECONDS: '0',
      CONFIG_TABLE: 'pricing-config-missing',
    });
    await captureOutput(() => invoke(handler));

    const { result, lines } = await captureOutput(() => invoke(handler));

    expect(result.response.statusCode).toBe(200);
    expect(metricsPrinted(lines)).toEqual([countedOnce('price-fetcher', 'ConfigUnavailable')]);
  });
});
