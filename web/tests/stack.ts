import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { testApiFunctions } from '#testing/api-functions.ts';
import { authorizerEnv, startLocalIssuer } from '#testing/identity.ts';
import type { LocalIssuer } from '#testing/identity.ts';
import { TestStores } from '#testing/test-stores.ts';
import { startApiServer } from '#infra-local/lite/api-server.ts';
import type { ApiServer } from '#infra-local/lite/api-server.ts';
import { liteApiAuthorizer } from '#infra-local/lite/lite-env.ts';
import { contentSecurityPolicy } from '../web-config.ts';
import type { WebConfig } from '../src/config.ts';

const root = process.cwd();
const dist = join(root, 'web', 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

/** The built assets as a static host serves them: the CSP header on every answer, config.json beside. */
const startStaticHost = async (config: () => WebConfig): Promise<{ server: Server; url: string }> => {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!));
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(config()));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (path === '/config.json') {
      res.setHeader('Content-Type', 'application/json');
      return res.end(JSON.stringify(config()));
    }
    const file = path === '/' || !extname(path) ? 'index.html' : path.slice(1);
    readFile(join(dist, file)).then(
      (body) => {
        res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
        res.end(body);
      },
      () => {
        res.statusCode = 404;
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
};

/** Debian's chromium (`which chromium`): Playwright's own browser download cannot work here. */
export const chromiumPath = (): string => {
  const path = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  if (!path) throw new Error('chromium is not installed: apt-get install -y chromium');
  return path;
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Everything the web app talks to, started by the test on free ports: the lite stores (DynamoDB in a
 * child process, so it can be stopped), the local OIDC issuer, start-api with the token authorizer and
 * CORS for the page's origin only, the built web app on a static host, and headless Chromium.
 */
export class WebStack {
  readonly stores: TestStores;
  readonly issuer: LocalIssuer;
  readonly api: ApiServer;
  readonly web: { server: Server; url: string };
  readonly browser: BrowserContext;
  private readonly userDataDir: string;

  private constructor(parts: {
    stores: TestStores;
    issuer: LocalIssuer;
    api: ApiServer;
    web: { server: Server; url: string };
    browser: BrowserContext;
    userDataDir: string;
  }) {
    this.stores = parts.stores;
    this.issuer = parts.issuer;
    this.api = parts.api;
    this.web = parts.web;
    this.browser = parts.browser;
    this.userDataDir = parts.userDataDir;
  }

  static async start(): Promise<WebStack> {
    await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
    const stores = await TestStores.start({ persistDynamo: true });
    const issuer = await startLocalIssuer({ port: 0 });
    // The page's config names the API, which starts after the host (its CORS needs the host's origin).
    const config: { current?: WebConfig } = {};
    const web = await startStaticHost(() => config.current!);
    const authorizer = liteApiAuthorizer(root)!;
    // Configuration is read on every request, not every CONFIG_CACHE_SECONDS: a switch an admin flips in
    // one tab is what the next lookup in another tab sees (deployed, every container sees it within that).
    const functions = testApiFunctions(stores, { corsOrigin: web.url, configCacheSeconds: 0 });
    const api = await startApiServer({
      root,
      functions,
      authorizer: { ...authorizer, env: { ...authorizer.env, ...authorizerEnv(issuer) } },
      port: 0,
      log: () => undefined,
    });
    config.current = {
      apiUrl: api.url,
      auth: { mode: 'local', authority: issuer.url, clientId: 'pricing-web' },
    };
    const userDataDir = mkdtempSync(join(tmpdir(), 'pricing-chromium-'));
    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
      headless: true,
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    return new WebStack({ stores, issuer, api, web, browser, userDataDir });
  }

  /** A new tab on the web app, its console errors and CSP violations collected. */
  async open(): Promise<{ page: Page; problems: string[] }> {
    const page = await this.browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) {
        problems.push(message.text());
      }
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(this.web.url);
    return { page, problems };
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.api.close();
    await this.issuer.stop();
    await new Promise((resolve) => this.web.server.close(resolve));
    await this.stores.close();
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
