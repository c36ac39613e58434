import { generateKeyPair, SignJWT, exportJWK, importJWK } from 'jose';
import { createHmac } from 'node:crypto';
import type { LocalIssuer } from '#tools/local/identity/issuer.ts';

export type { LocalIssuer, SignTokenOptions } from '#tools/local/identity/issuer.ts';
export { LOCAL_AUDIENCE, startLocalIssuer } from '#tools/local/identity/issuer.ts';

export const TEST_USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
export const METHOD_ARN_BASE = 'arn:aws:execute-api:us-east-1:123456789012:1234567890/Prod/';

/** The authorizer's environment pointed at a running local issuer. */
export const authorizerEnv = (issuer: LocalIssuer): Record<string, string> => ({
  STAGE: 'local',
  APP_VERSION: '1.2.3-test',
  POWERTOOLS_SERVICE_NAME: 'authorizer',
  LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  JWKS_URL: issuer.jwksUrl,
  TOKEN_ISSUER: issuer.url,
  TOKEN_AUDIENCE: 'pricing-api',
  ROLES_CLAIM: 'roles',
  JWKS_TIMEOUT_MS: '1000',
});

/** The TOKEN authorizer event API Gateway sends for `Authorization: <header>` on `METHOD /path`. */
export const tokenEvent = (header: string | undefined, route = 'GET/price') => ({
  type: 'TOKEN',
  ...(header === undefined ? {} : { authorizationToken: header }),
  methodArn: `${METHOD_ARN_BASE}${route}`,
});

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Payload the issuer would sign for a valid caller. */
const claimsFor = (issuer: LocalIssuer, extra: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: issuer.url,
    aud: 'pricing-api',
    sub: TEST_USER,
    roles: ['price-reader'],
    iat: now,
    exp: now + 600,
    ...extra,
  };
};

/**
 * Tokens an attacker can make without the issuer's private key, each for one known attack. The `kid` of the
 * issuer's key is reused where that makes the attack sharper.
 */
export const hostileTokens = async (issuer: LocalIssuer): Promise<Record<string, string>> => {
  const real = issuer.signingKey();
  const kid = real.kid!;
  const valid = await issuer.signToken({ sub: TEST_USER, roles: ['price-reader'] });
  const [header, payload, signature] = valid.split('.') as [string, string, string];

  // A forged payload (admin roles) with the original signature.
  const forgedPayload = b64({
    ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
    roles: ['config-admin'],
  });
  // Algorithm confusion: HS256 keyed with the public key's bytes (what a naive verifier would use).
  const publicJwk = { kty: real.kty, n: real.n, e: real.e };
  const confusionHeader = b64({ alg: 'HS256', typ: 'JWT', kid });
  const confusionBody = b64(claimsFor(issuer));
  const hmac = createHmac('sha256', JSON.stringify(publicJwk))
    .update(`${confusionHeader}.${confusionBody}`)
    .digest('base64url');
  // A key of the attacker's own, presented under the issuer's kid.
  const foreign = await generateKeyPair('RS256', { extractable: true });
  const foreignKey = await importJWK({ ...(await exportJWK(foreign.privateKey)), alg: 'RS256' }, 'RS256');
  const foreignSigned = await new SignJWT(claimsFor(issuer))
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .sign(foreignKey);

  return {
    'forged signature': `${header}.${forgedPayload}.${signature}`,
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsFor(issuer))}.`,
    'HS256 signed with the public key': `${confusionHeader}.${confusionBody}.${hmac}`,
    'a foreign key under a known kid': foreignSigned,
    expired: await issuer.signToken({ sub: TEST_USER, roles: ['price-reader'], expiresIn: -120 }),
    'not yet valid': await issuer.signToken({ sub: TEST_USER, roles: ['price-reader'], notBefore: 600 }),
    'wrong issuer': await issuer.signToken({
      sub: TEST_USER,
      roles: ['price-reader'],
      issuer: 'https://evil.example',
    }),
    'wrong audience': await issuer.signToken({
      sub: TEST_USER,
      roles: ['price-reader'],
      audience: 'another-api',
    }),
    'sub missing': await issuer.signToken({ roles: ['price-reader'], omit: ['sub'] }),
    'sub not a UUID': await issuer.signToken({ sub: 'johndoe', roles: ['price-reader'] }),
    'roles claim of an unexpected type': await issuer.signToken({ sub: TEST_USER, roles: { admin: true } }),
    'token over 8 KB': await issuer.signToken({
      sub: TEST_USER,
      roles: ['price-reader'],
      claims: { padding: 'x'.repeat(9000) },
    }),
  };
};
