/**
 * Where the API and the identity provider are. Read at start from `/config.json` beside index.html, not
 * baked into the build, so the same assets are promoted from stage to stage like the Lambda zips.
 */
export interface WebConfig {
  /** The API's origin, e.g. `http://127.0.0.1:3000`: another origin than the page's, as in AWS. */
  apiUrl: string;
  auth: {
    /** `local`: the page offers the local identity provider (choose a user id and roles). */
    mode: 'local' | 'oidc';
    authority: string;
    clientId: string;
    scope?: string;
  };
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export const loadConfig = async (): Promise<WebConfig> => {
  // The server sends it with no-store: a new deployment's config is read on the next load.
  const response = await fetch('/config.json');
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = (await response.json()) as Partial<WebConfig>;
  const auth = config.auth;
  if (
    !isText(config.apiUrl) ||
    !auth ||
    (auth.mode !== 'local' && auth.mode !== 'oidc') ||
    !isText(auth.authority) ||
    !isText(auth.clientId)
  ) {
    throw new Error('config.json needs apiUrl and auth {mode: local|oidc, authority, clientId}');
  }
  return config as WebConfig;
};
