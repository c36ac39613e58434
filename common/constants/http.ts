export const HttpHeader = {
  contentType: 'content-type',
  requestId: 'x-request-id',
  correlationId: 'x-correlation-id',
  cacheControl: 'cache-control',
} as const;

export const JSON_CONTENT_TYPE = 'application/json';

/** Correlation ids from callers are accepted only in this shape; anything else is replaced by the request id. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Largest request body a function accepts, in bytes of UTF-8. Config values are small; anything bigger is refused. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;
