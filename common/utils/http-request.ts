import type { z } from 'zod';
import type { HttpEvent } from '../types/lambda.ts';
import type { ErrorDetail } from './errors.ts';
import { MethodNotAllowedError, ValidationError } from './errors.ts';

/** Parameter names are echoed back only when they look like names; anything else is not repeated. */
const PRINTABLE_NAME = /^[A-Za-z0-9_.-]{1,32}$/;
const MAX_NAMES_SHOWN = 5;

/** Maps Zod issues to `{field, issue}`. Our schemas carry their own messages, which never quote input. */
export const detailsFromZod = (error: z.ZodError, input: Record<string, unknown>): ErrorDetail[] =>
  error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || 'request';
    const missing = issue.code === 'invalid_type' && input[String(issue.path[0])] === undefined;
    return { field, issue: missing ? 'is required' : issue.message };
  });

/**
 * Validates API Gateway query parameters strictly against a Zod object schema:
 * every parameter must be declared by the schema, given exactly once, and valid.
 * Throws a ValidationError listing each bad field; never returns partially valid input.
 */
export const parseQuery = <S extends z.ZodObject>(event: HttpEvent, schema: S): z.output<S> => {
  const single = event.queryStringParameters ?? {};
  const multi = event.multiValueQueryStringParameters ?? {};
  const allowed = new Set(Object.keys(schema.shape));
  const details: ErrorDetail[] = [];

  const unknown = [...new Set([...Object.keys(single), ...Object.keys(multi)])].filter(
    (name) => !allowed.has(name),
  );
  if (unknown.length > 0) {
    const printable = unknown.filter((name) => PRINTABLE_NAME.test(name)).slice(0, MAX_NAMES_SHOWN);
    const named = printable.length > 0 ? `: ${printable.join(', ')}` : '';
    details.push({ field: 'query', issue: `unknown parameter${unknown.length > 1 ? 's' : ''}${named}` });
  }
  const repeated = new Set([...allowed].filter((name) => (multi[name]?.length ?? 0) > 1));
  for (const name of repeated) details.push({ field: name, issue: 'must be given exactly once' });

  const candidate: Record<string, unknown> = {};
  for (const name of allowed) {
    if (single[name] !== undefined && single[name] !== null) candidate[name] = single[name];
  }
  const result = schema.safeParse(candidate);
  if (!result.success) {
    details.push(...detailsFromZod(result.error, candidate).filter((detail) => !repeated.has(detail.field)));
  }
  if (details.length > 0 || !result.success) throw new ValidationError(details);
  return result.data;
};

/** API Gateway routes by method, but a direct invoke can carry anything: refuse what the route does not serve. */
export const expectMethod = (event: HttpEvent, ...methods: string[]): void => {
  if (!methods.includes(event.httpMethod)) {
    throw new MethodNotAllowedError(`Method not allowed; use ${methods.join(' or ')}.`);
  }
};

/**
 * Safely extracts one query parameter for the audit record: the value only if it passes `schema`,
 * and only if it was given once. Used to describe rejected requests without storing hostile input.
 */
export const validQueryValue = <T>(event: HttpEvent, name: string, schema: z.ZodType<T>): T | undefined => {
  if ((event.multiValueQueryStringParameters?.[name]?.length ?? 0) > 1) return undefined;
  const parsed = schema.safeParse(event.queryStringParameters?.[name]);
  return parsed.success ? parsed.data : undefined;
};
