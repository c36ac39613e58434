/**
 * The kinds of request a load run mixes. price-fetcher: served, unknown product, refused. config-service:
 * reads, writes with the current version, stale writes (409) and refused requests.
 */
export type RequestKind = 'good' | 'unknown' | 'bad' | 'read' | 'write' | 'stale';

/** A PUT whose `expectedVersion` is only known when it is sent (see versioned-writes.ts). */
export interface VersionedWrite {
  key: string;
  value: unknown;
  /** `current`: the version the table holds (200); `stale`: an older one (409). */
  expected: 'current' | 'stale';
}

export interface PlannedRequest {
  index: number;
  kind: RequestKind;
  method: string;
  /** Each value is one occurrence; an array repeats the parameter. `null`: no query string. */
  query: Record<string, string | string[]> | null;
  expectedStatus: number;
  /** The route template (`/config/{key}`) when the function serves several; default: the recorded event's. */
  resource?: string;
  pathParameters?: Record<string, string> | null;
  headers?: Record<string, string>;
  /** The caller the token authorizer proved (`requestContext.authorizer.userId`); default: the recorded one. */
  caller?: string;
  /** The request body as sent; a `write` is turned into one when it is sent. */
  body?: string | null;
  write?: VersionedWrite;
}

export interface Mix {
  good: number;
  unknown: number;
  bad: number;
}

/** Parses `70,15,15` (good, unknown, bad percentages). */
export const parseMix = (text: string): Mix => {
  const parts = text.split(',').map((part) => Number(part.trim()));
  if (
    parts.length !== 3 ||
    parts.some((part) => !Number.isInteger(part) || part < 0) ||
    parts.reduce((a, b) => a + b, 0) !== 100
  ) {
    throw new Error('--mix takes three whole percentages that add up to 100, e.g. 70,15,15');
  }
  const [good, unknown, bad] = parts as [number, number, number];
  return { good, unknown, bad };
};

const USERS = [
  '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c',
  '11111111-2222-4333-8444-555555555555',
  'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
];
const FOUND = ['PROD-101', 'PROD-102', 'PROD-103', 'PROD-104', 'PROD-105', 'PROD-CHEAP', 'legacy_sku_7'];

/** Refused requests of every kind the API sees: bad values, injection, missing, repeated, unknown, wrong method. */
const BAD: { method: string; query: (user: string) => PlannedRequest['query']; expectedStatus: number }[] = [
  { method: 'GET', query: (user) => ({ id: `PROD-${'1'.repeat(70)}`, userId: user }), expectedStatus: 400 },
  { method: 'GET', query: (user) => ({ id: "PROD-101' OR 1=1 --", userId: user }), expectedStatus: 400 },
  { method: 'GET', query: () => null, expectedStatus: 400 },
  { method: 'GET', query: (user) => ({ id: ['PROD-101', 'PROD-102'], userId: user }), expectedStatus: 400 },
  { method: 'GET', query: (user) => ({ id: 'PROD-101', userId: user, debug: 'true' }), expectedStatus: 400 },
  { method: 'POST', query: (user) => ({ id: 'PROD-101', userId: user }), expectedStatus: 405 },
];

/**
 * A deterministic plan of `total` requests in the given mix, interleaved (not in blocks), so every phase of
 * the run sees every kind. The same arguments always give the same plan.
 */
export const planRequests = (total: number, mix: Mix): PlannedRequest[] =>
  Array.from({ length: total }, (_, index) => {
    const slot = (index * 37) % 100; // 37 is coprime with 100: the kinds interleave evenly
    const user = USERS[index % USERS.length]!;
    if (slot < mix.good) {
      return {
        index,
        caller: user,
        kind: 'good',
        method: 'GET',
        query: { id: FOUND[index % FOUND.length]!, userId: user },
        expectedStatus: 200,
      };
    }
    if (slot < mix.good + mix.unknown) {
      return {
        index,
        caller: user,
        kind: 'unknown',
        method: 'GET',
        query: { id: `PROD-UNKNOWN-${index % 50}`, userId: user },
        expectedStatus: 404,
      };
    }
    const bad = BAD[index % BAD.length]!;
    return {
      index,
      caller: user,
      kind: 'bad',
      method: bad.method,
      query: bad.query(user),
      expectedStatus: bad.expectedStatus,
    };
  });
