import { captureOutput, countedOnce, logLines, metricsPrinted } from '#testing/capture-output.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { TestStores } from '#testing/test-stores.ts';
import type { HttpEvent } from '#common/types/lambda.ts';
import {
  HANDLER,
  OTHER_USER,
  USER,
  getEvent,
  invoke,
  listEvent,
  putEvent,
} from '#testing/config-service-requests.ts';

let stores: TestStores;
beforeAll(async () => {
  stores = await TestStores.start();
});
afterAll(async () => {
  await stores.close();
});
// Fresh tables per test: version 1 of every key, so versions are predictable.
beforeEach(async () => {
  await stores.reset();
});

/** A fresh container with real log and metric output, as in Lambda (`on-demand` makes cold starts count). */
const loadObservedHandler = async (overrides: Record<string, string> = {}): Promise<LambdaHandler> => {
  const { result } = await captureOutput(() =>
    loadHandler(
      HANDLER,
      stores.configServiceEnv({
        LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_DISABLED: 'false',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        ...overrides,
      }),
    ),
  );
  return result;
};

/** A container past its cold start, so that what it prints next is one request's output only. */
const warmHandler = async (overrides: Record<string, string> = {}): Promise<LambdaHandler> => {
  const handler = await loadObservedHandler(overrides);
  await captureOutput(() => invoke(handler, listEvent()));
  return handler;
};

const SERVICE_DIMENSIONS = { service: 'config-service', stage: 'local' };

/** The one EMF document a request prints: `metric` counted once (latency is API Gateway's and Lambda's). */
const countedAlone = (metric: string) => [countedOnce('config-service', metric)];

const printedBy = async (handler: LambdaHandler, event: HttpEvent) => {
  const { result, lines } = await captureOutput(() => invoke(handler, event));
  return { statusCode: result.response.statusCode, body: result.body, metrics: metricsPrinted(lines), lines };
};

describe('EMF metrics', () => {
  it('on reads, prints ColdStart once and nothing else: API Gateway counts what is served (2xx)', async () => {
    const handler = await loadObservedHandler();

    const { result, lines } = await captureOutput(async () => [
      await invoke(handler, getEvent('maintenanceMode', { userId: USER })),
      await invoke(handler, listEvent()),
    ]);

    expect(result.map(({ response }) => response.statusCode)).toEqual([200, 200]);
    expect(metricsPrinted(lines)).toEqual([
      {
        namespace: 'PricingService',
        dimensions: { ...SERVICE_DIMENSIONS, function_name: 'config-service-test' },
        units: { ColdStart: 'Count' },
        values: { ColdStart: 1 },
      },
    ]);
    // Not even Powertools' "No application metrics to publish" warning: two reads, one line.
    expect(lines).toHaveLength(1);
  });

  it('on a write, counts the change: ConfigUpdated', async () => {
    const handler = await warmHandler();

    const printed = await printedBy(
      handler,
      putEvent('maintenanceMode', { value: true, expectedVersion: 1 }),
    );

    expect(printed.statusCode).toBe(200);
    expect(printed.metrics).toEqual(countedAlone('ConfigUpdated'));
  });

  it('on a stale write (409), prints VersionConflict and never ConfigUpdated', async () => {
    const handler = await warmHandler();
    await captureOutput(() =>
      invoke(
        handler,
        putEvent('priceCacheSeconds', { value: 5, expectedVersion: 1 }, { caller: { userId: OTHER_USER } }),
      ),
    );

    const printed = await printedBy(handler, putEvent('priceCacheSeconds', { value: 6, expectedVersion: 1 }));

    expect(printed.statusCode).toBe(409);
    expect(printed.metrics).toEqual(countedAlone('VersionConflict'));
  });

  it.each([
    ['a PUT with a bad body', putEvent('priceCacheSeconds', { value: 7200, expectedVersion: 1 })],
    ['a read with an unknown parameter', getEvent('maintenanceMode', { verbose: '1' })],
    ['a method the route does not serve', putEvent('maintenanceMode', {}, { method: 'DELETE' })],
  ])('on %s, prints RequestRejected', async (_case, event) => {
    const handler = await warmHandler();

    const printed = await printedBy(handler, event);

    expect([400, 405]).toContain(printed.statusCode);
    expect(printed.metrics).toEqual(countedAlone('RequestRejected'));
  });

  it.each([
    ['read', getEvent('supportedCurrencies')],
    ['write', putEvent('maintenanceMode', { value: true, expectedVersion: 1 })],
  ])(
    'when the audit table is down, a %s prints AuditWriteFailed once (the withheld answer is a 5xx to API Gateway)',
    async (_case, event) => {
      const handler = await warmHandler({ AUDIT_TABLE: 'no-such-audit' });

      const printed = await printedBy(handler, event);

      expect(printed.statusCode).toBe(503);
      expect(printed.body).toMatchObject({ error: { code: 'AUDIT_UNAVAILABLE' } });
      expect(printed.metrics).toEqual(countedAlone('AuditWriteFailed'));
    },
  );

  it('when the config table is down but the audit is written, prints ConfigUnavailable', async () => {
    const handler = await loadObservedHandler({ CONFIG_TABLE: 'no-such-config' });
    await captureOutput(() => invoke(handler, getEvent('maintenanceMode')));

    const printed = await printedBy(handler, getEvent('maintenanceMode'));

    expect(printed.statusCode).toBe(503);
    expect(printed.metrics).toEqual(countedAlone('ConfigUnavailable'));
  });

  it('when all of DynamoDB is down, the audit failure is what is counted: AuditWriteFailed, not ConfigUnavailable', async () => {
    const handler = await warmHandler();

    await stores.stopDynamo();
    let printed: Awaited<ReturnType<typeof printedBy>>;
    try {
      printed = await printedBy(handler, putEvent('maintenanceMode', { value: true, expectedVersion: 1 }));
    } finally {
      await stores.startDynamo();
    }

    expect(printed.statusCode).toBe(503);
    expect(printed.metrics).toEqual(countedAlone('AuditWriteFailed'));
    // The log names the audit failure; the config store's own failure (the same outage) is not logged apart.
    expect(logLines(printed.lines).map((line) => line.message)).toEqual([
      'Audit write failed; failing closed',
      'Request failed',
    ]);
  });
});

describe('structured logs', () => {
  it('puts the request id and the correlation id on every line of an invocation', async () => {
    const handler = await warmHandler({ AUDIT_TABLE: 'no-such-audit' });
    const correlationId = 'corr-config-observability-1';

    const printed = await printedBy(
      handler,
      putEvent(
        'maintenanceMode',
        { value: true, expectedVersion: 1 },
        { headers: { 'X-Correlation-Id': correlationId } },
      ),
    );

    const logs = logLines(printed.lines);
    expect(logs.map((line) => line.message)).toEqual([
      'Audit write failed; failing closed',
      'Request failed',
    ]);
    const requestId = (printed.body.error as { requestId: string }).requestId;
    for (const line of logs) {
      expect(line).toMatchObject({
        function_request_id: requestId,
        correlationId,
        service: 'config-service',
        stage: 'local',
      });
    }
  });

  it('never writes credentials or sensitive body fields of a PUT, even at DEBUG with event logging switched on', async () => {
    const secrets = {
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.config-secret-jwt.signature',
      cookie: 'session=config-cookie-secret-4711',
      apiKey: 'config-api-key-secret-0815',
      password: 'config-hunter2-password',
      token: 'config-refresh-token-31337',
      ssn: '078-05-1120',
      patientName: 'Jane Q. Config-Patient',
      bodyMarker: 'config-raw-body-marker-9f2c',
    };
    const credentials = {
      Authorization: secrets.authorization,
      Cookie: secrets.cookie,
      'X-Api-Key': secrets.apiKey,
    };
    const sensitiveBody = {
      value: true,
      expectedVersion: 1,
      password: secrets.password,
      token: secrets.token,
      ssn: secrets.ssn,
      patient_name: secrets.patientName,
      note: secrets.bodyMarker,
    };
    const handler = await loadObservedHandler({ LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true' });
    const unaudited = await loadObservedHandler({
      LOG_LEVEL: 'DEBUG',
      POWERTOOLS_LOGGER_LOG_EVENT: 'true',
      AUDIT_TABLE: 'no-such-audit',
    });

    const { result, lines } = await captureOutput(async () => {
      const refused = await invoke(
        handler,
        putEvent('maintenanceMode', sensitiveBody, { headers: credentials }),
      );
      const written = await invoke(
        handler,
        putEvent('maintenanceMode', { value: true, expectedVersion: 1 }, { headers: credentials }),
      );
      const failed = await invoke(
        unaudited,
        putEvent('priceCacheSeconds', { value: 90, expectedVersion: 1 }, { headers: credentials }),
      );
      const unparsable = await invoke(
        handler,
        putEvent('maintenanceMode', `{"value": true, "password": "${secrets.password}", `, {
          headers: credentials,
        }),
      );
      return [refused, written, failed, unparsable].map((reply) => reply.response.statusCode);
    });

    expect(result).toEqual([400, 200, 503, 400]);
    const printed = lines.map((line) => line.text).join('\n');
    expect(logLines(lines).length).toBeGreaterThanOrEqual(4);
    for (const secret of Object.values(secrets)) expect(printed).not.toContain(secret);
    // Neither the event nor the body is logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says.
    expect(printed).not.toMatch(
      /multiValueQueryStringParameters|Lambda invocation event|"body":|expectedVersion/,
    );
  });

  it('a refused PUT logs the names of the bad fields, never their values', async () => {
    const handler = await warmHandler();
    const event = putEvent(
      'supportedCurrencies',
      { value: ['USD', 'DROP TABLE config'], expectedVersion: 1 },
      { query: { limit: "admin' --" } },
    );

    const printed = await printedBy(handler, event);

    const [line] = logLines(printed.lines);
    expect(line).toMatchObject({
      message: 'Request refused',
      errorCode: 'VALIDATION_ERROR',
      statusCode: 400,
      fields: ['query', 'value.1'],
    });
    expect(printed.lines.map((entry) => entry.text).join('\n')).not.toMatch(/DROP TABLE|admin'/);
  });
});
