import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GREATEST_LOWER_BOUND,
  TraceMap,
  generatedPositionFor,
  originalPositionFor,
} from '@jridgewell/trace-mapping';
import { TestStores } from '#testing/test-stores.ts';
import { envVarsFor, startCli } from '#testing/cli.ts';

const SERVICE_SOURCE = '../../functions/price-fetcher/src/service.ts';
const SERVICE_LINE = 'const price = await this.prices.findByProductId(productId, session);';

let stores: TestStores;
beforeAll(async () => {
  stores = await TestStores.start();
});
afterAll(async () => {
  await stores.close();
});

/** Where a line of service.ts is in the bundle, found through the linked source map as an IDE does. */
const breakpointFor = (map: TraceMap) => {
  const source = readFileSync(join('functions', 'price-fetcher', 'src', 'service.ts'), 'utf8').split('\n');
  const line = source.findIndex((text) => text.includes(SERVICE_LINE)) + 1;
  const column = source[line - 1]!.indexOf('const');
  return { line, generated: generatedPositionFor(map, { source: SERVICE_SOURCE, line, column }) };
};

describe('invoke --debug', () => {
  it('waits for a debugger, which then breaks in functions/price-fetcher/src/service.ts inside the execution environment', async () => {
    const map = new TraceMap(readFileSync(join('dist', 'price-fetcher', 'index.mjs.map'), 'utf8'));
    const { line, generated } = breakpointFor(map);
    expect(generated.line).not.toBeNull();
    const env = envVarsFor(stores);
    const invoke = startCli(
      'tools/local/invoke.ts',
      [
        'price-fetcher',
        '--default-event',
        'infra-local/events/price-event.json',
        '--no-build',
        '--env-vars',
        env.file,
        '--debug',
        '--debug-port',
        '0',
      ],
      { LITE_STATE_DIR: env.stateDir },
    );
    let debuggerClient: ReturnType<typeof startCli> | undefined;
    try {
      const [url] = await invoke.waitFor(/ws:\/\/\S+/, 'stderr');
      // --inspect-brk: nothing has run before a debugger attaches.
      expect(invoke.stdout()).toBe('');

      debuggerClient = startCli('testing/debugger-client.mjs', [
        url,
        'dist/price-fetcher/index\\.mjs$',
        String(generated.line! - 1),
        String(generated.column),
      ]);
      const [exitCode, clientExit] = await Promise.all([invoke.exited, debuggerClient.exited]);
      const report = JSON.parse(debuggerClient.stdout()) as {
        sourceMapURL: string;
        hitBreakpoints: string[];
        location: { lineNumber: number; columnNumber: number };
        workers: number;
      };
      const original = originalPositionFor(map, {
        line: report.location.lineNumber + 1,
        column: report.location.columnNumber,
        bias: GREATEST_LOWER_BOUND,
      });

      expect(clientExit).toBe(0);
      expect(report).toMatchObject({
        workers: 1,
        sourceMapURL: 'index.mjs.map',
        hitBreakpoints: [expect.any(String)],
      });
      expect(original).toMatchObject({ source: SERVICE_SOURCE, line });
      expect(exitCode).toBe(0);
      expect(JSON.parse(invoke.stdout())).toMatchObject({ statusCode: 200 });
    } finally {
      invoke.child.kill();
      debuggerClient?.child.kill();
      env.cleanup();
    }
  });
});
