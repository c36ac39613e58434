import type { APIGatewayProxyEvent } from 'aws-lambda';

/** What the server knows about one HTTP request once it has been routed. */
export interface RequestFacts {
  method: string;
  /** The request target's path, still percent-encoded. */
  rawPath: string;
  /** The query string without `?`, still encoded; empty when there is none. */
  rawQuery: string;
  /** Node's `req.rawHeaders`: names in the client's case, repeated headers kept. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  httpVersion: string;
  /** The port the server listens on (SAM's `X-Forwarded-Port`). */
  port: number;
  /** The template path that matched: `/config/{key}`. */
  resource: string;
  pathParameters: Record<string, string> | null;
  stage: string;
  /** API Gateway's request id (not the Lambda request id the function sees in its context). */
  requestId: string;
  now: Date;
  /** `requestContext.authorizer` as API Gateway passes it after the authorizer; null (the default) for none. */
  authorizer?: Record<string, string | number | boolean> | null;
}

/** The REST (v1) proxy event as `sam local start-api` builds it: SAM adds `version: "1.0"`. */
export type ApiGatewayRestEvent = APIGatewayProxyEvent & { version: '1.0' };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number): string => String(value).padStart(2, '0');

/** `09/Apr/2015:12:34:56 +0000`, API Gateway's `requestContext.requestTime`. */
export const formatRequestTime = (date: Date): string =>
  `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
  `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;

const decodePath = (rawPath: string): string => {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as API Gateway passes it: null when empty, text when it is UTF-8, otherwise base64 with
 * `isBase64Encoded` (the template declares no BinaryMediaTypes, so only bytes that are not text need it).
 */
const eventBody = (body: Buffer): { body: string | null; isBase64Encoded: boolean } => {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  try {
    return { body: utf8.decode(body), isBase64Encoded: false };
  } catch {
    return { body: body.toString('base64'), isBase64Encoded: true };
  }
};

/** Single- and multi-value views of repeated names, as API Gateway fills both; null when there are none. */
const singleAndMulti = (
  pairs: Iterable<readonly [string, string]>,
  sameName: (name: string) => string,
): { single: Record<string, string> | null; multi: Record<string, string[]> | null } => {
  let single: Record<string, string> | null = null;
  let multi: Record<string, string[]> | null = null;
  const firstSpelling = new Map<string, string>();
  for (const [name, value] of pairs) {
    const key = sameName(name);
    let spelling = firstSpelling.get(key);
    if (spelling === undefined) {
      spelling = name;
      firstSpelling.set(key, name);
    }
    // Null-prototype maps: a name like `__proto__`, `toString` or `constructor` is data, never a member of
    // Object.prototype (a plain object made those a TypeError, hence a 502, before the function ran).
    single ??= Object.create(null) as Record<string, string>;
    multi ??= Object.create(null) as Record<string, string[]>;
    single[spelling] = value;
    (multi[spelling] ??= []).push(value);
  }
  return { single, multi };
};

/** SAM sets these itself, replacing what the client sent. */
const FORWARDED = new Set(['x-forwarded-proto', 'x-forwarded-port']);

function* headerPairs(rawHeaders: string[], port: number): Generator<readonly [string, string]> {
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (!FORWARDED.has(rawHeaders[index]!.toLowerCase())) yield [rawHeaders[index]!, rawHeaders[index + 1]!];
  }
  yield ['X-Forwarded-Proto', 'http'];
  yield ['X-Forwarded-Port', String(port)];
}

const identityName = (name: string): string => name;
const caseInsensitive = (name: string): string => name.toLowerCase();

/**
 * Builds the API Gateway REST proxy event (payload 1.0) for a routed request, with the shape
 * `sam local start-api` produces: header names as the client sent them (last value in `headers`, all in
 * `multiValueHeaders`), SAM's `X-Forwarded-Proto`/`X-Forwarded-Port`, decoded query and path parameters
 * (null when absent), and a requestContext with a fresh request id and the request time.
 */
export const toApiGatewayEvent = (facts: RequestFacts): ApiGatewayRestEvent => {
  const headers = singleAndMulti(headerPairs(facts.rawHeaders, facts.port), caseInsensitive);
  const single = headers.single!;
  const query = singleAndMulti(new URLSearchParams(facts.rawQuery), identityName);
  const { body, isBase64Encoded } = eventBody(facts.body);
  const path = decodePath(facts.rawPath);
  const header = (name: string): string | undefined =>
    Object.entries(single).find(([key]) => key.toLowerCase() === name)?.[1];

  return {
    version: '1.0',
    resource: facts.resource,
    path,
    httpMethod: facts.method,
    headers: single,
    multiValueHeaders: headers.multi!,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: facts.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: '1234567890',
      resourceId: '123456',
      resourcePath: facts.resource,
      httpMethod: facts.method,
      requestId: facts.requestId,
      extendedRequestId: facts.requestId,
      stage: facts.stage,
      path,
      protocol: `HTTP/${facts.httpVersion}`,
      // SAM passes the Host header (with the port); API Gateway, its domain name.
      domainName: header('host') ?? `127.0.0.1:${facts.port}`,
      requestTime: formatRequestTime(facts.now),
      requestTimeEpoch: facts.now.getTime(),
      authorizer: facts.authorizer ?? null,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: facts.sourceIp,
        user: null,
        userAgent: header('user-agent') ?? null,
        userArn: null,
      },
    },
    body,
    isBase64Encoded,
  };
};
