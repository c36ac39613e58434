import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { LocalIssuer } from '../issuer.ts';
import { startLocalIssuer } from '../issuer.ts';
import { signInWithAuthorizationCode } from '../authorization-code.ts';

const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
const WEB = 'http://localhost:5173';

let issuer: LocalIssuer;
beforeAll(async () => {
  issuer = await startLocalIssuer();
});
afterAll(async () => {
  await issuer.stop();
});

const authorize = async (params: Record<string, string>) => {
  const url = new URL('/authorize', issuer.url);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const response = await fetch(url, { redirect: 'manual' });
  return new URL(response.headers.get('location')!);
};
const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const token = (body: Record<string, string>) =>
  fetch(new URL('/token', issuer.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: WEB },
    body: new URLSearchParams(body),
  });

describe('local issuer: the web sign-in contract (docs/auth.md)', () => {
  it('authorization code + PKCE gives an access token for the API with the chosen user and roles, verifiable against the JWKS', async () => {
    const tokens = await signInWithAuthorizationCode(issuer.url, {
      user: USER.toUpperCase(),
      roles: ['price-reader', 'config-admin'],
      clientId: 'pricing-web',
    });

    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(issuer.jwksUrl)), {
      issuer: issuer.url,
      audience: 'pricing-api',
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({ sub: USER, roles: ['price-reader', 'config-admin'] });
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ sub: USER, aud: 'pricing-web' });
    expect(tokens.expires_in).toBe(3600);
  });

  it('discovery names this issuer and its endpoints; /token, /jwks and discovery allow the web origin (CORS)', async () => {
    const discovery = await fetch(new URL('/.well-known/openid-configuration', issuer.url), {
      headers: { origin: WEB },
    });
    const jwks = await fetch(issuer.jwksUrl, { headers: { origin: WEB } });
    const preflight = await fetch(new URL('/token', issuer.url), {
      method: 'OPTIONS',
      headers: { origin: WEB, 'access-control-request-method': 'POST' },
    });

    expect(await discovery.json()).toMatchObject({
      issuer: issuer.url,
      authorization_endpoint: `${issuer.url}/authorize`,
      token_endpoint: `${issuer.url}/token`,
      jwks_uri: issuer.jwksUrl,
      code_challenge_methods_supported: expect.arrayContaining(['S256']),
    });
    for (const response of [discovery, jwks, preflight])
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it.each([
    ['no login_hint', { roles: 'price-reader' }, 'login_hint'],
    ['a login_hint that is not a UUID', { login_hint: 'alice', roles: 'price-reader' }, 'login_hint'],
    ['an unknown role', { login_hint: USER, roles: 'root' }, 'roles'],
    ['no PKCE', { login_hint: USER, roles: 'price-reader', code_challenge: '' }, 'PKCE'],
  ])(
    '/authorize with %s redirects back with error=invalid_request and no code',
    async (_name, params, mentions) => {
      const { challenge } = pkce();
      const back = await authorize({
        response_type: 'code',
        client_id: 'pricing-web',
        redirect_uri: `${WEB}/callback`,
        state: 's1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...params,
      });

      expect(back.searchParams.get('code')).toBeNull();
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('error_description')).toContain(mentions);
      expect(back.searchParams.get('state')).toBe('s1');
    },
  );

  it('a code is good once, only with its verifier; a refresh token renews the same user and roles; other grants are refused', async () => {
    const { challenge } = pkce();
    const code = (
      await authorize({
        response_type: 'code',
        client_id: 'pricing-web',
        redirect_uri: `${WEB}/callback`,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        login_hint: USER,
        roles: 'config-reader',
      })
    ).searchParams.get('code')!;
    const exchange = {
      grant_type: 'authorization_code',
      code,
      client_id: 'pricing-web',
      redirect_uri: `${WEB}/callback`,
    };

    const wrongVerifier = await token({ ...exchange, code_verifier: pkce().verifier });
    expect(wrongVerifier.status).toBe(400);

    const { verifier: second, challenge: secondChallenge } = pkce();
    const code2 = (
      await authorize({
        response_type: 'code',
        client_id: 'pricing-web',
        redirect_uri: `${WEB}/callback`,
        code_challenge: secondChallenge,
        code_challenge_method: 'S256',
        login_hint: USER,
        roles: 'config-reader',
      })
    ).searchParams.get('code')!;
    const first = await token({ ...exchange, code: code2, code_verifier: second });
    const replay = await token({ ...exchange, code: code2, code_verifier: second });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(400);

    const { refresh_token: refresh } = (await first.json()) as { refresh_token: string };
    const renewed = await token({
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: 'pricing-web',
    });
    expect(renewed.status).toBe(200);
    expect(decodeJwt(((await renewed.json()) as { access_token: string }).access_token)).toMatchObject({
      sub: USER,
      roles: ['config-reader'],
      aud: 'pricing-api',
    });

    const otherGrants: Record<string, string>[] = [
      { grant_type: 'password', username: USER, password: 'x' },
      { grant_type: 'client_credentials', client_id: 'x' },
    ];
    for (const grant of otherGrants) expect((await token(grant)).status).toBe(400);
  });
});
