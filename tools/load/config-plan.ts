import { CONFIG_KEYS } from '#common/models/config.ts';
import type { PlannedRequest } from './plan.ts';

/** config-service's mix, in percent: reads, writes with the current version, stale writes, refused. */
export interface ConfigMix {
  read: number;
  write: number;
  stale: number;
  bad: number;
}

export const DEFAULT_CONFIG_MIX = '55,20,10,15';

/** Parses `55,20,10,15` (read, write, stale, bad percentages). */
export const parseConfigMix = (text: string): ConfigMix => {
  const parts = text.split(',').map((part) => Number(part.trim()));
  if (
    parts.length !== 4 ||
    parts.some((part) => !Number.isInteger(part) || part < 0) ||
    parts.reduce((a, b) => a + b, 0) !== 100
  ) {
    throw new Error(
      '--mix for config-service takes four whole percentages (read, write, stale, bad) that add up to 100, e.g. 55,20,10,15',
    );
  }
  const [read, write, stale, bad] = parts as [number, number, number, number];
  return { read, write, stale, bad };
};

const USERS = [
  '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c',
  '11111111-2222-4333-8444-555555555555',
  'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
];
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const KEY = '/config/{key}';
const HISTORY = '/config/{key}/history';

/**
 * A valid value for each key, varied by `n` so that consecutive versions differ; except maintenanceMode,
 * which stays false: price-fetcher obeys it, and a load run must never take prices down for whoever reads
 * the same table (a 503 MAINTENANCE mid-run would fail a price load as surely as a real outage).
 */
const valueFor = (key: string, n: number): unknown =>
  ({
    maintenanceMode: false,
    supportedCurrencies: [['USD'], ['USD', 'EUR'], ['EUR', 'CHF', 'GBP']][n % 3],
    priceCacheSeconds: n % 3601,
  })[key] ?? true;

type Shape = Omit<PlannedRequest, 'index' | 'kind'>;

const reads = (key: string, user: string): Shape[] => [
  { method: 'GET', resource: '/config', pathParameters: null, query: { userId: user }, expectedStatus: 200 },
  { method: 'GET', resource: KEY, pathParameters: { key }, query: null, expectedStatus: 200 },
  { method: 'GET', resource: KEY, pathParameters: { key }, query: { userId: user }, expectedStatus: 200 },
  { method: 'GET', resource: HISTORY, pathParameters: { key }, query: { limit: '5' }, expectedStatus: 200 },
];

/** Refused requests of the kinds config-service sees: unknown parameter, value, field, content type, key, limit, method. */
const refused = (key: string, user: string): Shape[] => [
  {
    method: 'PUT',
    resource: KEY,
    pathParameters: { key },
    query: { userId: user, force: '1' },
    headers: JSON_HEADERS,
    body: JSON.stringify({ value: valueFor(key, 1), expectedVersion: 1 }),
    expectedStatus: 400,
  },
  {
    method: 'PUT',
    resource: KEY,
    pathParameters: { key: 'priceCacheSeconds' },
    query: { userId: user },
    headers: JSON_HEADERS,
    body: JSON.stringify({ value: 7200, expectedVersion: 1 }),
    expectedStatus: 400,
  },
  {
    method: 'PUT',
    resource: KEY,
    pathParameters: { key },
    query: { userId: user },
    headers: JSON_HEADERS,
    body: JSON.stringify({ value: valueFor(key, 1), expectedVersion: 1, force: true }),
    expectedStatus: 400,
  },
  {
    method: 'PUT',
    resource: KEY,
    pathParameters: { key },
    query: { userId: user },
    headers: { 'Content-Type': 'text/plain' },
    body: "value=true' OR 1=1 --",
    expectedStatus: 415,
  },
  { method: 'GET', resource: KEY, pathParameters: { key: 'darkLaunch' }, query: null, expectedStatus: 404 },
  {
    method: 'GET',
    resource: KEY,
    pathParameters: { key: '../etc/passwd' },
    query: null,
    expectedStatus: 400,
  },
  { method: 'GET', resource: HISTORY, pathParameters: { key }, query: { limit: '0' }, expectedStatus: 400 },
  { method: 'DELETE', resource: KEY, pathParameters: { key }, query: { userId: user }, expectedStatus: 405 },
];

/**
 * A deterministic plan of `total` config-service requests in the given mix, interleaved. Writes name their
 * key and value; their `expectedVersion` is filled in when they are sent (versioned-writes.ts), the current
 * version for a `write` (200) and an older one for a `stale` write (409).
 */
export const planConfigRequests = (total: number, mix: ConfigMix): PlannedRequest[] =>
  Array.from({ length: total }, (_, index) => {
    const slot = (index * 37) % 100; // 37 is coprime with 100: the kinds interleave evenly
    const user = USERS[index % USERS.length]!;
    const key = CONFIG_KEYS[index % CONFIG_KEYS.length]!;
    if (slot < mix.read) {
      const shapes = reads(key, user);
      return { index, caller: user, kind: 'read', ...shapes[index % shapes.length]! };
    }
    if (slot < mix.read + mix.write + mix.stale) {
      const kind = slot < mix.read + mix.write ? 'write' : 'stale';
      return {
        index,
        caller: user,
        kind,
        method: 'PUT',
        resource: KEY,
        pathParameters: { key },
        query: { userId: user },
        headers: JSON_HEADERS,
        write: { key, value: valueFor(key, index), expected: kind === 'write' ? 'current' : 'stale' },
        expectedStatus: kind === 'write' ? 200 : 409,
      };
    }
    const shapes = refused(key, user);
    return { index, caller: user, kind: 'bad', ...shapes[index % shapes.length]! };
  });
