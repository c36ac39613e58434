import { HttpHeader, JSON_CONTENT_TYPE } from '../constants/http.ts';
import type { HttpResult } from '../types/lambda.ts';

const BASE_HEADERS = Object.freeze({
  [HttpHeader.contentType]: JSON_CONTENT_TYPE,
  [HttpHeader.cacheControl]: 'no-store',
  // A JSON API response must never be rendered or framed as a document.
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
});

/**
 * A JSON API Gateway proxy result. CORS, security and id headers are added by the chain; `headers` adds to
 * or replaces the base ones (a cacheable answer's `cache-control`).
 */
export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers?: Record<string, string>,
): HttpResult => ({
  statusCode,
  headers: { ...BASE_HEADERS, ...headers },
  body: JSON.stringify(body),
});
