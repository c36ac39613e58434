import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import { docsReply } from './api-docs.ts';
import { toApiGatewayEvent } from './api-event.ts';
import { BundleWatcher } from './bundle-watcher.ts';
import type { AuthorizerDecision } from './gateway-authorizer.ts';
import { GatewayAuthorizer, localMethodArn } from './gateway-authorizer.ts';
import { LambdaPool, PoolFullError } from './lambda-pool.ts';
import { allowedOrigin, parseOrigins, preflightHeaders } from './preflight.ts';
import type { HttpReply } from './proxy-result.ts';
import { gatewayReply, toHttpReply } from './proxy-result.ts';
import type { RouteTarget } from './routes.ts';
import { RouteTable } from './routes.ts';
import type { TemplateFunction } from '#build/template.ts';

/** A template function and the environment its execution environments get. */
export interface ApiFunction {
  fn: TemplateFunction;
  env: Record<string, string>;
}

/** The API's TOKEN authorizer: its function, the identity header and API Gateway's result TTL. */
export interface ApiAuthorizerFunction extends ApiFunction {
  header: string;
  ttlSeconds: number;
}

export interface ApiServerOptions {
  root: string;
  functions: ApiFunction[];
  /** Run every routed request (not CORS preflights) through this authorizer, as API Gateway does. */
  authorizer?: ApiAuthorizerFunction | undefined;
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the API is for this machine only. */
  host?: string;
  /** Build the bundles before serving (default true); false serves what dist/ holds. */
  build?: boolean;
  /** Rebuild on save and serve the new code on the next request (implies build). */
  watch?: boolean;
  /** Execution environments per function at most (default 4). */
  poolSize?: number;
  /** Requests that may wait per function once every environment is busy (default 64); past it, 503. */
  queueSize?: number;
  /** A debugger is attached: no function timeout, so a breakpoint does not end the invocation. */
  debug?: boolean;
  /** The stage name in `requestContext.stage` (SAM's implicit API uses `Prod`). */
  stage?: string;
  /** Where the functions' own output (Powertools logs, EMF) goes. Defaults to stderr. */
  functionLogs?: Writable;
  /** Access-log and server lines. Defaults to stderr. */
  log?: (line: string) => void;
}

export interface ApiServer {
  url: string;
  port: number;
  routes: Array<{ method: string; path: string; functionName: string }>;
  close(): Promise<void>;
}

interface Served {
  name: string;
  pool: LambdaPool;
  corsOrigins: string[];
}

/** API Gateway's 10 MB payload quota; larger requests get its 413. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** A debugger may hold an invocation for as long as someone looks at it. */
const DEBUG_TIMEOUT_SECONDS = 24 * 60 * 60;
/** How long close() lets in-flight requests finish before it cuts them off. */
const CLOSE_GRACE_MS = 5000;

class BodyTooLargeError extends Error {}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  // A request with neither header has no body (RFC 9112 §6.3): skip the stream machinery on the hot path.
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return Buffer.alloc(0);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

const headerText = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

const decodedPath = (rawPath: string): string => {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
};

/** The access-log target: the path and the query parameter names, never their values (userId is personal). */
const loggedTarget = (rawPath: string, rawQuery: string): string => {
  const names = rawQuery ? [...new Set(new URLSearchParams(rawQuery).keys())] : [];
  const target = names.length > 0 ? `${rawPath}?${names.join('&')}` : rawPath;
  // Printable ASCII only and bounded, so a crafted URL cannot forge or flood log lines.
  const clean = target.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
};

/**
 * Starts the lite API: every Api route of the template served on node:http, each request turned into the
 * REST proxy event `sam local start-api` would send, run in a warm pool of execution environments, and the
 * Lambda result returned as the HTTP response. Unknown paths get 404, known paths with another method 405,
 * a failed or malformed invocation 502 `{"message":"Internal server error"}`, like API Gateway.
 */
export const startApiServer = async (options: ApiServerOptions): Promise<ApiServer> => {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stage = options.stage ?? 'Prod';
  const served = new Map<string, Served>();
  /** When each function last got a request: hot reload rebuilds the one in use first. */
  const lastServed = new Map<string, number>();
  const targets: RouteTarget<Served>[] = [];
  const withAuthorizer = options.authorizer ? [...options.functions, options.authorizer] : options.functions;
  for (const { fn, env } of withAuthorizer) {
    const pool = new LambdaPool({
      maxSize: options.poolSize ?? 4,
      ...(options.queueSize === undefined ? {} : { maxQueued: options.queueSize }),
      lambda: {
        codeDir: fn.codeDir,
        handler: fn.handler,
        env,
        functionName: fn.functionName,
        timeoutSeconds: options.debug ? DEBUG_TIMEOUT_SECONDS : fn.timeoutSeconds,
        memoryMb: fn.memoryMb,
        ...(options.functionLogs ? { logs: options.functionLogs } : {}),
      },
    });
    const entry: Served = { name: fn.name, pool, corsOrigins: parseOrigins(env.CORS_ORIGIN) };
    served.set(fn.name, entry);
    for (const route of fn.routes) targets.push({ path: route.path, method: route.method, target: entry });
  }
  const table = new RouteTable(targets);
  const authorizerPool = options.authorizer ? served.get(options.authorizer.fn.name)!.pool : undefined;
  const gateway = options.authorizer
    ? new GatewayAuthorizer({
        invoke: (event) => authorizerPool!.invoke(event),
        ttlSeconds: options.authorizer.ttlSeconds,
      })
    : undefined;
  const identityHeader = options.authorizer?.header.toLowerCase();
  const closePools = () => Promise.all([...served.values()].map((entry) => entry.pool.close()));

  let watcher: BundleWatcher | undefined;
  if (options.build !== false || options.watch) {
    try {
      watcher = await BundleWatcher.start({
        root: options.root,
        names: [...served.keys()],
        watch: options.watch ?? false,
        log,
        priority: (name) => lastServed.get(name) ?? 0,
        onReload: async (name) => {
          const pool = served.get(name)?.pool;
          if (!pool) return;
          // The new environment starts while the retired ones stop.
          const retired = pool.recycle();
          await pool.warm();
          await retired;
        },
      });
    } catch (error) {
      await closePools();
      throw error;
    }
  }

  const inFlight = new Set<Promise<void>>();
  let port = 0;

  const send = (res: ServerResponse, reply: HttpReply, extraHeaders: string[] = []): void => {
    // A 204 or 304 carries no body and no Content-Length (RFC 9110 §8.6).
    const bodiless = reply.statusCode === 204 || reply.statusCode === 304;
    res.writeHead(reply.statusCode, [
      ...reply.headers,
      ...extraHeaders,
      ...(bodiless ? [] : ['Content-Length', String(reply.body.length)]),
    ]);
    res.end(bodiless ? undefined : reply.body);
  };

  const invoke = async (
    req: IncomingMessage,
    entry: Served,
    route: RouteTarget<Served>,
    pathParameters: Record<string, string> | null,
    rawPath: string,
    rawQuery: string,
    requestId: string,
    authorizer: Record<string, string | number | boolean> | null,
  ): Promise<HttpReply> => {
    const event = toApiGatewayEvent({
      method: req.method!,
      rawPath,
      rawQuery,
      rawHeaders: req.rawHeaders,
      body: await readBody(req),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      httpVersion: req.httpVersion,
      port,
      resource: route.path,
      pathParameters,
      stage,
      requestId,
      now: new Date(),
    });
    event.requestContext.authorizer = authorizer;
    lastServed.set(entry.name, performance.now());
    const outcome = await entry.pool.invoke(event);
    if (!outcome.ok) {
      log(
        `${entry.name}: invocation ${outcome.requestId} failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`,
      );
      return gatewayReply(502, 'Internal server error');
    }
    const mapped = toHttpReply(outcome.result);
    if (!mapped.ok) {
      log(`${entry.name}: malformed Lambda proxy response (${mapped.problem})`);
      return gatewayReply(502, 'Internal server error');
    }
    return mapped.reply;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? '' : target.slice(queryAt + 1);
    const method = req.method ?? 'GET';
    const apiHeaders = ['x-amzn-RequestId', requestId];
    let functionName = '-';
    let reply: HttpReply;
    let extra: string[] = apiHeaders;
    try {
      const docs = rawPath.startsWith('/') ? await docsReply(options.root, method, rawPath) : undefined;
      if (!rawPath.startsWith('/')) {
        reply = gatewayReply(400, 'Bad Request');
      } else if (docs) {
        // The API's own document and its readable page: served by the gateway, no function, no token.
        reply = docs;
      } else {
        const match = table.match(method, rawPath);
        const origin = req.headers.origin;
        const requestedMethod = req.headers['access-control-request-method'];
        const isPreflight =
          method === 'OPTIONS' &&
          origin !== undefined &&
          typeof requestedMethod === 'string' &&
          match.kind !== 'not-found';
        if (isPreflight && !(match.kind === 'matched' && match.route.method === 'OPTIONS')) {
          const wanted = table.match(requestedMethod.toUpperCase(), rawPath);
          const allowOrigin =
            wanted.kind === 'matched' ? allowedOrigin(wanted.route.target.corsOrigins, origin) : undefined;
          if (wanted.kind === 'matched' && allowOrigin) {
            functionName = wanted.route.target.name;
            const resource = wanted.route.path;
            reply = {
              statusCode: 204,
              headers: preflightHeaders(allowOrigin, table.allowedMethods(resource)),
              body: Buffer.alloc(0),
            };
          } else {
            reply = gatewayReply(
              403,
              wanted.kind === 'matched'
                ? `CORS preflight refused: origin ${origin} is not in the function's CORS_ORIGIN`
                : `CORS preflight refused: ${requestedMethod} is not served on this path`,
            );
          }
        } else if (match.kind === 'not-found') {
          reply = gatewayReply(404, 'Not Found');
        } else if (match.kind === 'method-not-allowed') {
          reply = gatewayReply(405, 'Method Not Allowed');
          extra = [...apiHeaders, 'Allow', match.allowed.join(',')];
        } else {
          functionName = match.route.target.name;
          const decision: AuthorizerDecision = gateway
            ? await gateway.authorize(
                headerText(req.headers[identityHeader!]),
                localMethodArn(stage, method, decodedPath(rawPath)),
              )
            : { kind: 'allow', authorizer: {} };
          if (decision.kind === 'allow') {
            reply = await invoke(
              req,
              match.route.target,
              match.route,
              match.pathParameters,
              rawPath,
              rawQuery,
              requestId,
              gateway ? decision.authorizer : null,
            );
          } else {
            // Drain the body nobody will read, so the connection can carry the next request.
            req.resume();
            if (decision.kind === 'error') log(`authorizer: ${decision.problem}`);
            reply =
              decision.kind === 'unauthorized'
                ? gatewayReply(401, 'Unauthorized')
                : decision.kind === 'forbidden'
                  ? gatewayReply(403, 'User is not authorized to access this resource')
                  : gatewayReply(500, 'Internal server error');
            // A browser on another origin can read the refusal only with CORS headers: the API declares
            // them on its DEFAULT_4XX/5XX gateway responses for the origins the function allows.
            const corsOrigin = req.headers.origin
              ? allowedOrigin(match.route.target.corsOrigins, req.headers.origin)
              : undefined;
            if (corsOrigin) extra = [...extra, 'Access-Control-Allow-Origin', corsOrigin, 'Vary', 'Origin'];
          }
        }
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        reply = gatewayReply(413, 'Request Too Long');
        extra = [...apiHeaders, 'Connection', 'close'];
      } else if (error instanceof PoolFullError) {
        // The function's queue is full: refuse now, as a throttled API does, instead of queueing without bound.
        log(`start-api: ${error.message}; answered 503`);
        reply = gatewayReply(503, 'Service Unavailable');
        extra = [...apiHeaders, 'Retry-After', '1'];
      } else {
        log(`start-api: ${method} ${loggedTarget(rawPath, rawQuery)} failed: ${(error as Error).message}`);
        reply = gatewayReply(502, 'Internal server error');
      }
    }
    try {
      send(res, reply, extra);
    } catch (error) {
      // writeHead refuses invalid header names or values from the function: API Gateway would answer 502.
      log(`${functionName}: response rejected: ${(error as Error).message}`);
      reply = gatewayReply(502, 'Internal server error');
      if (!res.headersSent) send(res, reply, apiHeaders);
    }
    log(
      `${method} ${loggedTarget(rawPath, rawQuery)} ${reply.statusCode} ${(performance.now() - started).toFixed(1)}ms ${functionName}`,
    );
  };

  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    const done = handle(req, res).finally(() => inFlight.delete(done));
    inFlight.add(done);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await watcher?.close();
    await closePools();
    throw error;
  }
  const address = server.address() as AddressInfo;
  port = address.port;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  // Warm one environment per function now, so the first request does not pay the init.
  await Promise.all([...served.values()].map((entry) => entry.pool.warm()));

  return {
    url: `http://${host}:${port}`,
    port,
    routes: table
      .routes()
      .map((route) => ({ method: route.method, path: route.path, functionName: route.target.name })),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.race([
        Promise.all(inFlight),
        new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref()),
      ]);
      server.closeAllConnections();
      await closed;
      await watcher?.close();
      await closePools();
    },
  };
};
