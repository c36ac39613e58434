import type { APIGatewayProxyResult } from 'aws-lambda';
import { IDENTITY_MISMATCH_ISSUE } from '#common/errors/app-errors.ts';
import { ERROR_POLICY } from '#common/errors/error-policy.ts';
import { ErrorBodySchema } from '#common/models/error.ts';

/**
 * Our own fixed wording (the error policy's messages, fixed detail issues). A generated value that happens
 * to be a piece of it ("caller", "is temporarily") is not an echo, so these phrases are taken out of a
 * response before it is searched for hostile values.
 */
const OWN_WORDING = [
  ...Object.values(ERROR_POLICY).map((policy) => policy.publicMessage),
  IDENTITY_MISMATCH_ISSUE,
];
const withoutOwnWording = (text: string): string =>
  OWN_WORDING.reduce((rest, phrase) => rest.split(phrase).join(''), text);

/**
 * Shorter values are not checked for echoes: two to five characters ("id", "GET", "must") occur in our own
 * wording by chance. Every hostile payload worth the name is longer.
 */
export const MIN_ECHO_LENGTH = 6;

/** Every string in a JSON value, keys included, after JSON decoding (escapes cannot hide an echo). */
const stringsOf = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...stringsOf(inner)]);
  }
  return [];
};

const preview = (value: string): string =>
  JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

/** Throws when any of `texts` contains one of `values` (those long enough to mean something). */
export const assertNoEcho = (where: string, texts: string[], values: Iterable<string>): void => {
  for (const value of values) {
    if (value.length < MIN_ECHO_LENGTH) continue;
    if (texts.some((text) => text.includes(value)))
      throw new Error(`${where} echoes hostile value ${preview(value)}`);
  }
};

/**
 * The contract for any response to hostile input: never a 5xx; JSON; an error body with a stable code and the
 * request id unless the request was served; and none of `mustNotEcho` in the body (raw or decoded) or headers.
 * `echoableHeaders` names response headers that legitimately return a validated caller value.
 */
export const assertSafeResponse = (
  response: APIGatewayProxyResult,
  options: { requestId: string; mustNotEcho: Iterable<string>; echoableHeaders?: string[] },
): void => {
  if (response.statusCode >= 500)
    throw new Error(`answered ${response.statusCode}: ${response.body.slice(0, 200)}`);
  const contentType = Object.entries(response.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'content-type',
  )?.[1];
  if (contentType !== 'application/json') throw new Error(`content-type is ${String(contentType)}`);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new Error(`body is not JSON: ${response.body.slice(0, 200)}`);
  }
  if (response.statusCode >= 400) {
    const parsed = ErrorBodySchema.safeParse(body);
    if (!parsed.success)
      throw new Error(`error body does not follow the contract: ${response.body.slice(0, 200)}`);
    if (parsed.data.error.code.length === 0) throw new Error('error code is empty');
    if (parsed.data.error.requestId !== options.requestId)
      throw new Error('error body carries another request id');
  }
  // The request id is random hex: strip it so it cannot match a short hex payload by chance.
  const strip = (text: string) => withoutOwnWording(text.split(options.requestId).join(''));
  const skip = new Set((options.echoableHeaders ?? []).map((name) => name.toLowerCase()));
  const headerValues = Object.entries(response.headers ?? {})
    .filter(([name]) => !skip.has(name.toLowerCase()))
    .map(([, value]) => strip(String(value)));
  assertNoEcho(
    'response',
    [strip(response.body), ...stringsOf(body).map(strip), ...headerValues],
    options.mustNotEcho,
  );
};
