import { randomUUID } from 'node:crypto';
import type { ApiGatewayRestEvent } from './api-event.ts';
import { toApiGatewayEvent } from './api-event.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A request described for an event file (`npm run event:new`, the scaffolder), not received over HTTP. */
export interface ApiEventSpec {
  method: HttpMethod;
  /** The route; `{name}` segments are path parameters, filled from `pathParameters`. */
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
  /**
   * The caller the token authorizer proved: `requestContext.authorizer = { principalId, userId, roles }`.
   * Null writes an event that never passed the authorizer (a function answers it 401).
   */
  caller?: { userId: string; roles: string[] } | null;
}

/** The user the recorded events (infra-local/events) are made by. */
export const DEFAULT_EVENT_USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';

const PATH_PARAMETER = /\{([A-Za-z0-9_]+)\+?\}/g;
const PORT = 3000;

/**
 * The event `sam local start-api` (and `npm run start-api`) would send for this request: the spec is turned
 * into the facts of an HTTP request and goes through the very function the local API server uses, so event
 * files and served requests cannot drift apart.
 */
export const buildApiEvent = (spec: ApiEventSpec): ApiGatewayRestEvent => {
  const resource = spec.path;
  const names = [...resource.matchAll(PATH_PARAMETER)].map((match) => match[1]!);
  const pathParameters = spec.pathParameters ?? {};
  const missing = names.filter((name) => pathParameters[name] === undefined);
  if (missing.length > 0) throw new Error(`path parameter(s) without a value: ${missing.join(', ')}`);
  const unused = Object.keys(pathParameters).filter((name) => !names.includes(name));
  if (unused.length > 0) throw new Error(`path parameter(s) not in ${resource}: ${unused.join(', ')}`);
  const rawPath = resource.replace(PATH_PARAMETER, (_, name: string) =>
    encodeURIComponent(pathParameters[name]!),
  );

  const body = spec.body ?? null;
  const defaults: [string, string][] = [
    ['Accept', 'application/json'],
    ['Host', `localhost:${PORT}`],
    ['User-Agent', 'Custom User Agent String'],
    ['X-Forwarded-For', '127.0.0.1'],
  ];
  if (body !== null) defaults.push(['Content-Type', 'application/json']);
  // A caller's header replaces the default of the same name (header names are case-insensitive).
  const given = spec.headers ?? [];
  const overridden = new Set(given.map(([name]) => name.toLowerCase()));
  const headers = [...defaults.filter(([name]) => !overridden.has(name.toLowerCase())), ...given];

  return toApiGatewayEvent({
    method: spec.method,
    rawPath,
    rawQuery: new URLSearchParams(spec.query ?? []).toString(),
    rawHeaders: headers.flat(),
    body: Buffer.from(body ?? '', 'utf8'),
    sourceIp: '127.0.0.1',
    httpVersion: '1.1',
    port: PORT,
    resource,
    pathParameters:
      names.length > 0 ? Object.fromEntries(names.map((name) => [name, pathParameters[name]!])) : null,
    stage: spec.stage ?? 'local',
    requestId: spec.requestId ?? randomUUID(),
    now: spec.requestTime ?? new Date(),
    authorizer: spec.caller
      ? {
          principalId: spec.caller.userId,
          integrationLatency: 0,
          userId: spec.caller.userId,
          roles: spec.caller.roles.join(','),
        }
      : null,
  });
};
