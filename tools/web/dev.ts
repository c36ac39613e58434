// Starts the web app's dev server (Vite, http://localhost:5173) against the local API: start-api with its
// stores and the local issuer, unless an API already answers on http://127.0.0.1:3000. The page calls the
// API cross-origin, as in AWS, so CORS is exercised for real. Prints the web app's URL on stdout.
// Usage: node tools/web/dev.ts
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'vite';
import { repoRoot } from '#build/paths.ts';
import { LOCAL_WEB_CONFIG } from '../../web/web-config.ts';

const root = repoRoot();
const apiUrl = LOCAL_WEB_CONFIG.apiUrl;
const say = (line: string) => process.stderr.write(`dev:web: ${line}\n`);

const apiAnswers = async (): Promise<boolean> => {
  try {
    return (await fetch(`${apiUrl}/openapi.json`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
};

/** start-api as its own process (its stores and issuer with it), resolved once it prints its URL. */
const startApi = (): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'tools', 'local', 'start-api.ts'), '--quiet'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.once('exit', (code) => reject(new Error(`start-api exited (${code}) before serving`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(apiUrl)) resolve(child);
    });
  });

let api: ChildProcess | undefined;
if (await apiAnswers()) {
  say(`using the API already running at ${apiUrl}`);
} else {
  say('starting the API (npm run start-api: stores, local issuer, token authorizer)…');
  api = await startApi();
}

const server = await createServer({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'info' });
await server.listen();
const url = server.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
say(`API ${apiUrl} (docs: ${apiUrl}/docs), identity provider ${LOCAL_WEB_CONFIG.auth.authority}`);
process.stdout.write(`${url}\n`);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  void server.close().then(() => {
    api?.kill('SIGTERM');
    process.exit(0);
  });
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
