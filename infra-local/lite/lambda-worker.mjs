// Runs inside a worker thread: one simulated Lambda execution environment. It imports the built bundle
// once (the init phase), then serves invocations one at a time, like a Lambda container.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { createLambdaContext } from './lambda-context.mjs';

process.setSourceMapsEnabled(true);
const { entry, exportName, functionName, memoryMb, region } = workerData;

let handler;
try {
  const module = await import(pathToFileURL(entry).href);
  handler = module[exportName];
  if (typeof handler !== 'function')
    throw new Error(`${entry} does not export a function named "${exportName}"`);
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'init-error', error: serialize(error) });
}

function serialize(error) {
  return {
    errorType: error?.name ?? 'Error',
    errorMessage: error?.message ?? String(error),
    stackTrace: String(error?.stack ?? '')
      .split('\n')
      .slice(1)
      .map((line) => line.trim()),
  };
}

parentPort.on('message', async ({ id, event, requestId, deadline }) => {
  const context = createLambdaContext({ requestId, functionName, region, memoryMb, deadline });
  try {
    const result = await handler(event, context);
    parentPort.postMessage({ type: 'result', id, ok: true, result: result === undefined ? null : result });
  } catch (error) {
    parentPort.postMessage({ type: 'result', id, ok: false, error: serialize(error) });
  }
});
