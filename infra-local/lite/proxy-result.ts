import * as z from 'zod';

const HeaderValueSchema = z.union([z.string(), z.number(), z.boolean()]);

/**
 * What API Gateway accepts from a Lambda proxy integration (REST, payload 1.0). Anything else, including
 * extra keys or a body that is not a string, is a "Malformed Lambda proxy response": a 502.
 */
export const ProxyResultSchema = z.strictObject({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), HeaderValueSchema).nullish(),
  multiValueHeaders: z.record(z.string(), z.array(HeaderValueSchema)).nullish(),
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().nullish(),
});
export type ProxyResult = z.infer<typeof ProxyResultSchema>;

/** An HTTP response ready for `res.writeHead(status, headers)`: a flat [name, value, ...] list, in order. */
export interface HttpReply {
  statusCode: number;
  headers: string[];
  body: Buffer;
}

/** Computed by the server, never taken from the function (API Gateway remaps or drops them too). */
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/**
 * Turns a Lambda result into the HTTP response API Gateway would send, or explains why it is not a valid
 * proxy result. `multiValueHeaders` and `headers` are merged as API Gateway does (a pair present in both is
 * sent once), the body is base64-decoded when `isBase64Encoded`, and Content-Type defaults to JSON.
 */
export const toHttpReply = (
  result: unknown,
): { ok: true; reply: HttpReply } | { ok: false; problem: string } => {
  const parsed = ProxyResultSchema.safeParse(result);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(result)'}: ${issue.message}`)
      .join('; ');
    return { ok: false, problem };
  }
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = parsed.data;
  const flat: string[] = [];
  const fromMulti = new Set<string>();
  const pairKey = (name: string, value: string) => `${name.toLowerCase()}\n${value}`;
  for (const [name, values] of Object.entries(multiValueHeaders ?? {})) {
    if (HOP_BY_HOP.has(name.toLowerCase())) continue;
    for (const value of values) {
      flat.push(name, String(value));
      fromMulti.add(pairKey(name, String(value)));
    }
  }
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (HOP_BY_HOP.has(name.toLowerCase()) || fromMulti.has(pairKey(name, String(value)))) continue;
    flat.push(name, String(value));
  }
  if (!flat.some((value, index) => index % 2 === 0 && value.toLowerCase() === 'content-type')) {
    flat.push('Content-Type', 'application/json');
  }
  const bytes = body ? Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { ok: true, reply: { statusCode, headers: flat, body: bytes } };
};

/** API Gateway's own JSON error answers (`{"message": ...}`), for routing and integration failures. */
export const gatewayReply = (statusCode: number, message: string, extra: string[] = []): HttpReply => ({
  statusCode,
  headers: ['Content-Type', 'application/json', ...extra],
  body: Buffer.from(JSON.stringify({ message })),
});
