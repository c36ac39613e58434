import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '#common/types/lambda.ts';

const recorded = (): HttpEvent =>
  JSON.parse(
    readFileSync(join(process.cwd(), 'infra-local', 'events', 'price-event.json'), 'utf8'),
  ) as HttpEvent;

export interface EventOptions {
  method?: string;
  /** The request path; also the route template unless `resource` is given. */
  path?: string;
  /** The route template API Gateway matched, e.g. `/config/{key}`. */
  resource?: string;
  pathParameters?: Record<string, string> | null;
  /** Each value is one occurrence; an array repeats the parameter. */
  query?: Record<string, string | string[]> | null;
  headers?: Record<string, string>;
  body?: string | null;
  /**
   * `requestContext.authorizer` as the token authorizer leaves it: a caller (`{ userId, roles }`, principalId
   * added), or null for an event that did not pass the authorizer. Default: the recorded event's caller.
   */
  caller?: { userId: string; roles?: string } | null;
}

/** The caller every recorded event carries (infra-local/events). */
export const RECORDED_USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

/**
 * An API Gateway REST proxy event with the shape `sam local start-api` produces, built from the recorded
 * price-event.json: single- and multi-value query parameters and headers kept consistent.
 */
export const apiEvent = (options: EventOptions = {}): HttpEvent => {
  const event = recorded();
  const method = options.method ?? 'GET';
  event.httpMethod = method;
  event.requestContext.httpMethod = method;
  if (options.path) {
    event.path = options.path;
    event.resource = options.path;
    event.requestContext.path = options.path;
    event.requestContext.resourcePath = options.path;
  }
  if (options.resource) {
    event.resource = options.resource;
    event.requestContext.resourcePath = options.resource;
  }
  if (options.pathParameters !== undefined) event.pathParameters = options.pathParameters;
  if (options.query !== undefined) {
    if (options.query === null) {
      event.queryStringParameters = null;
      event.multiValueQueryStringParameters = null;
    } else {
      const entries = Object.entries(options.query).map(
        ([key, value]) => [key, Array.isArray(value) ? value : [value]] as const,
      );
      event.multiValueQueryStringParameters = Object.fromEntries(entries);
      event.queryStringParameters = Object.fromEntries(
        entries.map(([key, values]) => [key, values[values.length - 1]!]),
      );
    }
  }
  if (options.headers) {
    event.headers = { ...event.headers, ...options.headers };
    event.multiValueHeaders = {
      ...event.multiValueHeaders,
      ...Object.fromEntries(Object.entries(options.headers).map(([key, value]) => [key, [value]])),
    };
  }
  if (options.body !== undefined) event.body = options.body;
  if (options.caller !== undefined) {
    event.requestContext.authorizer =
      options.caller === null
        ? null
        : {
            principalId: options.caller.userId,
            integrationLatency: 0,
            userId: options.caller.userId,
            roles: options.caller.roles ?? 'price-reader,config-admin',
          };
  }
  event.requestContext.requestId = randomUUID();
  return event;
};

/**
 * A Lambda context like the runtime passes, with a fresh request id and a real deadline: `timeoutMs` from
 * now, as `getRemainingTimeInMillis()` counts it down (the template's 10 s by default).
 */
export const lambdaContext = (functionName = 'price-fetcher-test', timeoutMs = 10_000): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    awsRequestId: randomUUID(),
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};
