import { repoRoot, templatePath } from '#build/paths.ts';
import { readApiAuthorizer } from '#build/template.ts';
import { CLOCK_SKEW_SECONDS } from '#functions/authorizer/src/service.ts';
import type { InvokeResult } from '../lambda-runtime.ts';
import { GatewayAuthorizer, localMethodArn } from '../gateway-authorizer.ts';

const arn = (route: string) => localMethodArn('Prod', route.split(' ')[0]!, route.split(' ')[1]!);
const allowPrice = {
  principalId: 'user-1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [arn('GET /price')] }],
  },
  context: { userId: 'user-1', roles: 'price-reader' },
};

/** A fake authorizer function that answers `results` in turn and counts its invocations. */
const gateway = (results: InvokeResult[], ttlSeconds = 300) => {
  let clock = 1_000_000;
  const events: unknown[] = [];
  const authorizer = new GatewayAuthorizer({
    ttlSeconds,
    now: () => clock,
    invoke: (event) => {
      events.push(event);
      return Promise.resolve(results[Math.min(events.length - 1, results.length - 1)]!);
    },
  });
  return { authorizer, events, advance: (ms: number) => (clock += ms) };
};
const ok = (result: unknown): InvokeResult => ({ ok: true, result, requestId: 'r' });
const thrown = (message: string): InvokeResult => ({
  ok: false,
  error: { errorType: 'Error', errorMessage: message },
  requestId: 'r',
});

describe('GatewayAuthorizer (API Gateway side of a TOKEN authorizer)', () => {
  it('refuses a request without the identity header with 401, without invoking the authorizer', async () => {
    const { authorizer, events } = gateway([ok(allowPrice)]);

    expect(await authorizer.authorize(undefined, arn('GET /price'))).toEqual({ kind: 'unauthorized' });
    expect(await authorizer.authorize('', arn('GET /price'))).toEqual({ kind: 'unauthorized' });
    expect(events).toEqual([]);
  });

  it('sends the TOKEN event, passes {...context, principalId} on an Allow, and caches the policy by token', async () => {
    const { authorizer, events } = gateway([ok(allowPrice)]);

    const first = await authorizer.authorize('Bearer a', arn('GET /price'));
    const second = await authorizer.authorize('Bearer a', arn('GET /price'));

    expect(first).toEqual({
      kind: 'allow',
      authorizer: {
        userId: 'user-1',
        roles: 'price-reader',
        principalId: 'user-1',
        integrationLatency: expect.any(Number),
      },
    });
    expect(second).toEqual({
      ...first,
      authorizer: { ...(first as { authorizer: object }).authorizer, integrationLatency: 0 },
    });
    expect(events).toEqual([{ type: 'TOKEN', authorizationToken: 'Bearer a', methodArn: arn('GET /price') }]);
  });

  it('re-checks the cached policy against each request: a route the policy does not cover is 403, with no new invocation', async () => {
    const { authorizer, events } = gateway([ok(allowPrice)]);

    await authorizer.authorize('Bearer a', arn('GET /price'));
    expect(await authorizer.authorize('Bearer a', arn('GET /config'))).toEqual({ kind: 'forbidden' });
    expect(events).toHaveLength(1);
  });

  it('asks again once the TTL has passed, and for another token', async () => {
    const { authorizer, events, advance } = gateway([ok(allowPrice)], 300);

    await authorizer.authorize('Bearer a', arn('GET /price'));
    advance(299_000);
    await authorizer.authorize('Bearer a', arn('GET /price'));
    await authorizer.authorize('Bearer b', arn('GET /price'));
    advance(2_000);
    await authorizer.authorize('Bearer a', arn('GET /price'));

    expect(events).toHaveLength(3);
  });

  it("with the template's TTL, a token accepted just before exp + skew is refused at most 2 minutes after exp", async () => {
    // docs/auth.md: the authorizer checks exp with at most 60 s of clock skew, and API Gateway reuses its
    // cached Allow for the TTL without asking again. The fake authorizer accepts once, then refuses.
    const { ttlSeconds } = readApiAuthorizer(templatePath(repoRoot()))!;
    const { authorizer, events, advance } = gateway([ok(allowPrice), thrown('Unauthorized')], ttlSeconds);
    // Times are ms after the token's exp; the authorizer accepts it for the last time 1 s inside the skew.
    let sinceExp = CLOCK_SKEW_SECONDS * 1000 - 1_000;
    expect(await authorizer.authorize('Bearer a', arn('GET /price'))).toMatchObject({ kind: 'allow' });
    let lastAllowed = sinceExp;
    while (sinceExp < 600_000) {
      advance(1_000);
      sinceExp += 1_000;
      if ((await authorizer.authorize('Bearer a', arn('GET /price'))).kind !== 'allow') break;
      lastAllowed = sinceExp;
    }

    expect(events).toHaveLength(2);
    expect(lastAllowed).toBeLessThan((CLOCK_SKEW_SECONDS + ttlSeconds) * 1000);
    expect(lastAllowed).toBeLessThanOrEqual(120_000);
  });

  it('with a TTL of 0 caches nothing', async () => {
    const { authorizer, events } = gateway([ok(allowPrice)], 0);

    await authorizer.authorize('Bearer a', arn('GET /price'));
    await authorizer.authorize('Bearer a', arn('GET /price'));

    expect(events).toHaveLength(2);
  });

  it('turns a thrown Unauthorized into 401 and caches nothing; any other failure or a malformed answer is 500', async () => {
    const unauthorized = gateway([thrown('Unauthorized')]);
    expect(await unauthorized.authorizer.authorize('Bearer x', arn('GET /price'))).toEqual({
      kind: 'unauthorized',
    });
    await unauthorized.authorizer.authorize('Bearer x', arn('GET /price'));
    expect(unauthorized.events).toHaveLength(2);

    for (const result of [
      thrown('Authorizer unavailable'),
      ok({ principalId: 'u' }),
      ok({ ...allowPrice, context: { nested: { a: 1 } } }),
      ok({ ...allowPrice, policyDocument: { Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] } }),
    ]) {
      const { authorizer } = gateway([result]);
      expect(await authorizer.authorize('Bearer y', arn('GET /price'))).toMatchObject({ kind: 'error' });
    }
  });
});
