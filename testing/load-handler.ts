import type { Context } from 'aws-lambda';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Loads a function's real handler module the way Lambda does: a fresh module registry (a new container),
 * with `env` as the process environment during module initialisation.
 */
export const loadHandler = async (
  modulePath: string,
  env: Record<string, string>,
): Promise<LambdaHandler> => {
  const saved = process.env;
  process.env = { ...saved, ...env };
  let handler: LambdaHandler | undefined;
  try {
    await jest.isolateModulesAsync(async () => {
      const module = (await import(modulePath)) as { handler: LambdaHandler; ready?: Promise<unknown> };
      handler = module.handler;
      // Init work a handler starts without awaiting (the Oracle driver loaded by import()) must load its
      // modules in this container's registry, not the shared one.
      await module.ready;
    });
  } finally {
    process.env = saved;
  }
  return handler!;
};
