// The warm path, in one process: the built price-fetcher bundle against the embedded stores, and the raw
// store calls it makes (the same SQL query and the same audit put, through the same clients) without Middy,
// validation, logging or metrics. Both run in alternating blocks so that drift hits them equally.
// Or memory after given numbers of invocations (npm run bench: 10,000, 50,000 and 100,000). The result goes to fd 3; stdout (EMF) is discarded.
// The raw calls come from bench/fixtures/raw-store-calls.ts built like the function (<raw bundle>).
// With <anchor bundle>, the anchor's hello handler runs as a third side: the framework's own cost per call.
// With <candidate bundle> (another build of the same function, npm run bench -- --compare), it runs as one
// more side, so a change is measured against the shipped build in the same process, block for block.
// Usage: node --expose-gc bench/warm-probe.ts <bundle> <raw bundle> <event.json> warm <invocations> [<anchor bundle> [<candidate bundle>]]
//        node --expose-gc bench/warm-probe.ts <bundle> <raw bundle> <event.json> memory <n,n,...>
import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createLambdaContext } from '#infra-local/lite/lambda-context.mjs';
import type { RawStoreCalls } from './fixtures/raw-store-calls.ts';

const [
  bundle = '',
  rawBundle = '',
  eventFile = '',
  mode = 'warm',
  invocationsArg = '20000',
  anchorBundle = '',
  candidateBundle = '',
] = process.argv.slice(2);
const invocations = Number(invocationsArg);
const event = JSON.parse(readFileSync(eventFile, 'utf8')) as unknown;
const env = process.env as Record<string, string>;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: Handler };

let sequence = 0;
const functionName = env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench';

/**
 * A side prepares each call outside the timed span, as the Lambda runtime builds the event and the context
 * before it calls the handler, and returns the call itself, which is timed.
 */
type Side = () => () => Promise<void>;

const invoking =
  (fn: Handler, name: string, input: unknown = event): Side =>
  () => {
    sequence += 1;
    const context = createLambdaContext({
      requestId: `warm-${sequence}`,
      functionName,
      deadline: Date.now() + 10_000,
    });
    return async () => {
      const response = await fn(input, context);
      if (response.statusCode !== 200) throw new Error(`${name} answered ${response.statusCode}`);
    };
  };
const viaHandler = invoking(handler, 'handler');

const { createRawStoreCalls } = (await import(pathToFileURL(rawBundle).href)) as {
  createRawStoreCalls: (env: Record<string, string | undefined>, event: unknown) => RawStoreCalls;
};
const raw = createRawStoreCalls(env, event);
const viaRawCalls: Side = () => {
  sequence += 1;
  const requestId = `raw-${sequence}`;
  return () => raw.call(requestId);
};

const timeEach = async (side: Side, count: number, into: number[]): Promise<void> => {
  for (let i = 0; i < count; i += 1) {
    const call = side();
    const start = performance.now();
    await call();
    into.push(performance.now() - start);
  }
};

interface SideResult {
  times: number[];
  wall: number;
  cpu: number;
}

/**
 * Warm every side (JIT, connection reuse), then measure them in alternating blocks. Each side's wall time
 * and the process's CPU time over its blocks (all threads: GC and JIT compilation included) are summed.
 * The order of the sides turns by one each block, so that none always runs first or after the same one.
 */
const measureWarm = async (sides: Record<string, Side>) => {
  for (const fn of Object.values(sides)) await timeEach(fn, 500, []);
  const results: Record<string, SideResult> = {};
  for (const name of Object.keys(sides)) results[name] = { times: [], wall: 0, cpu: 0 };
  const entries = Object.entries(sides);
  const block = 1000;
  for (let done = 0; done < invocations; done += block) {
    const count = Math.min(block, invocations - done);
    const turn = (done / block) % entries.length;
    for (const [name, fn] of [...entries.slice(turn), ...entries.slice(0, turn)]) {
      const result = results[name]!;
      const start = performance.now();
      const cpu = process.cpuUsage();
      await timeEach(fn, count, result.times);
      result.wall += performance.now() - start;
      const { user, system } = process.cpuUsage(cpu);
      result.cpu += (user + system) / 1000;
    }
  }
  return results;
};

/** RSS and heap (after a full GC) once each of `marks` invocations have been served. */
const measureMemory = async (marks: number[]) => {
  const memory: Record<string, { rssMb: number; heapUsedMb: number; externalMb: number }> = {};
  let handled = 0;
  for (const target of marks) {
    while (handled < target) {
      await viaHandler()();
      handled += 1;
    }
    gc();
    const { rss, heapUsed, external } = process.memoryUsage();
    memory[String(target)] = {
      rssMb: rss / 2 ** 20,
      heapUsedMb: heapUsed / 2 ** 20,
      externalMb: external / 2 ** 20,
    };
  }
  return { memory };
};

/** The anchor (Middy + Powertools hello, no I/O), when given: what that framework alone costs per call. */
const viaAnchor = async (): Promise<Side> => {
  const { handler: anchor } = (await import(pathToFileURL(anchorBundle).href)) as { handler: Handler };
  return invoking(anchor, 'anchor', {});
};

/** Another build of the function, when given, invoked with the same event as the shipped one. */
const viaCandidate = async (): Promise<Side> => {
  const { handler: candidate } = (await import(pathToFileURL(candidateBundle).href)) as { handler: Handler };
  return invoking(candidate, 'candidate');
};

const result =
  mode === 'memory'
    ? await measureMemory(invocationsArg.split(',').map(Number))
    : await measureWarm({
        handler: viaHandler,
        raw: viaRawCalls,
        ...(anchorBundle ? { anchor: await viaAnchor() } : {}),
        ...(candidateBundle ? { candidate: await viaCandidate() } : {}),
      });
writeSync(3, `${JSON.stringify(result)}\n`);
await raw.close();
process.exit(0);
