import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';

/**
 * Where the Oracle password comes from. `forceFetch` asks the source again, past any cache: after
 * ORA-01017 (the password was rotated).
 */
export type PasswordSource = (options: { forceFetch: boolean }) => Promise<string>;

/** How long a container keeps the secret before asking Secrets Manager again (rotation is also caught by ORA-01017). */
export const SECRET_MAX_AGE_SECONDS = 300;

/** A password from the environment: STAGE=local only (enforced by the environment schema). */
export const fixedPassword =
  (password: string): PasswordSource =>
  () =>
    Promise.resolve(password);

/**
 * The password from AWS Secrets Manager through Powertools Parameters, cached for SECRET_MAX_AGE_SECONDS.
 * The secret is either the password itself or JSON with a `password` field (the RDS rotation format).
 * The client's calls are bounded like every other store call: a hung endpoint must not hold the request.
 */
export const secretsManagerPassword = (
  secretArn: string,
  options: { region: string; timeoutMs: number; provider?: SecretsProvider },
): PasswordSource => {
  const provider =
    options.provider ??
    new SecretsProvider({
      clientConfig: {
        region: options.region,
        maxAttempts: 2,
        requestHandler: {
          connectionTimeout: Math.min(500, options.timeoutMs),
          requestTimeout: options.timeoutMs,
          throwOnRequestTimeout: true,
        },
      },
    });
  return async ({ forceFetch }) => {
    const secret = await provider.get(secretArn, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch });
    if (typeof secret !== 'string' || secret === '') throw new Error('The Oracle secret holds no string');
    if (!secret.trimStart().startsWith('{')) return secret;
    const parsed = JSON.parse(secret) as { password?: unknown };
    if (typeof parsed.password !== 'string') throw new Error('The Oracle secret has no "password" field');
    return parsed.password;
  };
};
