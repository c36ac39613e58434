import * as z from 'zod/mini';
import '../models/zod-locale.ts';
import { HttpHeader, JSON_CONTENT_TYPE, MAX_JSON_BODY_BYTES } from '../constants/http.ts';
import type { HttpEvent } from '../types/lambda.ts';
import type { ErrorDetail } from '../errors/app-errors.ts';
import {
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors/app-errors.ts';
import { detailsFromZod, unknownNames } from '../errors/zod-details.ts';

/** A header's value, whatever its case (API Gateway keeps the caller's casing). */
export const headerValue = (event: HttpEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  const headers = event.headers ?? {};
  // Most clients send lower-case names (HTTP/2 requires it): try the exact key before scanning.
  const exact = headers[wanted];
  if (exact !== undefined && exact !== null) return exact;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === wanted) return headers[key] ?? undefined;
  }
  return undefined;
};

/** Each object schema's parameter names, computed once rather than on every request. */
const namesBySchema = new WeakMap<z.ZodMiniObject, readonly string[]>();
const namesOf = (schema: z.ZodMiniObject): readonly string[] => {
  let names = namesBySchema.get(schema);
  if (!names) {
    names = Object.freeze(Object.keys(schema.shape));
    namesBySchema.set(schema, names);
  }
  return names;
};

/**
 * The query each event passed parseQuery with, and the schema it passed: validQueryValue reads a value
 * from here instead of validating it again when that very schema already has. Weak: nothing outlives the
 * event.
 */
const validatedQueries = new WeakMap<HttpEvent, { shape: z.ZodMiniObject['shape']; data: object }>();

/**
 * Validates API Gateway query parameters strictly against a Zod object schema:
 * every parameter must be declared by the schema, given exactly once, and valid.
 * Throws a ValidationError listing each bad field; never returns partially valid input.
 */
export const parseQuery = <S extends z.ZodMiniObject>(event: HttpEvent, schema: S): z.output<S> => {
  const single = event.queryStringParameters ?? {};
  const multi = event.multiValueQueryStringParameters ?? {};
  const names = namesOf(schema);
  const details: ErrorDetail[] = [];

  const unknown = new Set<string>();
  for (const name of Object.keys(single)) if (!Object.hasOwn(schema.shape, name)) unknown.add(name);
  for (const name of Object.keys(multi)) if (!Object.hasOwn(schema.shape, name)) unknown.add(name);
  if (unknown.size > 0) details.push({ field: 'query', issue: unknownNames('parameter', [...unknown]) });

  const candidate: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const name of names) {
    if ((multi[name]?.length ?? 0) > 1) {
      repeated.add(name);
      details.push({ field: name, issue: 'must be given exactly once' });
    }
    if (single[name] !== undefined && single[name] !== null) candidate[name] = single[name];
  }
  const result = z.safeParse(schema, candidate);
  if (!result.success) {
    details.push(...detailsFromZod(result.error, candidate).filter((detail) => !repeated.has(detail.field)));
  }
  if (details.length > 0 || !result.success) throw new ValidationError(details);
  validatedQueries.set(event, { shape: schema.shape, data: result.data });
  return result.data;
};

/** API Gateway routes by method, but a direct invoke can carry anything: refuse what the route does not serve. */
export const expectMethod = (event: HttpEvent, ...methods: string[]): void => {
  if (!methods.includes(event.httpMethod)) {
    throw new MethodNotAllowedError(methods);
  }
};

/**
 * Safely extracts one query parameter for the audit record: the value only if it passes `schema`,
 * and only if it was given once. Used to describe rejected requests without storing hostile input. After
 * parseQuery has accepted the event with a schema holding this very `schema` under `name`, the value is
 * taken from its result rather than validated twice.
 */
export const validQueryValue = <T>(
  event: HttpEvent,
  name: string,
  schema: z.ZodMiniType<T>,
): T | undefined => {
  const validated = validatedQueries.get(event);
  if (validated?.shape[name] === schema) return (validated.data as Record<string, T>)[name];
  if ((event.multiValueQueryStringParameters?.[name]?.length ?? 0) > 1) return undefined;
  const parsed = z.safeParse(schema, event.queryStringParameters?.[name]);
  return parsed.success ? parsed.data : undefined;
};

/** API Gateway decodes path parameters; only the route's own names can appear, so validate values only. */
export const parsePathParameters = <S extends z.ZodMiniObject>(event: HttpEvent, schema: S): z.output<S> => {
  const candidate = { ...event.pathParameters };
  const result = z.safeParse(schema, candidate);
  if (!result.success) throw new ValidationError(detailsFromZod(result.error, candidate, 'path'));
  return result.data;
};

/** The path parameter `name` if it passes `schema`, for the audit record (see validQueryValue). */
export const validPathValue = <T>(
  event: HttpEvent,
  name: string,
  schema: z.ZodMiniType<T>,
): T | undefined => {
  const parsed = z.safeParse(schema, event.pathParameters?.[name]);
  return parsed.success ? parsed.data : undefined;
};

/** `application/json`, with at most a UTF-8 charset parameter (RFC 8259 JSON is UTF-8). */
const JSON_MEDIA_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * JSON text to a value. The Powertools `JSONStringified` helper does the same, but its issue carries the
 * JSON.parse message, which quotes the input; this one never repeats what it was given.
 */
export const JsonTextSchema = z.pipe(
  z.string(),
  z.transform((text: string, ctx): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'must be valid JSON', input: text });
      return z.NEVER;
    }
  }),
);

/**
 * Validates a JSON request body strictly: `content-type: application/json` (charset utf-8 allowed, else
 * 415), a body of at most `maxBytes` UTF-8 bytes (else 413), well-formed JSON, then `schema` (use
 * `z.strictObject` so unknown fields are refused). Every other problem is a ValidationError naming the
 * field; nothing quotes the body.
 */
export const parseJsonBody = <S extends z.ZodMiniType>(
  event: HttpEvent,
  schema: S,
  options: { maxBytes?: number } = {},
): z.output<S> => {
  const maxBytes = options.maxBytes ?? MAX_JSON_BODY_BYTES;
  const contentType = headerValue(event, HttpHeader.contentType);
  if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType.trim())) {
    throw new UnsupportedMediaTypeError(HttpHeader.contentType, JSON_CONTENT_TYPE);
  }
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length === 0) throw new ValidationError([{ field: 'body', issue: 'is required' }]);
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(maxBytes);
  }
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let decoded: string;
  try {
    decoded = decoder.decode(bytes);
  } catch {
    throw new ValidationError([{ field: 'body', issue: 'must be UTF-8 text' }]);
  }
  const json = z.safeParse(JsonTextSchema, decoded);
  if (!json.success) {
    throw new ValidationError(
      [{ field: 'body', issue: 'must be valid JSON' }],
      'The request body is not JSON.',
    );
  }
  const result = z.safeParse(schema, json.data);
  if (!result.success) throw new ValidationError(detailsFromZod(result.error, json.data, 'body'));
  return result.data;
};

type Parsed<T extends readonly (() => unknown)[]> = { -readonly [K in keyof T]: ReturnType<T[K]> };

/**
 * Runs each parser (path, query, body...) and, if any throw a ValidationError, throws one with all their
 * details, so a caller learns every problem in one round trip. Other errors pass through unchanged.
 */
export const parseAll = <T extends readonly (() => unknown)[]>(...parsers: T): Parsed<T> => {
  const details: ErrorDetail[] = [];
  const messages = new Set<string>();
  const results = parsers.map((parse) => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      details.push(...(error.details ?? []));
      messages.add(error.message);
      return undefined;
    }
  });
  if (messages.size > 0) {
    throw new ValidationError(details, messages.size === 1 ? [...messages][0] : 'The request is invalid.');
  }
  return results as Parsed<T>;
};
