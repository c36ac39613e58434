import type { HttpHandler } from '../types/lambda.ts';
import { MethodNotAllowedError, RouteNotFoundError } from '../errors/app-errors.ts';

/** Handlers by route template (API Gateway's `resource`, e.g. `/config/{key}`), then by HTTP method. */
export type RouteTable = Record<string, Partial<Record<string, HttpHandler>>>;

/**
 * One function serving several routes of the template. API Gateway has already matched the route, so the
 * template in `event.resource` is authoritative; a direct invoke can carry anything, hence 404 and 405.
 */
export const routeByResource =
  (routes: RouteTable): HttpHandler =>
  async (event, context) => {
    const methods = Object.hasOwn(routes, event.resource) ? routes[event.resource] : undefined;
    if (!methods) throw new RouteNotFoundError('No route serves this request.');
    const handler = Object.hasOwn(methods, event.httpMethod) ? methods[event.httpMethod] : undefined;
    if (!handler) {
      throw new MethodNotAllowedError(Object.keys(methods));
    }
    return handler(event, context);
  };
