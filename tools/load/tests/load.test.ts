import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AuditItem } from '#common/models/audit.ts';
import { reconcileAudit } from '#testing/audit-reconciliation.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import { CONFIG_KEYS } from '#common/models/config.ts';
import { TestStores } from '#testing/test-stores.ts';
import { parseConfigMix, planConfigRequests } from '../config-plan.ts';
import { runLoad } from '../driver.ts';
import { parseMix, planRequests } from '../plan.ts';
import { buildReport } from '../report.ts';
import { handlerTarget } from '../targets.ts';
import { versionedWrites } from '../versioned-writes.ts';

const run = promisify(execFile);
const HANDLER = '#functions/price-fetcher/src/handler.ts';
const CONFIG_HANDLER = '#functions/config-service/src/handler.ts';

describe('load driver and reconciliation', () => {
  let stores: TestStores;
  let handler: LambdaHandler;
  beforeAll(async () => {
    stores = await TestStores.start();
    handler = await loadHandler(HANDLER, stores.priceFetcherEnv());
  });
  afterAll(async () => {
    await stores.close();
  });

  it('plans the mix it is given, interleaved, with the status each kind must get', () => {
    const plan = planRequests(1000, parseMix('70,15,15'));
    const kinds = plan.reduce<Record<string, number>>(
      (counts, request) => ({ ...counts, [request.kind]: (counts[request.kind] ?? 0) + 1 }),
      {},
    );
    expect(kinds).toEqual({ good: 700, unknown: 150, bad: 150 });
    expect(new Set(plan.slice(0, 20).map((request) => request.kind))).toEqual(
      new Set(['good', 'unknown', 'bad']),
    );
    expect(() => parseMix('50,50')).toThrow('three whole percentages');
  });

  it('through the real handler, N requests at concurrency C reconcile with exactly N audit items', async () => {
    const plan = planRequests(300, parseMix('60,20,20'));

    const result = await runLoad({
      target: handlerTarget(handler),
      plan,
      concurrency: 16,
      runId: 'jest-load',
    });
    const items = (await stores.auditItems()).filter((item) => item.correlationId.startsWith('jest-load-'));
    const report = buildReport(result, plan.length, items);

    expect(report).toMatchObject({ completed: 300, unexpectedResponses: [], timedOut: false, ok: true });
    expect(report.audit).toMatchObject({
      found: 300,
      missing: [],
      duplicated: [],
      mismatched: [],
      unexpected: [],
    });
    expect(report.byStatus).toEqual({
      '200': 180,
      '404': 60,
      '400': expect.any(Number),
      '405': expect.any(Number),
    });
  });

  it('catches a lost item, a duplicate and a wrong status', () => {
    const item = (requestId: string, status: AuditItem['status'], httpStatus: number) => ({
      requestId,
      status,
      httpStatus,
    });

    const reconciliation = reconcileAudit(
      [
        item('a', 'SUCCESS', 200),
        item('a', 'SUCCESS', 200),
        item('c', 'SUCCESS', 200),
        item('z', 'ERROR', 503),
      ],
      [
        { requestId: 'a', statusCode: 200 },
        { requestId: 'b', statusCode: 404 },
        { requestId: 'c', statusCode: 503 },
      ],
    );

    expect(reconciliation).toMatchObject({
      missing: ['b'],
      duplicated: ['a'],
      mismatched: [{ requestId: 'c', expected: 'ERROR/503', actual: 'SUCCESS/200' }],
      unexpected: ['z'],
      ok: false,
    });
  });

  it('npm run test:load drives the built bundle, prints the figures and exits 0 when everything reconciles', async () => {
    const { stdout } = await run(
      process.execPath,
      ['tools/load/cli.ts', '-n', '400', '-c', '8', '--no-build', '--json'],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );

    const [, ...rest] = stdout.trimEnd().split('\n');
    const report = JSON.parse(rest.at(-1)!) as ReturnType<typeof buildReport>;
    expect(stdout).toMatch(/requests {6}400 of 400 in [\d.]+ s \([\d.]+ req\/s\)/);
    expect(stdout).toMatch(/latency {7}p50 [\d.]+ ms {2}p95 [\d.]+ ms {2}p99 [\d.]+ ms/);
    expect(stdout).toContain(
      'audit items   400 found for 400 answered requests: missing 0, duplicated 0, wrong status 0, unexplained 0',
    );
    expect(stdout).toContain('result        RECONCILED');
    expect(report).toMatchObject({
      requests: 400,
      ok: true,
      byKind: { 'good (200)': 280, 'unknown (404)': 60 },
    });
  }, 120_000);

  it('exits 1 when the time cap stops the run before every request is sent', async () => {
    const failure = (await run(process.execPath, [
      'tools/load/cli.ts',
      '-n',
      '100000',
      '-c',
      '4',
      '--no-build',
      '--max-seconds',
      '1',
    ]).catch((error: unknown) => error)) as { code: number; stdout: string };

    expect(failure.code).toBe(1);
    expect(failure.stdout).toContain('STOPPED AT THE TIME CAP');
    expect(failure.stdout).toContain('result        FAILED');
  }, 120_000);

  it('the config-service plan writes maintenanceMode, but never switches maintenance on', () => {
    const writes = planConfigRequests(1000, parseConfigMix('55,20,10,15')).filter(
      (request) => request.write?.key === 'maintenanceMode',
    );

    expect(writes.length).toBeGreaterThan(0);
    expect(new Set(writes.map((request) => request.write!.value))).toEqual(new Set([false]));
  });

  it('config-service: reads, current and stale writes and refusals reconcile with the audit trail and the stored versions', async () => {
    const configHandler = await loadHandler(CONFIG_HANDLER, stores.configServiceEnv());
    const plan = planConfigRequests(400, parseConfigMix('55,20,10,15'));
    const target = versionedWrites(
      handlerTarget(configHandler, 'config-service handler', 'config-service-load'),
      Object.fromEntries(CONFIG_KEYS.map((key) => [key, 1])),
    );

    const result = await runLoad({ target, plan, concurrency: 16, runId: 'jest-config-load' });
    const items = (await stores.auditItems()).filter((item) =>
      item.correlationId.startsWith('jest-config-load-'),
    );
    const report = buildReport(result, plan.length, items);

    expect(report).toMatchObject({ completed: 400, unexpectedResponses: [], timedOut: false, ok: true });
    expect(report.byKind).toEqual({
      'read (200)': 220,
      'write (200)': 80,
      'stale (409)': 40,
      'bad (400)': expect.any(Number),
      'bad (404)': expect.any(Number),
      'bad (405)': expect.any(Number),
      'bad (415)': expect.any(Number),
    });
    // Each key holds its seed and exactly the writes answered 200, and the audit says the same.
    for (const key of CONFIG_KEYS) {
      const versions = await stores.configVersions(key);
      expect(versions).toHaveLength(target.versions()[key]!);
      expect(versions).toHaveLength(
        1 + plan.filter((request) => request.kind === 'write' && request.write?.key === key).length,
      );
    }
    expect(items.filter((item) => item.action === 'CONFIG_UPDATE' && item.status === 'SUCCESS')).toHaveLength(
      80,
    );
  });

  it('npm run test:load -- --function config-service drives its built bundle and reconciles audit and versions', async () => {
    const { stdout } = await run(
      process.execPath,
      ['tools/load/cli.ts', '--function', 'config-service', '-n', '400', '-c', '8', '--no-build', '--json'],
      { maxBuffer: 16 * 1024 * 1024 },
    );

    const report = JSON.parse(stdout.trimEnd().split('\n').at(-1)!) as ReturnType<typeof buildReport> & {
      versions: { expected: Record<string, number>; stored: Record<string, number> };
    };
    expect(stdout).toContain(
      'audit items   400 found for 400 answered requests: missing 0, duplicated 0, wrong status 0, unexplained 0',
    );
    expect(stdout).toMatch(/versions {6}maintenanceMode 26 stored \/ 26 expected, .*: RECONCILED/);
    expect(report).toMatchObject({
      ok: true,
      byKind: { 'read (200)': 220, 'write (200)': 80, 'stale (409)': 40 },
    });
    expect(report.versions.stored).toEqual(report.versions.expected);
  }, 120_000);

  it.each([
    [
      ['--function', 'config-service', '--mix', '70,15,15'],
      '--mix for config-service takes four whole percentages',
    ],
    [['--function', 'config-service', '--url', 'http://127.0.0.1:3000'], '--url drives price-fetcher only'],
    [['--function', 'billing'], '--function: must be price-fetcher or config-service'],
  ])('refuses %j with exit code 2', async (args, message) => {
    const failure = (await run(process.execPath, ['tools/load/cli.ts', ...args, '--no-build']).catch(
      (error: unknown) => error,
    )) as { code: number; stderr: string };

    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain(message);
  });
});
