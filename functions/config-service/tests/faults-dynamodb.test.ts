import { CONFIG_KEYS } from '#common/models/config.ts';
import type { ConfigItem } from '#common/models/config.ts';
import { reconcileAudit } from '#testing/audit-reconciliation.ts';
import type { LambdaHandler } from '#testing/load-handler.ts';
import { loadHandler } from '#testing/load-handler.ts';
import type { OutageRun, PhasedOutcome } from '#testing/outage.ts';
import { runDynamoOutage } from '#testing/outage.ts';
import { TEST_AUDIT_TABLE, TestStores } from '#testing/test-stores.ts';
import type { HttpEvent } from '#common/types/lambda.ts';
import { SEED_REQUEST_ID } from '#testing/local-stack.ts';
import {
  HANDLER,
  errorOf,
  getEvent,
  historyEvent,
  invoke,
  listEvent,
  putEvent,
} from '#testing/config-service-requests.ts';

let stores: TestStores;
let handler: LambdaHandler;

beforeAll(async () => {
  // Persisted, like a real table: an outage must not lose what was written before it.
  stores = await TestStores.start({ persistDynamo: true });
  // The template's settings, the 30 s cache included: a cached read must not escape the audit either.
  handler = await loadHandler(HANDLER, stores.configServiceEnv());
});
afterAll(async () => {
  await stores.close();
});

interface Outcome extends PhasedOutcome {
  requestId: string;
  method: string;
  statusCode: number;
  body: string;
}

const codeOf = (outcome: Outcome): string =>
  outcome.statusCode < 400 ? 'OK' : errorOf(JSON.parse(outcome.body)).code;

describe('DynamoDB taken away mid-run and brought back (DynamoDB Local behind a fault proxy, real config-service handler)', () => {
  it('fails closed with no configuration in any 503, keeps versions and audit consistent, and recovers without a restart', async () => {
    const send = async (run: OutageRun<Outcome>, event: HttpEvent) => {
      const started = run.phase;
      const reply = await invoke(handler, event);
      const outcome: Outcome = {
        requestId: reply.requestId,
        method: event.httpMethod,
        statusCode: reply.response.statusCode,
        body: reply.response.body,
        started,
        ended: run.phase,
      };
      run.outcomes.push(outcome);
      return { ...reply, outcome };
    };

    // One writer per key writes with the version it last saw, and re-reads after a 409 or a 503 (a 503 whose
    // transaction was stored but whose acknowledgement was lost leaves a version the writer did not see).
    const writers = (run: OutageRun<Outcome>) =>
      CONFIG_KEYS.map(async (key, writer) => {
        let known = 1;
        for (let index = 0; run.running; index += 1) {
          const value = {
            maintenanceMode: index % 2 === 0,
            supportedCurrencies: index % 2 === 0 ? ['USD'] : ['EUR', 'CHF'],
            priceCacheSeconds: (index * 7 + writer) % 3600,
          }[key];
          const { response, body } = await send(run, putEvent(key, { value, expectedVersion: known }));
          if (response.statusCode === 200) {
            known = (body as unknown as ConfigItem).version;
            continue;
          }
          const latest = await send(run, historyEvent(key, { limit: '1' }));
          if (latest.response.statusCode === 200) known = (latest.body.items as ConfigItem[])[0]!.version;
        }
      });
    // Four readers: one key (through the cache), the list, and a history page.
    const readers = (run: OutageRun<Outcome>) =>
      Array.from({ length: 4 }, async (_, reader) => {
        for (let index = 0; run.running; index += 1) {
          const key = CONFIG_KEYS[(index + reader) % CONFIG_KEYS.length]!;
          await send(run, [getEvent(key), listEvent(), historyEvent(key, { limit: '5' })][index % 3]!);
        }
      });
    const { outcomes, certain } = await runDynamoOutage<Outcome>(stores, 150, (run) => [
      ...writers(run),
      ...readers(run),
    ]);
    const answers = (list: Outcome[]) =>
      new Set(list.map((outcome) => `${outcome.statusCode} ${codeOf(outcome)}`));
    // Down: every request, read or write, cached or not, is refused with 503 AUDIT_UNAVAILABLE: the config
    // store failed too, but what decides is that no audit item can be written (the audit middleware's error
    // replaces the config error). CONFIG_UNAVAILABLE can only be seen at the edges, when the audit table
    // answers and the config table does not.
    expect(answers(certain('down'))).toEqual(new Set(['503 AUDIT_UNAVAILABLE']));
    const refused = outcomes.filter((outcome) => outcome.statusCode >= 500);
    for (const outcome of refused) {
      const body = JSON.parse(outcome.body) as unknown;
      expect(body).toEqual({
        error: {
          code: expect.stringMatching(/^(AUDIT_UNAVAILABLE|CONFIG_UNAVAILABLE)$/),
          message: expect.any(String),
          requestId: outcome.requestId,
        },
      });
      // No configuration in any form: no item, no value, no version, no currency.
      expect(outcome.body).not.toMatch(/"items"|"value"|"version"|"updatedBy"|USD|EUR|CHF/);
    }
    // Before and after: served normally by the same container, with no restart in between.
    // Each writer has its own key, so a 409 after the outage can only come from a version written by a
    // request that got a 503 (the writer then re-reads and carries on).
    expect(answers(certain('before'))).toEqual(new Set(['200 OK']));
    expect(answers(certain('after'))).toContain('200 OK');
    expect(['200 OK', '409 VERSION_CONFLICT']).toEqual(
      expect.arrayContaining([...answers(certain('after'))]),
    );
    const writesAfter = certain('after').filter(
      (outcome) => outcome.method === 'PUT' && outcome.statusCode === 200,
    );
    expect(writesAfter.length).toBeGreaterThan(0);

    // Nothing served is unaudited: every 200 and 409 of the whole run has exactly one audit item.
    const items = await stores.auditItems();
    const served = outcomes.filter((outcome) => outcome.statusCode < 500);
    const servedIds = new Set(served.map((outcome) => outcome.requestId));
    expect(
      reconcileAudit(
        items.filter((item) => servedIds.has(item.requestId)),
        served,
      ),
    ).toMatchObject({
      ok: true,
    });
    // A refused request may still have its item (written, but the acknowledgement was lost): never two.
    const refusedIds = new Set(refused.map((outcome) => outcome.requestId));
    const perRefused = new Map<string, number>();
    for (const item of items.filter((item) => refusedIds.has(item.requestId)))
      perRefused.set(item.requestId, (perRefused.get(item.requestId) ?? 0) + 1);
    expect([...perRefused.values()].every((n) => n === 1)).toBe(true);
    expect(items).toHaveLength(served.length + perRefused.size);

    // The config table: per key, versions 1..n with no gap; each version after the seed was written by a
    // request of this run that got either its 200 (the item it returned, exactly) or a 503. Never by a
    // request that was told 409. Every 200 is stored: nothing written and acknowledged was lost.
    const byRequest = new Map(outcomes.map((outcome) => [outcome.requestId, outcome]));
    const gap: { key: string; version: number; requestId: string }[] = [];
    for (const key of CONFIG_KEYS) {
      const versions = await stores.configVersions(key);
      expect(versions.map((version) => version.version)).toEqual(versions.map((_, index) => index + 1));
      expect(versions[0]!.requestId).toBe(SEED_REQUEST_ID);
      for (const version of versions.slice(1)) {
        const writer = byRequest.get(version.requestId);
        expect(writer?.method).toBe('PUT');
        expect([200, 503]).toContain(writer!.statusCode);
        if (writer!.statusCode === 200) {
          const { pk: _pk, sk: _sk, requestId: _requestId, ...item } = version;
          expect(JSON.parse(writer!.body)).toEqual(item);
        } else {
          gap.push({ key, version: version.version, requestId: version.requestId });
        }
      }
    }
    const acknowledged = outcomes.filter((outcome) => outcome.method === 'PUT' && outcome.statusCode === 200);
    const stored = new Set<string>();
    for (const key of CONFIG_KEYS)
      for (const version of await stores.configVersions(key)) stored.add(version.requestId);
    for (const outcome of acknowledged) expect(stored.has(outcome.requestId)).toBe(true);
    // One fact: every version, including one stored for a request whose answer the outage cut (503), has
    // the SUCCESS CONFIG_UPDATE item of its own transaction. No change without evidence.
    const auditedChanges = new Set(
      items
        .filter((item) => item.action === 'CONFIG_UPDATE' && item.status === 'SUCCESS')
        .map((item) => item.requestId),
    );
    for (const entry of gap) {
      expect(refusedIds.has(entry.requestId)).toBe(true);
      expect(auditedChanges.has(entry.requestId)).toBe(true);
    }
  }, 90_000);

  it('the gap is closed: a change whose audit write is refused stores no version, and a retry succeeds once the trail is back', async () => {
    const [before] = (await stores.configVersions('priceCacheSeconds')).slice(-1);
    const expectedVersion = before!.version;
    stores.faults.addRule({
      match: (request) => request.body.includes(TEST_AUDIT_TABLE) && request.operation !== 'DescribeTable',
      fault: { kind: 'refuse' },
    });

    const failed = await invoke(handler, putEvent('priceCacheSeconds', { value: 1234, expectedVersion }));
    stores.faults.reset();
    const retried = await invoke(handler, putEvent('priceCacheSeconds', { value: 1234, expectedVersion }));

    expect(failed.response.statusCode).toBe(503);
    expect(failed.body).toEqual({
      error: { code: 'AUDIT_UNAVAILABLE', message: expect.any(String), requestId: failed.requestId },
    });
    // Nothing of the refused change is stored: the version and its audit item were one transaction.
    const items = await stores.auditItems();
    expect(items.filter((item) => item.requestId === failed.requestId)).toEqual([]);
    // So the retry is not a 409 against a ghost of itself: it writes the version, audited.
    expect(retried.response.statusCode).toBe(200);
    const [written] = (await stores.configVersions('priceCacheSeconds')).slice(-1);
    expect(written).toMatchObject({
      version: expectedVersion + 1,
      value: 1234,
      requestId: retried.requestId,
    });
    expect(items.filter((item) => item.requestId === retried.requestId)).toMatchObject([
      { action: 'CONFIG_UPDATE', status: 'SUCCESS' },
    ]);
    // The reconciliation query of old finds nothing: every version has its audit item.
    const versions = (await Promise.all(CONFIG_KEYS.map((key) => stores.configVersions(key)))).flat();
    const audited = new Set(items.map((item) => item.requestId));
    expect(
      versions.filter((version) => version.requestId !== SEED_REQUEST_ID && !audited.has(version.requestId)),
    ).toEqual([]);
  });
});
