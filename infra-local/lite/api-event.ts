import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ApiEventSpec {
  method: HttpMethod;
  /** The request path; `{name}` segments are path parameters, filled from `pathParameters`. */
  path: string;
  /** Each entry is one occurrence, in order: a repeated name becomes a multi-value parameter. */
  query?: [string, string][];
  headers?: [string, string][];
  pathParameters?: Record<string, string>;
  body?: string | null;
  stage?: string;
  requestId?: string;
  /** Fixed by callers that want reproducible files; defaults to now. */
  requestTime?: Date;
}

const PATH_PARAMETER = /\{([A-Za-z0-9_]+)\+?\}/g;

const grouped = (pairs: [string, string][]): Record<string, string[]> => {
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) (multi[name] ??= []).push(value);
  return multi;
};

/** API Gateway's single-value view of a multi-value map: the last occurrence wins. */
const lastValues = (multi: Record<string, string[]>): Record<string, string> =>
  Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values[values.length - 1]!]));

/** `09/Apr/2015:12:34:56 +0000`, the format of `requestContext.requestTime`. */
const requestTimeText = (date: Date): string => {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${month}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
};

/**
 * An API Gateway REST (v1) proxy event with every field `sam local generate-event apigateway aws-proxy`
 * writes and `sam local start-api` sends: single- and multi-value headers and query parameters kept
 * consistent, path parameters resolved into the path, a complete requestContext.
 */
export const buildApiEvent = (spec: ApiEventSpec): APIGatewayProxyEvent => {
  const resource = spec.path;
  const names = [...resource.matchAll(PATH_PARAMETER)].map((match) => match[1]!);
  const pathParameters = spec.pathParameters ?? {};
  const missing = names.filter((name) => pathParameters[name] === undefined);
  if (missing.length > 0) throw new Error(`path parameter(s) without a value: ${missing.join(', ')}`);
  const unused = Object.keys(pathParameters).filter((name) => !names.includes(name));
  if (unused.length > 0) throw new Error(`path parameter(s) not in ${resource}: ${unused.join(', ')}`);
  const path = resource.replace(PATH_PARAMETER, (_, name: string) =>
    encodeURIComponent(pathParameters[name]!),
  );

  const body = spec.body ?? null;
  const defaults: [string, string][] = [
    ['Accept', 'application/json'],
    ['Host', 'localhost:3000'],
    ['User-Agent', 'Custom User Agent String'],
    ['X-Forwarded-For', '127.0.0.1'],
    ['X-Forwarded-Port', '3000'],
    ['X-Forwarded-Proto', 'http'],
  ];
  if (body !== null) defaults.push(['Content-Type', 'application/json']);
  // A caller's header replaces the default of the same name (header names are case-insensitive).
  const given = spec.headers ?? [];
  const overridden = new Set(given.map(([name]) => name.toLowerCase()));
  const headerPairs = [...defaults.filter(([name]) => !overridden.has(name.toLowerCase())), ...given];
  const multiValueHeaders = grouped(headerPairs);
  const multiValueQuery = grouped(spec.query ?? []);
  const hasQuery = Object.keys(multiValueQuery).length > 0;
  const time = spec.requestTime ?? new Date();
  const userAgent = lastValues(multiValueHeaders)['User-Agent'] ?? 'Custom User Agent String';

  return {
    body,
    resource,
    path,
    httpMethod: spec.method,
    isBase64Encoded: false,
    queryStringParameters: hasQuery ? lastValues(multiValueQuery) : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters:
      names.length > 0 ? Object.fromEntries(names.map((name) => [name, pathParameters[name]!])) : null,
    stageVariables: null,
    headers: lastValues(multiValueHeaders),
    multiValueHeaders,
    requestContext: {
      accountId: '123456789012',
      resourceId: '123456',
      stage: spec.stage ?? 'local',
      requestId: spec.requestId ?? randomUUID(),
      requestTime: requestTimeText(time),
      requestTimeEpoch: time.getTime(),
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        accessKey: null,
        apiKey: null,
        apiKeyId: null,
        sourceIp: '127.0.0.1',
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent,
        user: null,
        principalOrgId: null,
        clientCert: null,
      },
      authorizer: null,
      path,
      resourcePath: resource,
      httpMethod: spec.method,
      apiId: '1234567890',
      protocol: 'HTTP/1.1',
    },
  } as APIGatewayProxyEvent;
};
