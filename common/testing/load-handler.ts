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
      ({ handler } = (await import(modulePath)) as { handler: LambdaHandler });
    });
  } finally {
    process.env = saved;
  }
  return handler!;
};
