export const HttpHeader = {
  contentType: 'content-type',
  requestId: 'x-request-id',
  correlationId: 'x-correlation-id',
  cacheControl: 'cache-control',
} as const;

export const JSON_CONTENT_TYPE = 'application/json';

/** Correlation ids from callers are accepted only in this shape; anything else is replaced by the request id. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
