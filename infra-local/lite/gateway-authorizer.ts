import { createHash } from 'node:crypto';
import type { PolicyDocument } from '#common/utils/iam-policy.ts';
import { evaluatePolicy } from '#common/utils/iam-policy.ts';
import type { InvokeResult } from './lambda-runtime.ts';

/** What API Gateway does with a request once its TOKEN authorizer (or the cache) has spoken. */
export type AuthorizerDecision =
  | { kind: 'allow'; authorizer: Record<string, string | number | boolean> }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden' }
  | { kind: 'error'; problem: string };

interface CachedPolicy {
  expiresAt: number;
  principalId: string;
  policy: PolicyDocument;
  context: Record<string, string | number | boolean>;
}

export interface GatewayAuthorizerOptions {
  invoke: (event: unknown) => Promise<InvokeResult>;
  /** API Gateway's ReauthorizeEvery; 0 turns caching off. */
  ttlSeconds: number;
  now?: () => number;
  /** Most cached tokens; the oldest goes first (API Gateway's cache is bounded too). */
  maxEntries?: number;
}

const isPolicyDocument = (value: unknown): value is PolicyDocument =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as PolicyDocument).Statement) &&
  (value as PolicyDocument).Statement.every(
    (statement) =>
      (statement.Effect === 'Allow' || statement.Effect === 'Deny') &&
      statement.Action !== undefined &&
      statement.Resource !== undefined,
  );

const contextValues = (value: unknown): Record<string, string | number | boolean> | undefined => {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  // API Gateway refuses a context whose values are objects or arrays (500).
  if (entries.some(([, item]) => !['string', 'number', 'boolean'].includes(typeof item))) return undefined;
  return Object.fromEntries(entries) as Record<string, string | number | boolean>;
};

/**
 * API Gateway's side of a REST TOKEN authorizer: the identity header is required (none: 401 without
 * invoking), a thrown `Unauthorized` is 401, any other failure or a malformed answer 500, and a policy is
 * cached by token for the TTL and evaluated against each request's method ARN, so a cached answer applies
 * to every route the token is used on (Deny: 403). An Allow passes `{...context, principalId}` on.
 */
export class GatewayAuthorizer {
  private readonly options: GatewayAuthorizerOptions;
  private readonly cache = new Map<string, CachedPolicy>();
  private readonly now: () => number;

  constructor(options: GatewayAuthorizerOptions) {
    this.options = options;
    this.now = options.now ?? (() => Date.now());
  }

  async authorize(token: string | undefined, methodArn: string): Promise<AuthorizerDecision> {
    if (token === undefined || token === '') return { kind: 'unauthorized' };
    // The cache key is a digest: raw tokens are not kept as map keys.
    const key = createHash('sha256').update(token).digest('base64url');
    let entry = this.cache.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.cache.delete(key);
      entry = undefined;
    }
    let integrationLatency = 0;
    if (!entry) {
      const started = performance.now();
      const outcome = await this.options.invoke({ type: 'TOKEN', authorizationToken: token, methodArn });
      integrationLatency = Math.round(performance.now() - started);
      if (!outcome.ok) {
        return outcome.error.errorMessage === 'Unauthorized'
          ? { kind: 'unauthorized' }
          : { kind: 'error', problem: `${outcome.error.errorType}: ${outcome.error.errorMessage}` };
      }
      const result = outcome.result as { principalId?: unknown; policyDocument?: unknown; context?: unknown };
      const context = contextValues(result?.context);
      if (typeof result?.principalId !== 'string' || !isPolicyDocument(result.policyDocument) || !context)
        return { kind: 'error', problem: 'malformed authorizer response' };
      entry = {
        expiresAt: this.now() + this.options.ttlSeconds * 1000,
        principalId: result.principalId,
        policy: result.policyDocument,
        context,
      };
      if (this.options.ttlSeconds > 0) {
        if (this.cache.size >= (this.options.maxEntries ?? 10_000))
          this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(key, entry);
      }
    }
    if (evaluatePolicy(entry.policy, methodArn) === 'Deny') return { kind: 'forbidden' };
    // API Gateway adds principalId and the authorizer's latency (0 when the answer came from the cache).
    return {
      kind: 'allow',
      authorizer: { ...entry.context, principalId: entry.principalId, integrationLatency },
    };
  }
}

/** The method ARN API Gateway passes the authorizer, for the lite API's fixed account and API id. */
export const localMethodArn = (stage: string, method: string, path: string): string =>
  `arn:aws:execute-api:us-east-1:123456789012:1234567890/${stage}/${method}${path}`;
