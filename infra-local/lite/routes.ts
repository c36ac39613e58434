/**
 * API Gateway REST routing for the lite API server: SAM paths (`/price`, `/config/{key}`, `/files/{proxy+}`)
 * compiled once at start-up, matched per request without allocation-heavy work.
 */

/** One template route bound to what serves it. */
export interface RouteTarget<T> {
  /** The template path, as the event's `resource` carries it: `/config/{key}`. */
  path: string;
  /** Upper-case method, or `ANY`. */
  method: string;
  target: T;
}

type Segment =
  { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

interface CompiledPath<T> {
  resource: string;
  segments: Segment[];
  methods: Map<string, RouteTarget<T>>;
}

export type RouteMatch<T> =
  | { kind: 'matched'; route: RouteTarget<T>; pathParameters: Record<string, string> | null }
  | { kind: 'method-not-allowed'; resource: string; allowed: string[] }
  | { kind: 'not-found' };

/** The methods API Gateway's `ANY` stands for. */
export const ANY_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

const splitPath = (path: string): string[] => path.split('/').slice(1);

const compileSegment = (raw: string, path: string, isLast: boolean): Segment => {
  const param = /^\{([A-Za-z0-9_.-]+)(\+)?\}$/.exec(raw);
  if (!param) {
    if (raw.includes('{') || raw.includes('}'))
      throw new Error(`Route ${path}: a path parameter must be a whole segment ("{name}")`);
    return { kind: 'literal', value: raw };
  }
  if (!param[2]) return { kind: 'param', name: param[1]! };
  if (!isLast) throw new Error(`Route ${path}: a greedy parameter ({${param[1]}+}) must be the last segment`);
  return { kind: 'greedy', name: param[1]! };
};

/** Literal segments win over `{param}`, which wins over `{proxy+}`: API Gateway's precedence. */
const rank = (segment: Segment | undefined): number =>
  segment === undefined ? -1 : segment.kind === 'literal' ? 0 : segment.kind === 'param' ? 1 : 2;

const moreSpecificFirst = <T>(a: CompiledPath<T>, b: CompiledPath<T>): number => {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index += 1) {
    const difference = rank(a.segments[index]) - rank(b.segments[index]);
    if (difference !== 0) return difference;
  }
  return b.segments.length - a.segments.length;
};

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/**
 * Routes requests the way an API Gateway REST API does: the most specific resource path that matches wins,
 * then the method (an exact method before `ANY`). A path no resource matches is `not-found`; a resource
 * without the method is `method-not-allowed`, with the methods it does have.
 */
export class RouteTable<T> {
  private readonly paths: CompiledPath<T>[];

  constructor(routes: RouteTarget<T>[]) {
    const byPath = new Map<string, CompiledPath<T>>();
    for (const route of routes) {
      if (!route.path.startsWith('/')) throw new Error(`Route ${route.path}: a path must start with "/"`);
      const method = route.method.toUpperCase();
      let compiled = byPath.get(route.path);
      if (!compiled) {
        const raw = route.path === '/' ? [] : splitPath(route.path);
        compiled = {
          resource: route.path,
          segments: raw.map((segment, index) =>
            compileSegment(segment, route.path, index === raw.length - 1),
          ),
          methods: new Map(),
        };
        byPath.set(route.path, compiled);
      }
      if (compiled.methods.has(method)) throw new Error(`Route ${method} ${route.path} is declared twice`);
      compiled.methods.set(method, { ...route, method });
    }
    this.paths = [...byPath.values()].sort(moreSpecificFirst);
  }

  /** Every route, most specific path first. */
  routes(): RouteTarget<T>[] {
    return this.paths.flatMap((path) => [...path.methods.values()]);
  }

  /** Matches a raw (still percent-encoded) request path and a method. */
  match(method: string, rawPath: string): RouteMatch<T> {
    const requested = rawPath === '/' ? [] : splitPath(rawPath);
    for (const path of this.paths) {
      const pathParameters = this.bind(path.segments, requested);
      if (pathParameters === undefined) continue;
      const route = path.methods.get(method) ?? path.methods.get('ANY');
      if (!route) return { kind: 'method-not-allowed', resource: path.resource, allowed: this.allowed(path) };
      return { kind: 'matched', route, pathParameters };
    }
    return { kind: 'not-found' };
  }

  /** The methods a resource path serves (ANY expanded), for `Allow` and CORS preflight answers. */
  allowedMethods(resource: string): string[] {
    const path = this.paths.find((candidate) => candidate.resource === resource);
    return path ? this.allowed(path) : [];
  }

  private allowed(path: CompiledPath<T>): string[] {
    const methods = [...path.methods.keys()].flatMap((method) =>
      method === 'ANY' ? [...ANY_METHODS] : [method],
    );
    return [...new Set(methods)].sort();
  }

  /** Path parameters (decoded, as SAM passes them) if `segments` match, `null` when there are none. */
  private bind(segments: Segment[], requested: string[]): Record<string, string> | null | undefined {
    const greedy = segments.at(-1)?.kind === 'greedy';
    if (greedy ? requested.length < segments.length : requested.length !== segments.length) return undefined;
    let parameters: Record<string, string> | null = null;
    for (let index = 0; index < segments.length; index += 1) {
      const segment = segments[index]!;
      const raw = requested[index]!;
      if (segment.kind === 'literal') {
        if (raw !== segment.value && decodeSegment(raw) !== segment.value) return undefined;
        continue;
      }
      const parts =
        segment.kind === 'greedy' ? requested.slice(index).map(decodeSegment) : [decodeSegment(raw)];
      // An empty segment ("/config/") or undecodable text ("%zz") never binds a parameter.
      if (parts.some((part) => part === undefined || part === '')) return undefined;
      const value = parts.join('/');
      parameters ??= {};
      parameters[segment.name] = value;
    }
    return parameters;
  }
}
