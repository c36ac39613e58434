import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchStores } from './bench-stores.ts';

export interface StartApiProcess {
  /** `http://127.0.0.1:<port>`, as start-api printed it. */
  origin: string;
  /** Everything start-api has written to stderr so far (its access log and hot-reload lines). */
  log: () => string;
  /** The Authorization header value requests need (the authorizer runs in front of every route). */
  authorization: string;
  stop: () => Promise<void>;
}

/**
 * `npm run start-api` in its own process, as a developer runs it from `root` (the repository or a copy of
 * it), pointed at the bench stores through an `--env-vars` file. Port 0: the system picks a free port and
 * start-api prints its URL, so no other socket can take the port meanwhile.
 */
export const startApiProcess = async (
  root: string,
  stores: BenchStores,
  args: string[],
): Promise<StartApiProcess> => {
  // bench/.tmp is git-ignored; in a copy of the sources it does not exist yet.
  mkdirSync(join(root, 'bench', '.tmp'), { recursive: true });
  const envVars = join(root, 'bench', '.tmp', 'api-env.json');
  writeFileSync(
    envVars,
    JSON.stringify({
      Parameters: { DYNAMODB_ENDPOINT: stores.endpoint, SQLITE_PATH: stores.sqlitePath },
      // The authorizer trusts the bench's issuer; requests carry stores.authorization.
      AuthorizerFunction: { JWKS_URL: stores.issuer.jwksUrl, TOKEN_ISSUER: stores.issuer.url },
    }),
  );
  const server = spawn(
    process.execPath,
    [join(root, 'tools', 'local', 'start-api.ts'), '--port', '0', '--env-vars', envVars, ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  };
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let output = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const listening = /^(http:\/\/[^/\s]+)/m.exec(output);
        if (listening) resolve(listening[1]!);
      });
      server.once('exit', (code) =>
        reject(new Error(`start-api exited with ${code} before listening:\n${log.trim()}`)),
      );
    });
    return { origin, log: () => log, authorization: stores.authorization, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
