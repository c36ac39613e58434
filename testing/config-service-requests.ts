import { ErrorBodySchema } from '#common/models/error.ts';
import { apiEvent } from './api-gateway.ts';
import type { LambdaHandler } from './load-handler.ts';
import type { Reply } from './invoke-checked.ts';
import { invokeChecked } from './invoke-checked.ts';
import type { HttpEvent } from '#common/types/lambda.ts';

export const HANDLER = '#functions/config-service/src/handler.ts';
export const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
export const OTHER_USER = '11111111-2222-4333-8444-555555555555';

type Query = Record<string, string | string[]> | null;

/** GET /config */
export const listEvent = (query: Query = null): HttpEvent =>
  apiEvent({ resource: '/config', path: '/config', pathParameters: null, query });

/** GET /config/{key} */
export const getEvent = (key: string, query: Query = null): HttpEvent =>
  apiEvent({
    resource: '/config/{key}',
    path: `/config/${encodeURIComponent(key)}`,
    pathParameters: { key },
    query,
  });

/** GET /config/{key}/history */
export const historyEvent = (key: string, query: Query = null): HttpEvent =>
  apiEvent({
    resource: '/config/{key}/history',
    path: `/config/${encodeURIComponent(key)}/history`,
    pathParameters: { key },
    query,
  });

/** PUT /config/{key} (by the recorded caller, USER) with a JSON body (an object is serialised, a string is sent as is). */
export const putEvent = (
  key: string,
  body: unknown,
  options: {
    query?: Query;
    headers?: Record<string, string>;
    method?: string;
    caller?: { userId: string } | null;
  } = {},
): HttpEvent =>
  apiEvent({
    method: options.method ?? 'PUT',
    resource: '/config/{key}',
    path: `/config/${encodeURIComponent(key)}`,
    pathParameters: { key },
    query: options.query === undefined ? null : options.query,
    ...(options.caller === undefined ? {} : { caller: options.caller }),
    headers: { 'Content-Type': 'application/json', ...options.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

export type { Reply } from './invoke-checked.ts';

/** Invokes the real Middy handler, as one Lambda invocation; every answer must match openapi.json. */
export const invoke = (handler: LambdaHandler, event: HttpEvent): Promise<Reply> =>
  invokeChecked(handler, event, 'config-service-test');

export const errorOf = (body: unknown) => ErrorBodySchema.parse(body).error;
