import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { HttpHeader } from '#common/constants/http.ts';
import { apiEvent, lambdaContext } from '#testing/api-gateway.ts';
import type { PlannedRequest } from './plan.ts';

/** What a load target returns for one request: the status and the request id the service assigned. */
export interface TargetResponse {
  statusCode: number;
  requestId: string | undefined;
}

/** Anything that can serve the API: the handler in this process, or a running API over HTTP. */
export interface LoadTarget {
  name: string;
  send(request: PlannedRequest, correlationId: string): Promise<TargetResponse>;
  close(): Promise<void>;
}

export type InvokeHandler = (event: unknown, context: Context) => Promise<unknown>;

const headerOf = (headers: Record<string, unknown> | undefined, name: string): string | undefined => {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry === undefined ? undefined : String(entry[1]);
};

/** The request path API Gateway would have seen for a route template and its parameters. */
const pathOf = (resource: string, parameters: Record<string, string> | null | undefined): string =>
  resource.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(parameters?.[name] ?? ''));

/** Invokes a Lambda handler directly with API Gateway proxy events, as API Gateway would. */
export const handlerTarget = (
  handler: InvokeHandler,
  name = 'handler (in process)',
  functionName = 'price-fetcher-load',
): LoadTarget => ({
  name,
  send: async (request, correlationId) => {
    const event = apiEvent({
      method: request.method,
      query: request.query,
      ...(request.resource
        ? {
            resource: request.resource,
            path: pathOf(request.resource, request.pathParameters),
            pathParameters: request.pathParameters ?? null,
          }
        : {}),
      ...(request.body === undefined ? {} : { body: request.body }),
      // What API Gateway passes after the token authorizer: the planned caller.
      ...(request.caller ? { caller: { userId: request.caller } } : {}),
      // The recorded event's own X-Correlation-Id is replaced, not doubled.
      headers: { ...request.headers, 'X-Correlation-Id': correlationId },
    });
    const response = (await handler(event, lambdaContext(functionName))) as APIGatewayProxyResult;
    return { statusCode: response.statusCode, requestId: headerOf(response.headers, HttpHeader.requestId) };
  },
  close: async () => undefined,
});

/**
 * The built bundle (dist/<function>/index.mjs), imported once like a Lambda container's init, with `env` as
 * its environment. Requests run concurrently in this process: the audit path is request-scoped, so this is a
 * fair stand-in for C containers, though logs of concurrent requests share one logger.
 */
export const bundleTarget = async (
  bundlePath: string,
  env: Record<string, string>,
  functionName = 'price-fetcher-load',
): Promise<LoadTarget> => {
  Object.assign(process.env, env);
  const module = (await import(pathToFileURL(bundlePath).href)) as { handler: InvokeHandler };
  return handlerTarget(module.handler, `built bundle ${bundlePath} (in process)`, functionName);
};

/** A running API (`npm run start-api`, `sam local start-api`, or a deployed stage) at `baseUrl`. */
export const httpTarget = (baseUrl: string, path = '/price'): LoadTarget => ({
  name: `HTTP ${baseUrl}${path}`,
  send: async (request, correlationId) => {
    const url = new URL(path, baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, item);
    }
    const response = await fetch(url, {
      method: request.method,
      // The recorded event's own X-Correlation-Id is replaced, not doubled.
      headers: { 'X-Correlation-Id': correlationId },
    });
    await response.arrayBuffer();
    return {
      statusCode: response.status,
      requestId: response.headers.get(HttpHeader.requestId) ?? undefined,
    };
  },
  close: async () => undefined,
});
