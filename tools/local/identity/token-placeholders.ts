import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { SignJWT, importJWK } from 'jose';

/**
 * `{{local-token user=<uuid> roles=<role>[,<role>...] [expired]}}` in a committed event (an authorizer event,
 * whose token would otherwise expire in the repository): `npm run invoke` replaces each with a token signed
 * now by the local issuer's key, so the same file keeps working. `expired` signs one that expired 10 min ago.
 */
export const TOKEN_PLACEHOLDER = /\{\{local-token((?:\s+[a-z]+(?:=[^\s}]*)?)*)\s*\}\}/g;

export const hasTokenPlaceholder = (text: string): boolean => new RegExp(TOKEN_PLACEHOLDER.source).test(text);

/** Replaces every placeholder with a token signed with the issuer's persisted key. */
export const fillTokenPlaceholders = async (
  text: string,
  options: { keyFile: string; issuer: string; audience: string; rolesClaim?: string },
): Promise<string> => {
  const jwk = JSON.parse(readFileSync(options.keyFile, 'utf8')) as JWK;
  const key = await importJWK(jwk, jwk.alg);
  const matches = [...text.matchAll(TOKEN_PLACEHOLDER)];
  const tokens = await Promise.all(
    matches.map(async (match) => {
      const settings = Object.fromEntries(
        match[1]!
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map((part) => [part.split('=')[0]!, part.split('=')[1] ?? 'true']),
      );
      if (!settings.user) throw new Error(`${match[0]}: user=<uuid> is required`);
      const now = Math.floor(Date.now() / 1000);
      const exp = settings.expired ? now - 600 : now + 3600;
      return new SignJWT({
        [options.rolesClaim ?? 'roles']: (settings.roles ?? '').split(',').filter(Boolean),
      })
        .setProtectedHeader({ alg: jwk.alg!, kid: jwk.kid!, typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(settings.user)
        .setIssuedAt(exp - 3600)
        .setNotBefore(exp - 3600 - 10)
        .setExpirationTime(exp)
        .sign(key);
    }),
  );
  let index = 0;
  return text.replace(TOKEN_PLACEHOLDER, () => tokens[index++]!);
};
