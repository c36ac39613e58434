import { liteEnvironment } from '#infra-local/lite/lite-env.ts';
import { templatePath } from '#build/paths.ts';
import { readTemplate } from '#build/template.ts';
import { ensureLiteStores, startLocalDynamo } from '#infra-local/lite/stores.ts';

export interface RehearsalStores {
  /** The lite-mode environment of a function, pointed at this rehearsal's stores. */
  envFor(baseName: string): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Lite stores for the rehearsal's smoke tests: a private dynalite on an ephemeral port (so a running
 * `npm run dev:env` or another rehearsal is never touched) and the embedded SQL file, seeded as lite mode does.
 * Functions get their template + lite.json environment, as `npm run invoke` gives them.
 */
export async function startRehearsalStores(root: string): Promise<RehearsalStores> {
  const functions = readTemplate(templatePath(root));
  const dynamo = await startLocalDynamo({ port: 0 });
  try {
    const base = functions[0] ? liteEnvironment(root, functions[0]) : {};
    const stores = await ensureLiteStores({ root, env: { ...base, DYNAMODB_ENDPOINT: dynamo.endpoint } });
    return {
      envFor(baseName) {
        const fn = functions.find((f) => f.name === baseName);
        if (!fn) return {};
        const environment = liteEnvironment(root, fn);
        return {
          // STAGE stays lite mode's `local`: the functions refuse the embedded SQL store in a real stage.
          ...environment,
          DYNAMODB_ENDPOINT: dynamo.endpoint,
          ...(environment.SQLITE_PATH !== undefined ? { SQLITE_PATH: stores.sqlitePath } : {}),
        };
      },
      async stop() {
        await stores.stop();
        await dynamo.close();
      },
    };
  } catch (err) {
    await dynamo.close();
    throw err;
  }
}
