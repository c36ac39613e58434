import type { WebConfig } from './src/config.ts';

/** The local defaults: start-api on :3000 and the local issuer on :9400 (docs/auth.md). */
export const LOCAL_WEB_CONFIG: WebConfig = {
  apiUrl: 'http://127.0.0.1:3000',
  auth: { mode: 'local', authority: 'http://127.0.0.1:9400', clientId: 'pricing-web' },
};

/** `PRICING_WEB_CONFIG` (JSON) when set, else the local defaults. */
export const webConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): WebConfig =>
  env.PRICING_WEB_CONFIG ? (JSON.parse(env.PRICING_WEB_CONFIG) as WebConfig) : LOCAL_WEB_CONFIG;

/**
 * The page's Content-Security-Policy: scripts and styles from its own origin only (no inline script, no
 * eval), and calls only to the API and the identity provider. `devServer` adds Vite's hot-reload socket.
 */
export const contentSecurityPolicy = (config: WebConfig, devServer?: string): string => {
  const connect = ["'self'", new URL(config.apiUrl).origin, new URL(config.auth.authority).origin];
  if (devServer) connect.push(devServer.replace(/^http/, 'ws'));
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
};
