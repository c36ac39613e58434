/**
 * CORS preflight for the lite API server. API Gateway answers `OPTIONS` itself when the API declares CORS;
 * here the answer comes from the CORS_ORIGIN variable of the function that serves the requested method, the
 * same allow-list the function's http-cors middleware applies to real responses. One source of truth, and
 * unlike SAM's `Cors.AllowOrigin` (one fixed origin) it echoes only an origin that is on the list.
 */

/** Request headers a browser may send (the API Gateway console defaults, plus our correlation id). */
export const PREFLIGHT_ALLOWED_HEADERS =
  'Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token,X-Correlation-Id';
/** Matches the `maxAge` the http chain gives http-cors, so both answers agree. */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Parses CORS_ORIGIN: one origin, `*`, or a comma-separated list. */
export const parseOrigins = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);

/** The Access-Control-Allow-Origin value for `origin`, or undefined when it is not allowed. */
export const allowedOrigin = (origins: string[], origin: string): string | undefined => {
  if (origins.includes('*')) return '*';
  return origins.includes(origin) ? origin : undefined;
};

/** The headers of a successful preflight answer (204), as a flat list for `writeHead`. */
export const preflightHeaders = (allowOrigin: string, methods: string[]): string[] => [
  'Access-Control-Allow-Origin',
  allowOrigin,
  'Access-Control-Allow-Methods',
  [...new Set([...methods, 'OPTIONS'])].join(','),
  'Access-Control-Allow-Headers',
  PREFLIGHT_ALLOWED_HEADERS,
  'Access-Control-Max-Age',
  String(PREFLIGHT_MAX_AGE_SECONDS),
  'Vary',
  'Origin',
];
