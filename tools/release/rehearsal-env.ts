import { liteEnvironment } from '#infra-local/lite/lite-env.ts';
import { templatePath } from '#build/paths.ts';
import { readTemplate } from '#build/template.ts';
import { ensureLiteStores, startLocalDynamo } from '#infra-local/lite/stores.ts';
import { startLocalIssuer } from '#tools/local/identity/issuer.ts';

export interface RehearsalStores {
  /** The lite-mode environment of a function, pointed at this rehearsal's stores. */
  envFor(baseName: string): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Lite stores for the rehearsal's smoke tests: a private DynamoDB Local and local issuer on ephemeral ports (so a running
 * `npm run dev:env` or another rehearsal is never touched) and the embedded SQL file, seeded as lite mode does.
 * Functions get their template + lite.json environment, as `npm run invoke` gives them.
 */
export async function startRehearsalStores(root: string): Promise<RehearsalStores> {
  const functions = readTemplate(templatePath(root));
  const dynamo = await startLocalDynamo({ port: 0 });
  // The authorizer's health check fetches the key set: a private issuer, like the private stores.
  const issuer = await startLocalIssuer({ port: 0 });
  try {
    const withStores = functions.find((fn) => fn.environment.DYNAMODB_ENDPOINT !== undefined);
    const base = withStores ? liteEnvironment(root, withStores) : {};
    const stores = await ensureLiteStores({ root, env: { ...base, DYNAMODB_ENDPOINT: dynamo.endpoint } });
    return {
      envFor(baseName) {
        const fn = functions.find((f) => f.name === baseName);
        if (!fn) return {};
        const environment = liteEnvironment(root, fn);
        return {
          // STAGE stays lite mode's `local`: the functions refuse the embedded SQL store in a real stage.
          ...environment,
          ...(environment.DYNAMODB_ENDPOINT !== undefined ? { DYNAMODB_ENDPOINT: dynamo.endpoint } : {}),
          ...(environment.SQLITE_PATH !== undefined ? { SQLITE_PATH: stores.sqlitePath } : {}),
          ...(environment.JWKS_URL !== undefined
            ? { JWKS_URL: issuer.jwksUrl, TOKEN_ISSUER: issuer.url }
            : {}),
        };
      },
      async stop() {
        await stores.stop();
        await dynamo.close();
        await issuer.stop();
      },
    };
  } catch (err) {
    await dynamo.close();
    await issuer.stop();
    throw err;
  }
}
