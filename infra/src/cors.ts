/**
 * CORS of the deployed API. The stage's `corsOrigin` is the functions' CORS_ORIGIN (their http-cors middleware
 * echoes a listed origin): one origin, `*`, or a comma-separated list. The preflight below follows the lite
 * API server's (infra-local/lite/preflight.ts: same request headers, max age and method list), and
 * test/api-gateway.test.ts fails when the two drift apart.
 */

/** Request headers a browser may send (API Gateway's console defaults, plus our correlation id). */
export const PREFLIGHT_ALLOWED_HEADERS = [
  'Content-Type',
  'Authorization',
  'X-Amz-Date',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Correlation-Id',
];
/** The functions give http-cors the same max age (common/kernel/http-chain.ts). */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** `https://host[:port]`: what a browser sends as Origin, and what API Gateway's VTL can compare verbatim. */
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

/**
 * The stage's allowed origins, in order. Refuses what API Gateway could not express: `*` beside other origins
 * (a preflight answers `*` or one origin), wildcard hosts (http-cors matches them, the gateway's VTL would not),
 * and anything that is not a bare origin (it is written into quoted header values and a template).
 */
export const corsOrigins = (value: string): string[] => {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length === 0) throw new Error('corsOrigin is empty: give one origin, `*`, or a list');
  if (origins.includes('*')) {
    if (origins.length > 1) throw new Error(`corsOrigin mixes * with origins: ${value}`);
    return origins;
  }
  for (const origin of origins) {
    if (!ORIGIN.test(origin))
      throw new Error(`corsOrigin: ${JSON.stringify(origin)} is not an origin (https://host[:port])`);
  }
  return origins;
};

/** Allow-Methods of a resource's preflight: its methods, sorted, then OPTIONS (as start-api answers). */
export const preflightMethods = (methods: string[]): string[] => [
  ...new Set([...methods.map((method) => method.toUpperCase()).sort(), 'OPTIONS']),
];
