import { join } from 'node:path';
import { stateDir } from '#infra-local/lite/state-dir.ts';
import type { LocalIssuer } from './issuer.ts';
import { startLocalIssuer } from './issuer.ts';

/** Where the local issuer keeps its signing key (under LITE_STATE_DIR), so tokens stay valid across restarts. */
export const localKeyFile = (root: string): string => join(stateDir(root), 'identity', 'signing-key.json');

/** True when an issuer answers its JWKS at `jwksUrl`. */
export const issuerReachable = async (jwksUrl: string, timeoutMs = 1000): Promise<boolean> => {
  try {
    const response = await fetch(jwksUrl, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json()) as { keys?: unknown };
    return response.status === 200 && Array.isArray(body.keys);
  } catch {
    return false;
  }
};

export interface EnsuredIssuer {
  url: string;
  /** True when this call started the issuer (and `stop()` stops it). */
  started: boolean;
  issuer?: LocalIssuer;
  stop(): Promise<void>;
}

/**
 * Makes the local issuer of a lite environment usable: reuses the one that answers at `JWKS_URL` (from
 * `npm run dev:env`), or starts one for this run on the host and port of `TOKEN_ISSUER`, with the
 * persisted key. Only loopback issuers are started.
 */
export const ensureLocalIssuer = async (options: {
  root: string;
  env: Record<string, string>;
}): Promise<EnsuredIssuer> => {
  const { JWKS_URL: jwksUrl, TOKEN_ISSUER: issuerUrl } = options.env;
  if (!jwksUrl || !issuerUrl) throw new Error('JWKS_URL and TOKEN_ISSUER are not set for the authorizer');
  if (await issuerReachable(jwksUrl)) return { url: issuerUrl, started: false, stop: async () => undefined };
  const url = new URL(issuerUrl);
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new Error(`No issuer answers at ${jwksUrl}, and only a loopback http issuer can be started here`);
  const issuer = await startLocalIssuer({
    host: url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 80),
    keyFile: localKeyFile(options.root),
  });
  return { url: issuer.url, started: true, issuer, stop: () => issuer.stop() };
};
