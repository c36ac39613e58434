import { createHash, randomBytes } from 'node:crypto';

export interface IssuedTokens {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  expires_in?: number;
  token_type?: string;
}

/**
 * Signs a user in at the local issuer the way the web app does (authorization code + PKCE S256), with no
 * browser: `/authorize` with `login_hint` and `roles`, the redirect's code, then `/token` with the verifier.
 */
export const signInWithAuthorizationCode = async (
  issuerUrl: string,
  options: { user: string; roles: string[]; clientId?: string; redirectUri?: string; timeoutMs?: number },
): Promise<IssuedTokens> => {
  const clientId = options.clientId ?? 'pricing-cli';
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1/callback';
  const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const authorize = new URL('/authorize', issuerUrl);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'openid',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    login_hint: options.user,
    roles: options.roles.join(','),
  }))
    authorize.searchParams.set(name, value);
  const redirect = await fetch(authorize, { redirect: 'manual', signal });
  const location = redirect.headers.get('location');
  if (redirect.status !== 302 || !location)
    throw new Error(`/authorize answered ${redirect.status}, not a redirect`);
  const back = new URL(location);
  const code = back.searchParams.get('code');
  if (!code)
    throw new Error(`/authorize refused: ${back.searchParams.get('error_description') ?? 'no code'}`);
  if (back.searchParams.get('state') !== state) throw new Error('/authorize returned another state');
  const response = await fetch(new URL('/token', issuerUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: clientId,
      redirect_uri: redirectUri,
    }),
    signal,
  });
  const body = (await response.json()) as IssuedTokens & { detail?: string };
  if (response.status !== 200) throw new Error(`/token answered ${response.status}: ${body.detail ?? ''}`);
  return body;
};
