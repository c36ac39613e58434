import { AssertionError } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import { exportJWK, generateKeyPair } from 'jose';
import { OAuth2Server } from 'oauth2-mock-server';
import { isRole } from '#common/constants/roles.ts';

/** The audience the API accepts (TOKEN_AUDIENCE): access tokens from this issuer carry it. */
export const LOCAL_AUDIENCE = 'pricing-api';
export const DEFAULT_ISSUER_PORT = 9400;
export const DEFAULT_ISSUER_URL = `http://127.0.0.1:${DEFAULT_ISSUER_PORT}`;
/** How long an authorization code may wait for its /token request. */
const CODE_TTL_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LocalIssuerOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1: the issuer signs whatever it is asked to, so it must stay on this machine. */
  host?: string;
  /** Keep the signing key here (created on first start), so tokens outlive a restart. Default: in memory. */
  keyFile?: string;
  /** `RS256` (default) or `ES256`. */
  algorithm?: 'RS256' | 'ES256';
}

export interface SignTokenOptions {
  sub?: string;
  /** Usually role names; any JSON value, so tests can send a claim of the wrong type. */
  roles?: unknown;
  /** Seconds from now until `exp` (default 3600; negative for an expired token). */
  expiresIn?: number;
  /** Seconds from now until `nbf` (default: 10 s ago). */
  notBefore?: number;
  audience?: string | string[];
  issuer?: string;
  /** Claim names to leave out (e.g. `sub`). */
  omit?: string[];
  /** Extra claims, set last. */
  claims?: Record<string, unknown>;
  /** The claim the roles go in (default `roles`). */
  rolesClaim?: string;
}

export interface LocalIssuer {
  /** `http://127.0.0.1:<port>`: the tokens' `iss` and the OIDC authority. */
  url: string;
  jwksUrl: string;
  port: number;
  /** A token signed with the issuer's own key, as /token would issue it, shaped by `options`. */
  signToken(options?: SignTokenOptions): Promise<string>;
  /** The signing key, private part included (hostile-token tests forge with its `kid`). */
  signingKey(): JWK;
  stop(): Promise<void>;
}

interface Grant {
  sub: string;
  roles: string[];
  expiresAt: number;
}

type RequestWithBody = IncomingMessage & { body?: Record<string, unknown>; query?: Record<string, unknown> };

const loadOrCreateKey = async (server: OAuth2Server, options: LocalIssuerOptions): Promise<void> => {
  const algorithm = options.algorithm ?? 'RS256';
  const file = options.keyFile;
  const readKey = (path: string): JWK => JSON.parse(readFileSync(path, 'utf8')) as JWK;
  if (file && existsSync(file)) {
    await server.issuer.keys.add(readKey(file));
    return;
  }
  // Generated here and added as a plain copy: the library's own generate() checks the JWK's prototype, which
  // fails when WebCrypto's result comes from another realm (Jest's sandbox).
  const pair = await generateKeyPair(algorithm, { extractable: true });
  let key: JWK = { ...(await exportJWK(pair.privateKey)), alg: algorithm, kid: randomUUID() };
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      // 'wx': when two processes start at once, the first key written is the one both use.
      writeFileSync(file, JSON.stringify(key), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      key = readKey(file);
    }
  }
  await server.issuer.keys.add(key);
};

const list = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The local OIDC issuer: oauth2-mock-server (discovery, JWKS, /authorize, /token, CORS for any origin) with
 * the rules of docs/auth.md on top:
 * - `/authorize` takes the user (`login_hint`, a UUID) and `roles` (known role names), and requires PKCE S256;
 * - `/token` issues tokens only for a code (or refresh token) it handed out, with that user and those roles:
 *   the access token has `aud: pricing-api`, `sub`, `roles`; the id token the client's `aud`;
 * - every other grant is refused, so no token names a user nobody chose.
 */
export const startLocalIssuer = async (options: LocalIssuerOptions = {}): Promise<LocalIssuer> => {
  const server = new OAuth2Server();
  await loadOrCreateKey(server, options);
  const codes = new Map<string, Grant>();
  const refreshTokens = new Map<string, Grant>();
  const service = server.service;

  service.on('beforeAuthorizeRedirect', (redirect: { url: URL }, req: RequestWithBody) => {
    const query = req.query ?? {};
    const code = redirect.url.searchParams.get('code');
    if (!code) return;
    const sub = list(query.login_hint);
    const roles = list(query.roles)
      .split(/[\s,]+/)
      .filter(Boolean);
    const problem = !UUID.test(sub)
      ? 'login_hint must be the user id (a UUID)'
      : roles.some((role) => !isRole(role))
        ? 'roles must be known role names (docs/auth.md), comma-separated'
        : query.code_challenge_method !== 'S256' || !list(query.code_challenge)
          ? 'PKCE with code_challenge_method=S256 is required'
          : undefined;
    if (problem) {
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', 'invalid_request');
      redirect.url.searchParams.set('error_description', problem);
      return;
    }
    codes.set(code, { sub: sub.toLowerCase(), roles, expiresAt: Date.now() + CODE_TTL_MS });
  });

  const grantOf = (body: Record<string, unknown>): Grant => {
    if (body.grant_type === 'authorization_code') {
      const grant = codes.get(list(body.code));
      if (!grant || grant.expiresAt < Date.now())
        throw new AssertionError({ message: 'unknown, used or expired code' });
      if (!list(body.code_verifier))
        throw new AssertionError({ message: 'code_verifier is required (PKCE)' });
      return grant;
    }
    if (body.grant_type === 'refresh_token') {
      const grant = refreshTokens.get(list(body.refresh_token));
      if (!grant) throw new AssertionError({ message: 'unknown refresh_token' });
      return grant;
    }
    throw new AssertionError({
      message: 'only authorization_code (with PKCE) and refresh_token are supported',
    });
  };

  service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }, req: RequestWithBody) => {
    const grant = grantOf(req.body ?? {});
    token.payload.sub = grant.sub;
    // The id token already has the client's audience; the access token is for the API.
    if (token.payload.aud === undefined) {
      token.payload.aud = LOCAL_AUDIENCE;
      token.payload.roles = grant.roles;
    }
  });

  service.on(
    'beforeResponse',
    (response: { statusCode: number; body: Record<string, unknown> }, req: RequestWithBody) => {
      const body = req.body ?? {};
      if (response.statusCode !== 200) return;
      const grant = grantOf(body);
      // A code is good once; a refresh token is swapped for the new one.
      codes.delete(list(body.code));
      refreshTokens.delete(list(body.refresh_token));
      const refresh = list(response.body.refresh_token);
      if (refresh) refreshTokens.set(refresh, { ...grant, expiresAt: Number.POSITIVE_INFINITY });
    },
  );

  const host = options.host ?? '127.0.0.1';
  await server.start(options.port ?? 0, host);
  const { port } = server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // The library would say "localhost"; the tokens' `iss` must be the very URL configured as TOKEN_ISSUER.
  server.issuer.url = url;

  return {
    url,
    jwksUrl: `${url}/jwks`,
    port,
    signingKey: () => server.issuer.keys.toJSON(true)[0]!,
    signToken: (sign: SignTokenOptions = {}) =>
      server.issuer.buildToken({
        expiresIn: sign.expiresIn ?? 3600,
        scopesOrTransform: (_header, payload) => {
          const now = Math.floor(Date.now() / 1000);
          Object.assign(payload, {
            aud: sign.audience ?? LOCAL_AUDIENCE,
            ...(sign.sub !== undefined ? { sub: sign.sub } : {}),
            ...(sign.roles !== undefined ? { [sign.rolesClaim ?? 'roles']: sign.roles } : {}),
            ...(sign.issuer !== undefined ? { iss: sign.issuer } : {}),
            ...(sign.notBefore !== undefined ? { nbf: now + sign.notBefore } : {}),
            ...sign.claims,
          });
          for (const name of sign.omit ?? []) delete payload[name];
        },
      }),
    stop: () => server.stop(),
  };
};
